// Opus from the microphone (issue 14), measured in real headless Chromium with the fake microphone
// playing speech (espeak-ng, looped by Chromium):
//   1. upstream bytes per second of audio, LINEAR16 16 kHz and Opus 48 kHz at the default bit rate,
//      from the same capture at the same time (two connections to a local protocol server);
//      target: Opus ≤ 1/6 of LINEAR16;
//   2. the browser's Opus encoding time per second of audio (WebCodecs AudioEncoder, 60 s of the
//      same speech encoded as fast as it goes; the encoder's own thread, measured as wall time);
//   3. what the Opus path adds to the page when it is used, and what a page that never asks for
//      Opus fetches of it (target: 0 bytes): every JS file each page fetched, gzipped as served.
// Run: npx tsx bench/opus.ts (npm run bench builds first: the page bundles dist/browser).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { launchChromium } from './_chromium.js'
import { FakeServer } from '../test/node/streaming/fake-server.js'
import { bundleChunks, kb } from './_bundle.js'

const CAPTURE_MS = 10_000

/** The page: `mode` linear16 streams LINEAR16 only; `both` streams LINEAR16 and Opus from the same microphone at once. */
const APP = `import { Symbl } from 'symbl-sdk'
const query = new URLSearchParams(location.search)
const symbl = new Symbl({ baseUrl: query.get('api'), accessToken: 'bench' })
const start = (speechRecognition) => symbl.streaming.startConnection({ config: { speechRecognition } })
const formats = [{ encoding: 'LINEAR16', sampleRateHertz: 16000 }]
if (query.get('mode') === 'both') formats.push({ encoding: 'OPUS', sampleRateHertz: 48000 })
const connections = await Promise.all(formats.map(start))
const raw = { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
await Promise.all(connections.map((c) => c.sendAudioFromMic({ constraints: raw })))
await new Promise((r) => setTimeout(r, Number(query.get('ms'))))
await Promise.all(connections.map((c) => c.stop()))
window.result = connections.map((c) => ({ id: c.connectionId, encoding: c.encoding }))
document.title = 'done'`

/**
 * Encodes `seconds` of the speech file at 48 kHz with AudioEncoder (Opus, 32 kbit/s, 20 ms) as fast
 * as it goes. Plain JS in a string: run in the page as written (no transpiler helpers).
 */
const ENCODE = `async ([wavUrl, seconds]) => {
  const file = await (await fetch(wavUrl)).arrayBuffer()
  const speech = (await new OfflineAudioContext(1, 1, 48000).decodeAudioData(file)).getChannelData(0)
  const samples = new Float32Array(seconds * 48000)
  for (let i = 0; i < samples.length; i++) samples[i] = speech[i % speech.length]
  let packets = 0
  let bytes = 0
  let failed
  const encoder = new AudioEncoder({ output: (chunk) => { packets++; bytes += chunk.byteLength }, error: (e) => { failed = e } })
  encoder.configure({ codec: 'opus', sampleRate: 48000, numberOfChannels: 1, bitrate: 32000, opus: { format: 'opus', frameDuration: 20000, usedtx: false } })
  const t0 = performance.now()
  for (let at = 0; at < samples.length; at += 960) {
    const data = new AudioData({ format: 'f32', sampleRate: 48000, numberOfChannels: 1, numberOfFrames: 960, timestamp: (at / 48) * 1000, data: samples.subarray(at, at + 960) })
    encoder.encode(data)
    data.close()
  }
  await encoder.flush()
  const ms = performance.now() - t0
  encoder.close()
  if (failed) throw failed
  return { ms, packets, bytes }
}`

/** Speech for the fake microphone: espeak-ng, at 44.1 kHz (Chromium's fake capture rate, see toolchain notes §8). */
function speechWav(): string {
  const dir = mkdtempSync(join(tmpdir(), 'symbl-opus-bench-'))
  const raw = join(dir, 'speech-raw.wav')
  const wav = join(dir, 'speech.wav')
  const text =
    'Thanks for joining the call. Can you send me the report by Friday? I think the new price will be lower than last quarter, ' +
    'and the team in Lagos agreed to ship the second batch next week. Let us review the numbers again on Monday morning.'
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text])
  execFileSync('sox', [raw, '-r', '44100', '-c', '1', '-b', '16', wav])
  return wav
}

interface PageRun {
  /** `opus`: the file holds Opus code (found by content: the encoder's `isConfigSupported` call, never mangled). */
  files: Array<{ name: string; gzip: number; opus: boolean }>
  result: Array<{ id: string; encoding: string }>
  encode?: { ms: number; packets: number; bytes: number }
}

async function run(): Promise<void> {
  const wav = speechWav()
  const chunks = await bundleChunks(APP)
  const byName = new Map(chunks.map((c) => [`/${c.fileName}`, c.code]))
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end('<!doctype html><meta charset="utf-8"><title>opus</title><body><script type="module" src="/out.js"></script>')
    }
    if (path === '/blank') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>')
    if (path === '/speech.wav') return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(readFileSync(wav))
    const code = byName.get(path)
    if (code === undefined) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(code)
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const server = await FakeServer.start({ checkCounter: false })
  const browser = await launchChromium(wav)
  const page = async (mode: 'linear16' | 'both', ms: number): Promise<PageRun> => {
    const context = await browser.newContext({ permissions: ['microphone'] })
    const tab = await context.newPage()
    const files: PageRun['files'] = []
    tab.on('response', async (response) => {
      if (!response.url().endsWith('.js')) return
      const body = await response.body()
      files.push({
        name: new URL(response.url()).pathname.slice(1),
        gzip: gzipSync(body, { level: 9 }).length,
        opus: body.includes('isConfigSupported'),
      })
    })
    const errors: string[] = []
    tab.on('pageerror', (e) => errors.push(e.message))
    await tab.goto(`${origin}/?api=${encodeURIComponent(server.url)}&mode=${mode}&ms=${ms}`)
    await tab
      .waitForFunction(() => document.title === 'done', null, { timeout: ms + 30_000 })
      .catch(() => {
        throw new Error(`the ${mode} page did not finish${errors.length ? `: ${errors.join('; ')}` : ''}`)
      })
    const result = (await tab.evaluate('window.result')) as PageRun['result']
    await context.close()
    return { files, result }
  }
  try {
    const plain = await page('linear16', 1500)
    const both = await page('both', CAPTURE_MS)
    // The encoder alone, on a page that loads nothing else (a secure origin: WebCodecs needs one).
    const context = await browser.newContext()
    const tab = await context.newPage()
    await tab.goto(`${origin}/blank`)
    const encode = (await tab.evaluate(`(${ENCODE})(${JSON.stringify([`${origin}/speech.wav`, 60])})`)) as PageRun['encode'] & object
    await context.close()
    report(plain, both, encode, server)
  } finally {
    await browser.close()
    await server.close()
    http.close()
  }
}

function report(plain: PageRun, both: PageRun, encode: { ms: number; packets: number; bytes: number }, server: FakeServer): void {
  const [pcm, opus] = both.result.map((r) => ({ ...r, conv: server.conv(r.id) }))
  if (opus.encoding !== 'OPUS') throw new Error(`the Opus connection fell back to ${opus.encoding}: Chromium could not encode Opus`)
  const pcmSeconds = pcm.conv.audioBytes / 32000
  const opusFrames = opus.conv.sockets.flatMap((s) => s.frameSizes)
  const opusSeconds = opusFrames.length * 0.02
  const pcmRate = pcm.conv.audioBytes / pcmSeconds
  const opusRate = opus.conv.audioBytes / opusSeconds
  const ratio = opusRate / pcmRate
  console.log(`opus: upstream from the same ${(CAPTURE_MS / 1000).toFixed(0)} s capture of speech (headless Chromium, fake microphone):`)
  console.log(`  LINEAR16 16 kHz: ${Math.round(pcmRate)} B/s (${((pcmRate * 8) / 1000).toFixed(1)} kbit/s) over ${pcmSeconds.toFixed(2)} s`)
  console.log(
    `  Opus 48 kHz, 32 kbit/s target: ${Math.round(opusRate)} B/s (${((opusRate * 8) / 1000).toFixed(1)} kbit/s) over ${opusSeconds.toFixed(2)} s, ` +
      `${opusFrames.length} packets of ${Math.min(...opusFrames)}–${Math.max(...opusFrames)} bytes`,
  )
  console.log(
    `  Opus / LINEAR16: 1/${(1 / ratio).toFixed(1)} (target ≤ 1/6: ${ratio <= 1 / 6 ? 'met' : 'NOT met'}); ` +
      `WebSocket messages per second: ${(opusFrames.length / opusSeconds).toFixed(0)} Opus vs ${(pcm.conv.sockets.flatMap((s) => s.frameSizes).length / pcmSeconds).toFixed(0)} LINEAR16`,
  )
  console.log(
    `opus: encoding time, WebCodecs AudioEncoder (Chromium), 60 s of speech at 48 kHz: ${encode.ms.toFixed(0)} ms, ` +
      `${(encode.ms / 60).toFixed(2)} ms per second of audio (${Math.round(60_000 / encode.ms)}x real time; ${((encode.bytes * 8) / 60 / 1000).toFixed(1)} kbit/s)`,
  )
  const names = new Set(plain.files.map((f) => f.name))
  const added = both.files.filter((f) => !names.has(f.name))
  const sum = (files: PageRun['files']) => files.reduce((n, f) => n + f.gzip, 0)
  const opusInPlain = plain.files.filter((f) => f.opus)
  if (!both.files.some((f) => f.opus)) throw new Error('no file of the Opus page holds the encoder: the content check is broken')
  console.log(
    `opus: size, every JS file fetched, min+gzip: a LINEAR16 page ${kb(sum(plain.files))} in ${plain.files.length} files, ` +
      `of which Opus code ${kb(sum(opusInPlain))} (target 0 bytes: ${opusInPlain.length ? 'NOT met' : 'met'}); ` +
      `the Opus path adds ${kb(sum(added))} when used (${added.map((f) => `${f.name.replace(/-[\w-]{8}\.js$/, '')} ${kb(f.gzip)}`).join(', ') || 'nothing'}), no WASM`,
  )
}

await run()
