// Runs in Node before the browser tests: a Symbl streaming server (the protocol-speaking fake server
// of the Node tests) that records the audio of every connection, and a small HTTP endpoint the
// browser queries for what a connection received: byte count, declared rate, and measurements of
// the PCM (dominant frequency and RMS of its longest stretch of sound). Browsers reach both on
// 127.0.0.1; the endpoint sends CORS headers because the test page is served from another port.
// Also the local emulator (src/emulator) for the REST and streaming tests of rest.test.ts, with a
// token endpoint made by the SDK's own createTokenHandler (as a web app's server would) and a
// small control endpoint through which the browser arms the emulator's faults.
// And msw's service worker script (what `msw init` copies) in the browser project's publicDir
// (test/browser/.public/, git-ignored), so emulator-msw.test.ts can start `setupWorker` at the page's origin.
// Global setups run before vitest creates the browser project's vite server, which lists its publicDir
// once when it starts, so the file is served from the first run on.
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { createTokenHandler, REJECTED_TOKEN_HEADER, toNodeListener } from '../../src/node.js'
import { dominantFrequency, rms, steadyToneAmplitude } from '../node/audio-measure.js'
import { FakeServer, type StreamSocket } from '../node/streaming/fake-server.js'
import { opusReceived } from './opus-received.js'

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
    symblEmulator: {
      /** The emulator's REST base URL (its WebSockets are on the same port). */
      url: string
      /** The token endpoint (GET; `?client=…` tags the request in the log). */
      tokenUrl: string
      /** POST expire-tokens?client=<browser> (that browser's tokens only), POST refuse-handshakes?path=…&status=…, POST delay-handshakes?ms=…&path=…, GET token-requests?client=… */
      controlUrl: string
      /** A loopback URL nothing listens on (a port just closed). */
      closedUrl: string
    }
  }
}

/** A request the token endpoint received. */
export interface TokenRequestLog {
  client: string | null
  rejectedToken: string | null
  /** The token it answered with (undefined when it failed). */
  accessToken?: string
}

export function analyse(
  pcm: Buffer,
  rate: number,
): Pick<ReceivedStats, 'loudBlocks' | 'zeroBlocks' | 'blocks' | 'longestLoudMs' | 'dominantHz' | 'amplitude' | 'rms'> {
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
    amplitude: stretch.length ? steadyToneAmplitude(stretch, dominantHz, rate) : 0,
    rms: rms(stretch),
  }
}

/** The same file as `npx msw init test/browser/.public --no-save` writes, for the installed msw. */
export function writeMockServiceWorker(dir = new URL('./.public/', import.meta.url)): void {
  mkdirSync(dir, { recursive: true })
  copyFileSync(createRequire(import.meta.url).resolve('msw/mockServiceWorker.js'), new URL('mockServiceWorker.js', dir))
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  writeMockServiceWorker()
  const audio = new Map<string, Buffer[]>()
  // Opus tests: each socket's frames apart (a reconnect is a new Opus stream).
  const bySocket = new WeakMap<StreamSocket, Buffer[]>()
  const fake = await FakeServer.start({
    checkCounter: false,
    onAudio: (socket, _conv, frame) => {
      const list = audio.get(socket.connectionId) ?? []
      list.push(Buffer.from(frame))
      audio.set(socket.connectionId, list)
      let frames = bySocket.get(socket)
      if (!frames) bySocket.set(socket, (frames = []))
      frames.push(Buffer.from(frame))
    },
  })
  const stats = createServer((req, res) => {
    // GET /opus/<id>: the Opus connection's packets, per session, decoded (opus-received.ts);
    // POST /drop/<id>: drops its socket as a network would (a forced reconnect).
    const opus = /^\/(opus|drop)\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname)
    if (opus) {
      const conv = fake.convs.get(decodeURIComponent(opus[2]))
      res.setHeader('access-control-allow-origin', '*')
      if (!conv) return void res.writeHead(404).end()
      if (opus[1] === 'drop') {
        fake.drop(conv.sockets[conv.sockets.length - 1], 'terminate')
        return void res.writeHead(204).end()
      }
      const rate = (conv.sockets[0]?.startRequest as { config?: { speechRecognition?: { sampleRateHertz?: number } } })?.config
        ?.speechRecognition?.sampleRateHertz
      void opusReceived(
        conv.sockets.map((s) => bySocket.get(s) ?? []),
        rate ?? 48000,
      ).then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)))
      return
    }
    const id = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/stats\//, ''))
    const conv = fake.convs.get(id)
    const frames = audio.get(id) ?? []
    const pcm = Buffer.concat(frames)
    const start = conv?.sockets[0]?.startRequest as
      | { config?: { speechRecognition?: { encoding?: string; sampleRateHertz?: number } } }
      | undefined
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

  const emulator = await startEmulator({ port: 0, jobDelayMs: 20 })
  const tokens = await startTokenServer(emulator)
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
  await closeServer(closed)
  project.provide('symblEmulator', { url: emulator.url, tokenUrl: `${tokens.url}/token`, controlUrl: `${tokens.url}/control/`, closedUrl })
  return async () => {
    await closeServer(tokens.server)
    await emulator.close()
    await closeServer(stats)
    await fake.close()
  }
}

/** A loopback page origin (the vitest page) may call; anything else gets no CORS headers. */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin
  if (!origin || !/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin)) return {}
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': REJECTED_TOKEN_HEADER,
    'access-control-allow-methods': 'GET, POST',
    vary: 'origin',
  }
}

/**
 * The app server of the browser tests: `/token` is createTokenHandler + toNodeListener against the
 * emulator (every request is logged), `/control/*` arms the emulator's faults for the browser.
 */
async function startTokenServer(emulator: RunningEmulator): Promise<{ server: Server; url: string }> {
  // One app per browser: Chromium and Firefox run at once against this emulator, and one browser's
  // expire-tokens must not expire the token the other has just been given (a second 401 in a row).
  const appOf = (client: string | null) => `browser-tests-${client?.split('-')[0] ?? 'other'}`
  const handlers = new Map<string, ReturnType<typeof createTokenHandler>>()
  const handlerFor = (appId: string) => {
    let handler = handlers.get(appId)
    if (!handler) handlers.set(appId, (handler = createTokenHandler({ appId, appSecret: `${appId}-secret`, baseUrl: emulator.url })))
    return handler
  }
  const log: TokenRequestLog[] = []
  // Each request, and the token answered, is logged for the tests' checks.
  const listener = toNodeListener(async (request) => {
    const entry: TokenRequestLog = {
      client: new URL(request.url).searchParams.get('client'),
      rejectedToken: request.headers.get(REJECTED_TOKEN_HEADER),
    }
    log.push(entry)
    const response = await handlerFor(appOf(entry.client))(request)
    entry.accessToken = (
      (await response
        .clone()
        .json()
        .catch(() => ({}))) as { accessToken?: string }
    ).accessToken
    return response
  })
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body))
  }
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(corsHeaders(req))) res.setHeader(name, value)
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/token') return listener(req, res)
    if (req.method === 'POST' && url.pathname === '/control/expire-tokens') {
      emulator.faults.expireTokens({ appId: appOf(url.searchParams.get('client')) })
      return send(res, 200, { ok: true })
    }
    if (req.method === 'POST' && url.pathname === '/control/refuse-handshakes') {
      emulator.faults.refuseHandshakes(
        Number(url.searchParams.get('times') ?? 1),
        Number(url.searchParams.get('status') ?? 503),
        url.searchParams.get('path') ?? undefined,
      )
      return send(res, 200, { ok: true })
    }
    if (req.method === 'POST' && url.pathname === '/control/delay-handshakes') {
      emulator.faults.delayHandshakes(Number(url.searchParams.get('ms') ?? 0), { path: url.searchParams.get('path') ?? undefined })
      return send(res, 200, { ok: true })
    }
    if (req.method === 'GET' && url.pathname === '/control/token-requests') {
      const client = url.searchParams.get('client')
      return send(res, 200, client === null ? log : log.filter((e) => e.client === client))
    }
    send(res, 404, { message: `no such endpoint: ${req.method} ${url.pathname}` })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
