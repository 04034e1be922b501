// Issue 15 in real browsers with the fake microphone: capture that starts with the click (through a
// 2.5 s handshake delay armed on the local emulator) and capture that survives what the device and
// the browser do to it (a lost device followed to the default, a suspended context, silence).
//
// What the capture produced is recorded at its source: every chunk the AudioWorklet posts (a
// subclass of AudioWorkletNode listens on its port before the SDK does). What the server received
// is every binary frame handed to the WebSocket. The fake microphones' audio (Firefox: a 1 kHz
// sine; Chromium: beeps with random dropouts) makes the bytes a pattern of their own, so equal
// bytes mean the same audio in the same order, not just as much of it.
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest'
import { server } from 'vitest/browser'
import type { CaptureEvent } from '../../src/audio/types.js'
import { Symbl, type StreamingConnection } from '../../src/browser.js'
import type { DroppedInfo } from '../../src/streaming/types.js'
import { concat } from '../fixtures/concat.js'

const { url: emulatorUrl, tokenUrl: tokenBase, controlUrl } = inject('symblEmulator')
const { url: fakeUrl } = inject('symblServer')
const RAW: MediaTrackConstraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
const connections: StreamingConnection[] = []
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Every chunk the worklet posted, in order (copies), and when the first came. */
let captured: Uint8Array[] = []
let firstChunkAt = 0
/** The worklet nodes created, newest last. */
let nodes: AudioWorkletNode[] = []
const Original = globalThis.AudioWorkletNode
beforeEach(() => {
  captured = []
  firstChunkAt = 0
  nodes = []
  globalThis.AudioWorkletNode = class Recording extends Original {
    constructor(...args: ConstructorParameters<typeof AudioWorkletNode>) {
      super(...args)
      nodes.push(this)
      this.port.addEventListener('message', (e: MessageEvent) => {
        if (e.data?.type !== 'chunk') return
        firstChunkAt ||= performance.now()
        captured.push(new Uint8Array(e.data.pcm.slice(0)))
      })
    }
  }
})
afterEach(() => {
  globalThis.AudioWorkletNode = Original
  vi.restoreAllMocks()
  for (const c of connections.splice(0)) if (c.state !== 'closed') c.close()
})

/** Binary frames handed to any WebSocket from now on (what the server receives, in order). */
function recordSends(): { frames: Uint8Array[]; openedAt: () => number } {
  const frames: Uint8Array[] = []
  let opened = 0
  const send = WebSocket.prototype.send
  vi.spyOn(WebSocket.prototype, 'send').mockImplementation(function (this: WebSocket, data) {
    // Only the SDK's streaming sockets (the test runner talks to the browser over a WebSocket too).
    if (!this.url.includes('/v1/realtime/insights/')) return send.call(this, data)
    if (typeof data === 'string')
      opened ||= performance.now() // the start_request: the socket is open
    else frames.push(new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : (data as Uint8Array).slice()))
    return send.call(this, data)
  })
  return { frames, openedAt: () => opened }
}

function emulatorClient(): Symbl {
  const tag = `${server.browser}-capture-${Math.random().toString(36).slice(2, 8)}`
  return new Symbl({ baseUrl: emulatorUrl, tokenProvider: () => fetch(`${tokenBase}?client=${tag}`).then((r) => r.json()) })
}

describe('capture from the click', () => {
  it('through a 2.5 s handshake delay, the server gets exactly the audio captured from the first chunk to stop(), in order', async () => {
    const id = `click-${server.browser}-${Date.now()}`
    const armed = await fetch(`${controlUrl}delay-handshakes?ms=2500&path=${encodeURIComponent(`/v1/realtime/insights/${id}`)}`, {
      method: 'POST',
    })
    expect(armed.status).toBe(200)
    const sends = recordSends()
    const clicked = performance.now()
    const dropped: DroppedInfo[] = []
    const connection = await emulatorClient().streaming.startConnection({
      id,
      microphone: { constraints: RAW },
      events: { dropped: (d) => dropped.push(d) },
    })
    connections.push(connection)
    // Capture began long before the socket opened: the handshake was held 2.5 s.
    expect(firstChunkAt).toBeGreaterThan(0)
    expect(sends.openedAt() - clicked).toBeGreaterThanOrEqual(2400)
    expect(sends.openedAt() - firstChunkAt).toBeGreaterThan(1500)
    await sleep(800)
    await connection.stop()
    const sent = concat(sends.frames, Uint8Array)
    const source = concat(captured, Uint8Array)
    // Within one chunk (20 ms = 640 bytes), and in practice exact: the last partial chunk is flushed before stop_request.
    expect(Math.abs(sent.length - source.length)).toBeLessThanOrEqual(640)
    const n = Math.min(sent.length, source.length)
    expect(sent.subarray(0, n)).toEqual(source.subarray(0, n))
    expect(sent.length).toBe(source.length)
    // It covers the time from the first chunk to the open (held, then sent), and is not silence.
    // (Audio time against the wall clock: a loaded machine's capture may run a little short of it.)
    expect(sent.length / 32_000).toBeGreaterThan((0.8 * (sends.openedAt() - firstChunkAt)) / 1000)
    expect(sent.some((b) => b !== 0)).toBe(true)
    expect(dropped).toEqual([])
    const stats = connection.stats()
    expect(stats.capturedSeconds).toBeCloseTo(source.length / 32_000, 3)
    expect(stats.sentSeconds).toBeCloseTo(sent.length / 32_000, 3)
    expect(stats.socketOpenMs).toBeGreaterThanOrEqual(2400)
    expect(stats.firstAudioSentMs).toBeGreaterThanOrEqual(stats.startedMs!)
  })
})

describe('capture from the click, Opus', () => {
  it('an Opus connection encodes the early audio too: every packet captured reaches the socket, in order, before stop_request', async () => {
    const sends = recordSends()
    const symbl = new Symbl({ baseUrl: fakeUrl, accessToken: 'browser-token' })
    const connection = await symbl.streaming.startConnection({
      config: { speechRecognition: { encoding: 'OPUS', sampleRateHertz: 48000 } },
      microphone: { constraints: RAW },
    })
    connections.push(connection)
    await sleep(500)
    await connection.stop()
    const stats = connection.stats()
    // Where the browser cannot encode Opus the connection falls back to LINEAR16 (issue 14); either way nothing is lost.
    expect(stats.sentSeconds).toBeCloseTo(stats.capturedSeconds, 3)
    expect(stats.capturedSeconds).toBeGreaterThan(0.2) // of the 0.5 s waited (a loaded machine captures less)
    if (connection.encoding !== 'LINEAR16') {
      expect(sends.frames.length).toBe(Math.round(stats.capturedSeconds / 0.02)) // one 20 ms packet per frame
    }
  })
})

describe('capture that survives the device', () => {
  async function connect(microphone: Record<string, unknown>) {
    const events: CaptureEvent[] = []
    const symbl = new Symbl({ baseUrl: fakeUrl, accessToken: 'browser-token' })
    const connection = await symbl.streaming.startConnection({
      microphone: { constraints: RAW, ...microphone },
      events: { capture: (e) => events.push(e) },
    })
    connections.push(connection)
    const types = () => events.filter((e) => e.type !== 'state').map((e) => e.type)
    return { connection, mic: connection.microphone!, events, types }
  }

  it('device lost with followDefaultDevice: capture moves to the default input, the gap is reported and filled', async () => {
    const sends = recordSends()
    const { connection, mic, events, types } = await connect({ followDefaultDevice: true })
    await sleep(300)
    const lostTrack = mic.track
    lostTrack.dispatchEvent(new Event('ended')) // what an unplugged device does
    await vi.waitFor(() => expect(types()).toContain('recovered'), { timeout: 10_000 })
    expect(types().slice(0, 2)).toEqual(['devicelost', 'recovered'])
    const recovered = events.find((e) => e.type === 'recovered') as Extract<CaptureEvent, { type: 'recovered' }>
    expect(recovered.reason).toBe('device-lost')
    expect(recovered.gapMs).toBeGreaterThanOrEqual(0)
    expect(recovered.message).toMatch(/silence sent for the gap/)
    expect(mic.track).not.toBe(lostTrack)
    expect(lostTrack.readyState).toBe('ended')
    expect(mic.track.readyState).toBe('live')
    expect(mic.state.phase).toBe('live')
    expect(mic.active).toBe(true)
    const before = sends.frames.length
    await sleep(400)
    expect(sends.frames.length).toBeGreaterThan(before) // the stream goes on
    await connection.stop()
    // The silence sent for the gap is in the stream: captured chunks plus the gap, no more.
    const gapBytes = Math.round((recovered.gapMs * 16_000) / 1000) * 2
    expect(concat(sends.frames, Uint8Array).length).toBe(concat(captured, Uint8Array).length + gapBytes)
    expect(mic.track.readyState).toBe('ended')
  })

  it('a suspended context: interrupted, then resumed by handle.resume(); events on the handle and the connection', async () => {
    const { connection, mic, types } = await connect({})
    const onHandle: string[] = []
    mic.on('interrupted', (e) => onHandle.push(`${e.type}:${e.reason}`))
    mic.on('resumed', (e) => onHandle.push(e.type))
    await sleep(200)
    await mic.context.suspend()
    await vi.waitFor(() => expect(mic.state).toEqual({ phase: 'interrupted', reason: 'suspended' }))
    await mic.resume()
    await vi.waitFor(() => expect(mic.state.phase).toBe('live'))
    expect(onHandle).toEqual(['interrupted:suspended', 'resumed'])
    expect(types()).toEqual(['interrupted', 'resumed'])
    await connection.stop()
  })

  it('a stalled worklet (no chunk for 1 s while running): stalled, the graph rebuilt, the gap reported and filled', async () => {
    const sends = recordSends()
    const { connection, mic, events, types } = await connect({})
    await sleep(300)
    const stuck = mic.context
    // From the page's side a stuck audio thread is a port that stops delivering: cut it.
    nodes[0].port.onmessage = null
    await vi.waitFor(() => expect(types()).toContain('recovered'), { timeout: 10_000 })
    expect(types().slice(0, 2)).toEqual(['stalled', 'recovered'])
    const stalled = events.find((e) => e.type === 'stalled') as Extract<CaptureEvent, { type: 'stalled' }>
    expect(stalled.sinceMs).toBeGreaterThanOrEqual(1000)
    const recovered = events.find((e) => e.type === 'recovered') as Extract<CaptureEvent, { type: 'recovered' }>
    expect(recovered.reason).toBe('stalled')
    expect(recovered.gapMs).toBeGreaterThanOrEqual(900)
    expect(nodes.length).toBe(2)
    expect(mic.context).not.toBe(stuck)
    expect(stuck.state).toBe('closed')
    expect(mic.track.readyState).toBe('live') // the same track, a new graph
    expect(mic.state.phase).toBe('live')
    await sleep(300)
    await connection.stop()
    expect(sends.frames.length).toBeGreaterThan(0)
  })

  it('silence: the track disabled (exact digital zeros) -> silence once, audible when sound returns; track mute/unmute too', async () => {
    const { connection, mic, events, types } = await connect({ silenceSeconds: 1 })
    await sleep(200)
    mic.track.enabled = false // the input now gives exact zeros, as an OS privacy switch does
    await vi.waitFor(() => expect(types()).toContain('silence'), { timeout: 5000 })
    expect(events.find((e) => e.type === 'silence')).toMatchObject({ reason: 'digital-silence' })
    expect(mic.state).toEqual({ phase: 'muted', reason: 'digital-silence' })
    mic.track.enabled = true
    await vi.waitFor(() => expect(types()).toContain('audible'), { timeout: 5000 })
    mic.track.dispatchEvent(new Event('mute'))
    expect(mic.state).toEqual({ phase: 'muted', reason: 'track-muted' })
    mic.track.dispatchEvent(new Event('unmute'))
    expect(mic.state.phase).toBe('live')
    expect(types()).toEqual(['silence', 'audible', 'silence', 'audible'])
    await connection.stop()
  })
})
