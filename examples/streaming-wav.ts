// Python SDK: example/Streaming_API/streaming.py — a real-time conversation over the Streaming API.
// Python streams the microphone (`send_audio_from_mic`); a Node script has no microphone, so this
// one streams a WAV file (16-bit PCM) instead. In a browser, use `connection.sendAudioFromMic()`.
//   SYMBL_BASE_URL=http://127.0.0.1:8787 SYMBL_APP_ID=x SYMBL_APP_SECRET=y npx tsx examples/streaming-wav.ts [file.wav] [--realtime]
// The local emulator has no speech recognizer: without a preloaded transcript it reports
// "[unrecognised speech]" for each stretch of speech.
import { readFile } from 'node:fs/promises'
import { Symbl } from 'symbl-sdk'

const symbl = new Symbl({ baseUrl: process.env.SYMBL_BASE_URL })
const args = process.argv.slice(2)
const realtime = args.includes('--realtime') // pace the audio like a live source
const file = args.find((a) => !a.startsWith('--')) ?? new URL('../test/fixtures/two-speakers-8k.wav', import.meta.url)

/** The PCM samples and format of a 16-bit PCM WAV (convert others with `sox in.wav -b 16 -c 1 out.wav`). */
function readWav(bytes: Buffer): { pcm: Buffer; sampleRate: number } {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file')
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', at, at + 4)
    const size = bytes.readUInt32LE(at + 4)
    if (id === 'fmt ') format = { tag: bytes.readUInt16LE(at + 8), channels: bytes.readUInt16LE(at + 10), sampleRate: bytes.readUInt32LE(at + 12), bits: bytes.readUInt16LE(at + 22) }
    if (id === 'data') {
      if (!format || format.tag !== 1 || format.bits !== 16 || format.channels !== 1) throw new Error('this example streams 16-bit mono PCM WAV: convert with `sox in.wav -b 16 -c 1 out.wav`')
      return { pcm: bytes.subarray(at + 8, at + 8 + size), sampleRate: format.sampleRate }
    }
    at += 8 + size + (size % 2)
  }
  throw new Error('the WAV file has no data chunk')
}

const { pcm, sampleRate } = readWav(await readFile(file))

// Here you can add more events of the Streaming API, such as 'insight_response' or 'message_response'.
const events = {
  message: (frame: { message: { type: string; isFinal?: boolean; punctuated?: { transcript?: string } } }) => {
    if (frame.message.type === 'recognition_result' && frame.message.isFinal) console.log('recognition result:', frame.message.punctuated?.transcript)
  },
  message_response: (frame: { messages: Array<{ from?: { name?: string }; payload: { content: string } }> }) =>
    frame.messages.forEach((m) => console.log('message response:', `${m.from?.name ?? '?'}: ${m.payload.content}`)),
  insight_response: (frame: { insights: Array<{ type: string; payload?: { content: string } }> }) =>
    frame.insights.forEach((i) => console.log('insight response:', i.type, i.payload?.content)),
  // tracker_response: (frame) => console.log('tracker response', frame),
  // topic_response: (frame) => console.log('topic response', frame),
}

const insightTypes = ['question', 'action_item']
const speaker = { userId: 'John@example.com', name: 'John' }

const connection = await symbl.streaming.startConnection({
  insightTypes,
  speaker,
  config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: sampleRate } },
})
connection.subscribe(events)
console.log(`connected: conversationId ${connection.conversationId}`)

// 100 ms frames; `await` applies the connection's backpressure.
const frame = Math.round(sampleRate / 10) * 2
for (let at = 0; at < pcm.length; at += frame) {
  await connection.sendAudio(pcm.subarray(at, at + frame))
  if (realtime) await new Promise((resolve) => setTimeout(resolve, 100))
}

// Stopping sends stop_request and resolves with the conversation once the server has finished.
const conversation = await connection.stop()

// To get the messages from the conversation
console.dir(await conversation.getMessages(), { depth: null })

// To get the action items / follow ups / members / topics / questions from the conversation
// console.dir(await conversation.getActionItems(), { depth: null })
