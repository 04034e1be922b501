// Opus from the microphone (issue 14), end to end in real Chromium, Firefox and WebKit: the fake
// microphone → the worklet and resampler → the browser's WebCodecs AudioEncoder → one packet per
// message → the Node test server, which decodes each session with libopus (opus-received.ts).
// Every browser here encodes Opus (Chromium 156, Firefox ESR 153 and WebKitGTK 2.50 answer isConfigSupported with
// true at 16, 24 and 48 kHz), so the fallback to LINEAR16 is tested by taking the encoder away.
// Firefox's fake microphone is a steady 1 kHz sine at amplitude 0.1. Chromium's (and WebKit's)
// fake devices only beep (Chromium: 20 ms bursts of a 400 Hz square wave every 500 ms, shorter than
// what an Opus frame analysis needs), so there getUserMedia hands the SDK a stream playing the same
// 1 kHz sine at 0.1 from an OscillatorNode: the SDK's capture, worklet, resampler and encoder are the real ones.
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest'
import { server } from 'vitest/browser'
import { OpusEncoder } from '../../src/audio/opus-encoder.js'
import { Symbl } from '../../src/browser.js'
import { type SymblError, ValidationError } from '../../src/errors.js'
import type { StreamingConnection } from '../../src/streaming/connection.js'
import type { EncodingFallback, StreamingOptions } from '../../src/streaming/types.js'
import type { ReceivedStats } from './global-setup.js'
import type { OpusReceived } from './opus-received.js'

const isFirefox = server.browser === 'firefox'
const isWebKit = server.browser === 'webkit'
const { url, statsUrl } = inject('symblServer')
const serverUrl = (path: string, c: StreamingConnection) => statsUrl.replace(/stats\/$/, `${path}/`) + encodeURIComponent(c.connectionId)
const RAW: MediaTrackConstraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
const connections: StreamingConnection[] = []
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Outside Firefox: the microphone plays a 1 kHz sine at amplitude 0.1, like Firefox's fake device. */
function toneMicrophone(): void {
  if (isFirefox) return
  const contexts: AudioContext[] = []
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  vi.spyOn(navigator.mediaDevices, 'getUserMedia').mockImplementation(async () => {
    // A live capture first: Chromium lets a page that captures run its AudioContext without a gesture.
    const device = await real({ audio: true })
    const context = new AudioContext({ sampleRate: 48000 })
    contexts.push(context)
    const oscillator = new OscillatorNode(context, { frequency: 1000 })
    const gain = new GainNode(context, { gain: 0.1 })
    const destination = context.createMediaStreamDestination()
    oscillator.connect(gain).connect(destination)
    oscillator.start()
    await context.resume()
    const stream = destination.stream
    cleanups.push(() => device.getTracks().forEach((t) => t.stop()))
    return stream
  })
  cleanups.push(() => {
    for (const c of contexts) if (c.state !== 'closed') void c.close()
  })
}
const cleanups: Array<() => void> = []

beforeEach(() => toneMicrophone())

afterEach(() => {
  for (const f of cleanups.splice(0)) f()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  for (const c of connections.splice(0)) if (c.state !== 'closed') c.close()
})

async function connect(
  sampleRateHertz: number,
  extra: Partial<StreamingOptions> = {},
  encoding: 'OPUS' | 'LINEAR16' = 'OPUS',
): Promise<StreamingConnection> {
  const symbl = new Symbl({ baseUrl: url, accessToken: 'browser-token' })
  const c = await symbl.streaming.startConnection({
    config: { speechRecognition: { encoding, sampleRateHertz } },
    reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  })
  connections.push(c)
  return c
}

const received = async (c: StreamingConnection) => (await fetch(serverUrl('opus', c))).json() as Promise<OpusReceived>
const linear16 = async (c: StreamingConnection) =>
  (await fetch(statsUrl + encodeURIComponent(c.connectionId))).json() as Promise<ReceivedStats>

/** Waits until session `session` (0 = the first socket) has `packets` packets. */
async function receive(c: StreamingConnection, packets: number, session = 0): Promise<void> {
  const t0 = performance.now()
  while (((await received(c)).sessions[session]?.length ?? 0) < packets) {
    if (performance.now() - t0 > 15_000) throw new Error(`session ${session} did not receive ${packets} packets`)
    await sleep(150)
  }
}

/** Counts the PCM samples the capture hands to the SDK's encoder. */
function countEncoded(): { frames: number } {
  const count = { frames: 0 }
  const encode = OpusEncoder.prototype.encode
  vi.spyOn(OpusEncoder.prototype, 'encode').mockImplementation(function (this: OpusEncoder, pcm: ArrayBuffer) {
    count.frames += pcm.byteLength / 2
    return encode.call(this, pcm)
  })
  return count
}

/** What the connection handed to sendAudio, one base64 string per call (per packet). */
function sentPackets(c: StreamingConnection): () => string[] {
  const spy = vi.spyOn(c, 'sendAudio')
  return () =>
    spy.mock.calls.map(([p]) => {
      const bytes = new Uint8Array(p as ArrayBuffer)
      let s = ''
      for (const b of bytes) s += String.fromCharCode(b)
      return btoa(s)
    })
}

const db = (a: number, b: number) => 20 * Math.log10(a / b)

/**
 * The microphone's tone came back: 1 kHz, level within 1 dB of 0.1. In WebKit the stand-in's level
 * already varies by 1–2 dB before the SDK (its MediaStream capture path), so there the level is
 * checked against the same microphone streamed as LINEAR16 instead (the side-by-side test).
 */
function expectTone(r: Pick<OpusReceived, 'dominantHz' | 'amplitude' | 'longestLoudMs'>): void {
  expect(r.longestLoudMs).toBeGreaterThanOrEqual(400)
  expect(Math.abs(r.dominantHz - 1000)).toBeLessThanOrEqual(5)
  if (!isWebKit) expect(Math.abs(db(r.amplitude, 0.1))).toBeLessThanOrEqual(1)
}

/**
 * The stream holds all of the capture and at most two frames more: stop() flushes the encoder
 * before stop_request, and the encoder wrapper completes the last partial frame with silence (WebKit's
 * encoder dropped it: up to 20 ms of the end lost); Chromium's and Firefox's also flush their 6.5 ms
 * lookahead (312 samples at 48 kHz, the usual Ogg pre-skip, RFC 7845 section 4.2), which may take
 * one more frame. WebKit's has no lookahead.
 */
function expectDuration(streamMs: number, capturedMs: number): void {
  expect(streamMs - capturedMs).toBeGreaterThanOrEqual(0)
  expect(streamMs - capturedMs).toBeLessThan(20 + 20)
}

describe('sendAudioFromMic on an Opus connection', () => {
  it('48 kHz: 20 ms packets, one per message, the tone back; a forced reconnect leaves no gap; stop() flushes the last packet', async () => {
    const encoded = countEncoded()
    const c = await connect(48000)
    expect(c.encoding).toBe('OPUS')
    const sent = sentPackets(c)
    const reconnected = new Promise<{ resentBytes: number }>((resolve) => c.once('reconnected', resolve))
    const mic = await c.sendAudioFromMic({ constraints: RAW })
    expect(mic.targetSampleRate).toBe(48000)
    await receive(c, 50)
    await fetch(serverUrl('drop', c), { method: 'POST' })
    const info = await reconnected
    await receive(c, 40, 1)
    await c.stop()
    expect(mic.active).toBe(false)
    expect(mic.track.readyState).toBe('ended')
    const r = await received(c)
    const all = sent()
    // Each session is exactly what was sent, in order; the second starts at or before where the first ended.
    expect(r.sessions.length).toBe(2)
    const [first, second] = r.sessions
    expect(first).toEqual(all.slice(0, first.length))
    const replayFrom = all.length - second.length
    expect(second).toEqual(all.slice(replayFrom))
    expect(replayFrom).toBeLessThanOrEqual(first.length) // no packet missing
    expect(info.resentBytes).toBeGreaterThan(0)
    // Each packet is one 20 ms Opus frame (960 samples at 48 kHz), within the RFC's 1275 bytes, decoded without error.
    expect(r.decodeErrors).toBe(0)
    expect(r.decodedSamples.flat().every((n) => n === 960)).toBe(true)
    expect(Math.max(...all.map((p) => atob(p).length))).toBeLessThanOrEqual(1275)
    // The stream lasts as long as the capture, within one frame: the encoder's last partial frame was flushed.
    expectDuration(all.length * 20, (encoded.frames / 48000) * 1000)
    expectTone(r)
  })

  it.each([16000, 24000])(
    '%i Hz: packets decode at that rate; mute() sends encoded silence and keeps the timing; modify() cannot change the rate meanwhile',
    async (rate) => {
      const encoded = countEncoded()
      const c = await connect(rate, { opus: { bitrate: 24000 } })
      const sent = sentPackets(c)
      const mic = await c.sendAudioFromMic({ constraints: RAW })
      await receive(c, 30)
      await expect(c.modify({ sampleRateHertz: 48000 })).rejects.toThrow(/stop it before modify\(\) changes the rate or the encoding/)
      mic.mute()
      await sleep(700)
      mic.unmute()
      await receive(c, 30 + 35 + 15)
      await c.stop()
      const r = await received(c)
      expect(r.decodeErrors).toBe(0)
      expect(r.decodedSamples[0].every((n) => n === rate / 50)).toBe(true)
      // Muted: packets went on every 20 ms (the stream is as long as the capture), carrying silence.
      expectDuration(sent().length * 20, (encoded.frames / rate) * 1000)
      expect(r.longestQuietMs).toBeGreaterThanOrEqual(500)
      expectTone(r)
    },
  )

  it('Opus and LINEAR16 from the same microphone at once: the same pitch and level (within 1 dB)', async () => {
    const pcm = await connect(16000, {}, 'LINEAR16')
    const opus = await connect(48000)
    await Promise.all([pcm.sendAudioFromMic({ constraints: RAW }), opus.sendAudioFromMic({ constraints: RAW })])
    await receive(opus, 75)
    await Promise.all([pcm.stop(), opus.stop()])
    const [a, b] = await Promise.all([linear16(pcm), received(opus)])
    expect(a.encoding).toBe('LINEAR16')
    expect(Math.abs(a.dominantHz - b.dominantHz)).toBeLessThanOrEqual(5)
    expect(Math.abs(db(b.amplitude, a.amplitude))).toBeLessThanOrEqual(1)
    expectTone(b)
  })
})

describe('startConnection({ microphone }) with Opus', () => {
  it('captures from the call: packets whole and in order, none lost before or after the start (the stream as long as the capture)', async () => {
    const encoded = countEncoded()
    const c = await connect(48000, { microphone: { constraints: RAW } })
    expect(c.encoding).toBe('OPUS')
    const sent = sentPackets(c) // only what follows the start: the early packets went to sendAudio before this spy
    await receive(c, 60)
    await c.stop()
    const r = await received(c)
    expect(r.sessions.length).toBe(1)
    const [session] = r.sessions
    // The live packets are the tail of what the server got; before them, the early ones, in order, whole.
    expect(session.slice(session.length - sent().length)).toEqual(sent())
    expect(r.decodeErrors).toBe(0)
    expect(r.decodedSamples[0].every((n) => n === 960)).toBe(true)
    expectDuration(session.length * 20, (encoded.frames / 48000) * 1000)
    expectTone(r)
  })
})

describe('the encoder failing mid-stream', () => {
  it('an error event (code microphone) says so, the capture ends and is released, the connection stays open', async () => {
    const c = await connect(48000)
    const errors: SymblError[] = []
    c.on('error', (e) => errors.push(e))
    const encode = AudioEncoder.prototype.encode
    let calls = 0
    vi.spyOn(AudioEncoder.prototype, 'encode').mockImplementation(function (this: AudioEncoder, data: AudioData) {
      if (++calls === 10) throw new DOMException('encoder broke (test)', 'EncodingError')
      return encode.call(this, data)
    })
    const mic = await c.sendAudioFromMic({ constraints: RAW })
    await vi.waitFor(() => expect(errors.length).toBe(1), { timeout: 10_000 })
    expect(errors[0].code).toBe('microphone')
    expect(errors[0].message).toMatch(/The browser's Opus encoder failed: encoder broke \(test\)/)
    await vi.waitFor(() => expect(mic.active).toBe(false))
    expect(mic.track.readyState).toBe('ended')
    expect(c.state).toBe('open')
    await c.stop()
  })
})

describe('where the browser cannot encode Opus', () => {
  it('no AudioEncoder: the connection falls back to LINEAR16 16 kHz before start_request, says so, and the microphone streams PCM', async () => {
    vi.stubGlobal('AudioEncoder', undefined)
    const fallbacks: EncodingFallback[] = []
    const c = await connect(48000, { events: { fallback: (f) => fallbacks.push(f) } })
    expect(c.encoding).toBe('LINEAR16')
    expect(c.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 16000 })
    expect(fallbacks).toEqual([
      {
        from: { encoding: 'OPUS', sampleRateHertz: 48000 },
        to: { encoding: 'LINEAR16', sampleRateHertz: 16000 },
        reason: 'this browser has no WebCodecs AudioEncoder',
      },
    ])
    const mic = await c.sendAudioFromMic({ constraints: RAW })
    expect(mic.targetSampleRate).toBe(16000)
    await sleep(1200)
    await c.stop()
    const s = await linear16(c)
    expect(s.encoding).toBe('LINEAR16') // what the start_request declared
    expect(s.sampleRateHertz).toBe(16000)
    expect(s.seconds).toBeGreaterThan(0.8)
    expect(Math.abs(s.dominantHz - 1000)).toBeLessThanOrEqual(5)
  })

  it('Opus not supported (isConfigSupported says no): the same fallback, with that reason, replayed to a late listener', async () => {
    vi.spyOn(AudioEncoder, 'isConfigSupported').mockResolvedValue({ supported: false })
    const c = await connect(24000)
    const info = await new Promise<EncodingFallback>((resolve) => c.once('fallback', resolve))
    expect(info.reason).toBe('AudioEncoder cannot encode Opus at 24000 Hz, mono, 32000 bit/s')
    expect(c.encoding).toBe('LINEAR16')
    await c.stop()
  })

  it("opus.encoder 'app': never falls back; sendAudio takes the app's packets; sendAudioFromMic is refused", async () => {
    vi.stubGlobal('AudioEncoder', undefined)
    const c = await connect(48000, { opus: { encoder: 'app' } })
    expect(c.encoding).toBe('OPUS')
    const packet = Uint8Array.of(31 << 3, 1, 2, 3, 4)
    await c.sendAudio(packet)
    await expect(c.sendAudio(new Uint8Array(0))).rejects.toThrow(ValidationError)
    await expect(c.sendAudioFromMic()).rejects.toThrow(/opus.encoder 'app'/)
    await c.stop()
    const r = await received(c)
    expect(r.sessions).toEqual([[btoa(String.fromCharCode(...packet))]])
  })
})
