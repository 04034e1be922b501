// Python SDK: example/Async_API/Audio_API/process_audio_file.py — upload a recording and get its transcript.
//   SYMBL_BASE_URL=http://127.0.0.1:8787 SYMBL_APP_ID=x SYMBL_APP_SECRET=y npx tsx examples/process-audio-file.ts [file]
// Without a file it uses the repository's short two-speaker sample (test/fixtures/two-speakers-8k.wav).
// The local emulator has no speech recognizer: it lists each stretch of speech as "[unrecognised speech]".
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Symbl } from 'symbl-sdk'

const symbl = new Symbl({ baseUrl: process.env.SYMBL_BASE_URL })

const file = process.argv[2] ?? fileURLToPath(new URL('../test/fixtures/two-speakers-8k.wav', import.meta.url))

// Like this you can pass the parameters (query options of POST /v1/process/audio):
//   parameters: { name: 'Meeting', enableSpeakerDiarization: true, diarizationSpeakerCount: 2,
//     channelMetadata: [{ channel: 1, speaker: { name: 'Robert Bartheon', email: 'robertbartheon@example.com' } }, …] }
const conversation = await symbl.audio.processFile(file, {
  parameters: { name: basename(file) },
  onUploadProgress: (p) => p.fraction === 1 && console.error(`uploaded ${p.sentBytes} bytes`),
})

// To get the messages from the conversation
console.dir(await conversation.getMessages(), { depth: null })

// To get the action items from the conversation
// console.dir(await conversation.getActionItems(), { depth: null })

// To get the follow ups from the conversation
// console.dir(await conversation.getFollowUps(), { depth: null })

// To get the members information from the conversation
// console.dir(await conversation.getMembers(), { depth: null })

// To get the topics from the conversation
// console.dir(await conversation.getTopics(), { depth: null })

// To get the questions from the conversation
// console.dir(await conversation.getQuestions(), { depth: null })
