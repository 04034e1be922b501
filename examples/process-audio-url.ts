// Python SDK: example/Async_API/Audio_API/process_audio_url.py — process a recording at a public URL.
//   SYMBL_BASE_URL=http://127.0.0.1:8787 SYMBL_APP_ID=x SYMBL_APP_SECRET=y npx tsx examples/process-audio-url.ts [url]
// Without a URL, this script serves the repository's sample WAV on 127.0.0.1 for the duration of the
// job: only a local emulator can fetch that (it fetches loopback URLs); Symbl needs a public URL.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Symbl } from 'symbl-sdk'

const symbl = new Symbl({ baseUrl: process.env.SYMBL_BASE_URL })

let url = process.argv[2]
let server: ReturnType<typeof createServer> | undefined
if (!url) {
  const wav = await readFile(new URL('../test/fixtures/two-speakers-8k.wav', import.meta.url))
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length }).end(wav))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/two-speakers-8k.wav`
}

try {
  // You can also pass other parameters with the payload:
  //   { url, name: 'TestingMeeting', enableSpeakerDiarization: true, diarizationSpeakerCount: 2, channelMetadata: [...] }
  const payload = { url } // the url of the audio which you want to process
  const conversation = await symbl.audio.processUrl(payload)

  // To get the messages from the conversation
  console.dir(await conversation.getMessages(), { depth: null })

  // To get the action items from the conversation
  // console.dir(await conversation.getActionItems(), { depth: null })

  // To get the topics from the conversation
  // console.dir(await conversation.getTopics(), { depth: null })
} finally {
  server?.close()
}
