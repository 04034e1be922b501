// Python SDK: example/Streaming_API/streaming.py — a real-time conversation over the Streaming API.
// Python streams the microphone (`send_audio_from_mic`); a Node script has no microphone, so this
// one streams a WAV file with `connection.sendAudioFromFile()` (any PCM or float WAV, any rate, mono
// or stereo: the SDK resamples it to the connection's 16 kHz). In a browser, use `sendAudioFromMic()`.
//   SYMBL_BASE_URL=http://127.0.0.1:8787 SYMBL_APP_ID=x SYMBL_APP_SECRET=y npx tsx examples/streaming-wav.ts [file.wav] [--realtime]
// The local emulator has no speech recognizer: without a preloaded transcript it reports
// "[unrecognised speech]" for each stretch of speech.
import { fileURLToPath } from 'node:url'
import { Symbl } from 'symbl-sdk'

const symbl = new Symbl({ baseUrl: process.env.SYMBL_BASE_URL })
const args = process.argv.slice(2)
const realtime = args.includes('--realtime') // pace the audio like a live source
const file = args.find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('../test/fixtures/two-speakers-8k.wav', import.meta.url))

// Here you can add more events of the Streaming API, such as 'insight_response' or 'message_response'.
const events = {
  message: (frame: { message: { type: string; isFinal?: boolean; punctuated?: { transcript?: string } } }) => {
    if (frame.message.type === 'recognition_result' && frame.message.isFinal)
      console.log('recognition result:', frame.message.punctuated?.transcript)
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
  config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 } },
})
connection.subscribe(events)
console.log(`connected: conversationId ${connection.conversationId}`)

// Reads, resamples and sends the file: as fast as the connection takes it, or at real time.
const { durationMs } = await connection.sendAudioFromFile(file, { realtime })
console.log(`sent ${(durationMs / 1000).toFixed(1)} s of audio`)

// Stopping sends stop_request and resolves with the conversation once the server has finished.
const conversation = await connection.stop()

// To get the messages from the conversation
console.dir(await conversation.getMessages(), { depth: null })

// To get the action items / follow ups / members / topics / questions from the conversation
// console.dir(await conversation.getActionItems(), { depth: null })
