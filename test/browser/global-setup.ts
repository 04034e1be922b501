// Runs in Node before the browser tests: a Symbl streaming server (the protocol-speaking fake server
// of the Node tests) that records the audio of every connection, and a small HTTP endpoint the
// browser queries for what a connection received: byte count, declared rate, and measurements of
// the PCM (dominant frequency and RMS of its longest stretch of sound). Browsers reach both on
// 127.0.0.1; the endpoint sends CORS headers because the test page is served from another port.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { dominantFrequency, rms, toneAmplitude } from '../node/audio-measure.js'
import { FakeServer } from '../node/streaming/fake-server.js'

export interface ReceivedStats {
  /** The connection was seen at all. */
  found: boolean
  bytes: number
  frames: number
  maxFrame: number
  encoding?: string
  sampleRateHertz?: number
  /** stop_request arrived. */
  stopped: boolean
  seconds: number
  /** 20 ms blocks that carry sound (RMS > 0.01), and that are exactly zero (capture dropouts, silence). */
  loudBlocks: number
  zeroBlocks: number
  blocks: number
  /** Over the longest stretch of sound without a dropout (at most 0.5 s of it): its length, pitch, level. */
  longestLoudMs: number
  dominantHz: number
  amplitude: number
  rms: number
}

declare module 'vitest' {
  export interface ProvidedContext {
    symblServer: { url: string; statsUrl: string }
  }
}

export function analyse(pcm: Buffer, rate: number): Pick<ReceivedStats, 'loudBlocks' | 'zeroBlocks' | 'blocks' | 'longestLoudMs' | 'dominantHz' | 'amplitude' | 'rms'> {
  const x = new Float32Array(pcm.length >> 1)
  for (let i = 0; i < x.length; i++) x[i] = pcm.readInt16LE(i * 2) / 32768
  const block = Math.round(rate / 50)
  let loudBlocks = 0
  let zeroBlocks = 0
  const blocks = Math.floor(x.length / block)
  for (let b = 0; b < blocks; b++) {
    const part = x.subarray(b * block, (b + 1) * block)
    if (rms(part) > 0.01) loudBlocks++
    if (part.every((v) => v === 0)) zeroBlocks++
  }
  // Stretches of sound: what lies between runs of 8+ exact zeros (capture dropouts, or the silence
  // between Chromium's beeps). A window across a dropout would measure the click, not the tone.
  let best = { start: 0, length: 0 }
  const consider = (start: number, end: number) => {
    if (end - start > best.length && rms(x.subarray(start, end)) > 0.01) best = { start, length: end - start }
  }
  let start = 0
  let zeros = 0
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) {
      if (++zeros === 8) consider(start, i - 7)
    } else {
      if (zeros >= 8) start = i
      zeros = 0
    }
  }
  consider(start, zeros >= 8 ? x.length - zeros : x.length)
  const stretch = x.subarray(best.start, best.start + Math.min(best.length, Math.round(rate / 2)))
  const dominantHz = stretch.length ? dominantFrequency(stretch, rate, 100, Math.min(7000, rate / 2 - 100), 5) : 0
  return {
    loudBlocks,
    zeroBlocks,
    blocks,
    longestLoudMs: (best.length * 1000) / rate,
    dominantHz,
    amplitude: stretch.length ? toneAmplitude(stretch, dominantHz, rate) : 0,
    rms: rms(stretch),
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const audio = new Map<string, Buffer[]>()
  const fake = await FakeServer.start({
    checkCounter: false,
    onAudio: (socket, _conv, frame) => {
      const list = audio.get(socket.connectionId) ?? []
      list.push(Buffer.from(frame))
      audio.set(socket.connectionId, list)
    },
  })
  const stats = createServer((req, res) => {
    const id = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/stats\//, ''))
    const conv = fake.convs.get(id)
    const frames = audio.get(id) ?? []
    const pcm = Buffer.concat(frames)
    const start = conv?.sockets[0]?.startRequest as { config?: { speechRecognition?: { encoding?: string; sampleRateHertz?: number } } } | undefined
    const sr = start?.config?.speechRecognition
    const rate = sr?.sampleRateHertz ?? 16000
    const body: ReceivedStats = {
      found: Boolean(conv),
      bytes: pcm.length,
      frames: frames.length,
      maxFrame: Math.max(0, ...frames.map((f) => f.length)),
      encoding: sr?.encoding,
      sampleRateHertz: sr?.sampleRateHertz,
      stopped: conv?.stopped ?? false,
      seconds: pcm.length / 2 / rate,
      ...analyse(pcm, rate),
    }
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
    res.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve))
  project.provide('symblServer', { url: fake.url, statsUrl: `http://127.0.0.1:${(stats.address() as AddressInfo).port}/stats/` })
  return async () => {
    await closeServer(stats)
    await fake.close()
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
