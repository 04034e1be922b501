// Emulator bench: 1,000 text jobs submitted 50 at a time (submit + wait + read insights), and 100
// concurrent streaming connections each sending N seconds of 16 kHz audio in real time-ish chunks.
// Prints throughput and peak RSS (sampled every 20 ms).

import WebSocket from 'ws'
import { startEmulator } from '../src/emulator/index.js'

let peak = 0
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
const mb = (b: number): string => (b / 1024 / 1024).toFixed(0)

const emu = await startEmulator({ jobDelayMs: 10, maxConversations: 2000 })
const tok = (
  (await (
    await fetch(`${emu.url}/oauth2/token:generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'application', appId: 'bench', appSecret: 'bench' }),
    })
  ).json()) as { accessToken: string }
).accessToken
const headers = { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }
const lines = [
  'Hi Anthony, I saw your complaint about call drops. What happens exactly?',
  'Every time I pick up there is white noise and I cannot hear anything.',
  'I will send you a replacement router by Friday. Can you call me back tomorrow?',
  'Sure, that sounds great. How much does the premium plan cost?',
  'The premium plan is $69.99 per month and includes priority support.',
  'Let us schedule a follow-up call next week to review the invoice.',
]
const messages = lines.map((content, i) => ({
  payload: { content },
  from: { name: i % 2 ? 'Anthony' : 'Surbhi', userId: i % 2 ? 'anthony@example.com' : 'surbhi@example.com' },
}))

async function oneJob(): Promise<void> {
  const submit = (await (
    await fetch(`${emu.url}/v1/process/text`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ messages, detectEntities: true, trackers: [{ name: 'Price', vocabulary: ['cost', 'price'] }] }),
    })
  ).json()) as { conversationId: string; jobId: string }
  for (;;) {
    const { status } = (await (await fetch(`${emu.url}/v1/job/${submit.jobId}`, { headers })).json()) as { status: string }
    if (status === 'completed') break
    if (status === 'failed') throw new Error('job failed')
    await new Promise((r) => setTimeout(r, 10))
  }
  for (const p of ['questions', 'action-items', 'topics', 'analytics', 'entities']) {
    const res = await fetch(`${emu.url}/v1/conversations/${submit.conversationId}/${p}`, { headers })
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`)
    await res.arrayBuffer()
  }
}

{
  const total = 1000
  const concurrency = 50
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++
        await oneJob()
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  console.log(
    `emulator: ${total} text jobs (${concurrency} concurrent): ${(total / seconds).toFixed(0)} jobs/s (${seconds.toFixed(1)} s, each submit + poll + 5 reads), peak RSS ${mb(peak)} MB`,
  )
}

{
  const connections = 100
  const seconds = 5
  const rate = 16000
  const chunk = new Uint8Array(8192) // 4096 samples = 0.256 s; a tone burst every other chunk
  const view = new DataView(chunk.buffer)
  for (let i = 0; i < 4096; i++) view.setInt16(i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / rate)), true)
  const silent = new Uint8Array(8192)
  const chunks = Math.ceil((seconds * rate * 2) / 8192)
  let frames = 0
  let messages = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from(
      { length: connections },
      (_, n) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`${emu.wsUrl}/v1/streaming/bench-${n}?access_token=${tok}`)
          ws.on('error', reject)
          ws.on('message', (data) => {
            frames++
            const f = JSON.parse(data.toString()) as { type: string; message?: { type: string } }
            if (f.type === 'message_response') messages++
            if (f.message?.type === 'recognition_started') {
              let sent = 0
              // Faster than real time: 4 chunks (~1 s of audio) every 50 ms.
              const timer = setInterval(() => {
                for (let k = 0; k < 4 && sent < chunks; k++, sent++) ws.send(sent % 4 < 2 ? chunk : silent)
                if (sent >= chunks) {
                  clearInterval(timer)
                  ws.send(JSON.stringify({ type: 'stop_request' }))
                }
              }, 50)
            }
          })
          ws.on('open', () =>
            ws.send(
              JSON.stringify({ type: 'start_request', config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: rate } } }),
            ),
          )
          ws.on('close', (code) => (code === 1000 ? resolve() : reject(new Error(`closed ${code}`))))
        }),
    ),
  )
  const wall = (performance.now() - t0) / 1000
  const audioMb = (connections * chunks * 8192) / 1024 / 1024
  console.log(
    `emulator: ${connections} streaming connections x ${seconds}s audio: ${wall.toFixed(1)} s wall, ${(audioMb / wall).toFixed(1)} MB/s audio in, ${frames} frames out (${messages} message_response), peak RSS ${mb(peak)} MB`,
  )
}

clearInterval(sampler)
await emu.close()
