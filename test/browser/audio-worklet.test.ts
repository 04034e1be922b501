// The real AudioWorklet in real Chromium, Firefox and WebKit: quality through an OfflineAudioContext, then
// captureMicrophone against the browsers' fake microphones.

import { afterEach, describe, expect, it, vi } from 'vitest'
import { server } from 'vitest/browser'
import { MicrophoneError } from '../../src/audio/errors.js'
import { captureMicrophone, type MicrophoneHandle, type MicrophoneOptions } from '../../src/audio/microphone.js'
import { floatToInt16LE } from '../../src/audio/pcm.js'
import { Resampler } from '../../src/audio/resampler.js'
import { addProcessorModule, createProcessorNode, processorSource } from '../../src/audio/worklet-source.js'
import { ValidationError } from '../../src/errors.js'
import { dbFullScale, dominantFrequency, rms, tone, toneAmplitude } from '../node/audio-measure.js'

const isFirefox = server.browser === 'firefox'
const isWebKit = server.browser === 'webkit'

/**
 * Renders `signal` through the processor in an OfflineAudioContext at `rate` and returns what it
 * produced, read from the tap output (channel 0 = sample, channel 1 = "sample here" mask): the
 * rendered buffer is complete when startRendering() resolves, port messages may not be.
 */
async function renderThroughWorklet(rate: number, signal: Float32Array, targetSampleRate = 16000): Promise<Float32Array> {
  // Whole render quanta, so the tap output of the last quantum is inside the rendered buffer.
  const length = Math.ceil(signal.length / 128) * 128
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate: rate })
  await addProcessorModule(ctx)
  const buffer = ctx.createBuffer(1, signal.length, rate)
  buffer.copyToChannel(new Float32Array(signal), 0)
  const src = ctx.createBufferSource()
  src.buffer = buffer
  const node = createProcessorNode(ctx, { targetSampleRate, chunkSamples: 320, tap: true })
  src.connect(node)
  node.connect(ctx.destination)
  src.start()
  const rendered = await ctx.startRendering()
  const data = rendered.getChannelData(0)
  const mask = rendered.getChannelData(1)
  const out: number[] = []
  for (let i = 0; i < data.length; i++) if (mask[i] === 1) out.push(data[i])
  return Float32Array.from(out)
}

describe('AudioWorklet processor in an OfflineAudioContext', () => {
  for (const rate of [44100, 48000]) {
    it(`${rate} Hz: bit-identical to the Node path; flat to 7 kHz; aliases >= 80 dB down`, async () => {
      // Same code, same numbers: the browser output equals Resampler + floatToInt16LE run here.
      const probe = tone(1000, rate, 0.25, 0.5)
      const got = await renderThroughWorklet(rate, probe)
      // The context renders whole 128-frame quanta: the processor sees the probe plus zeros.
      const padded = new Float32Array(Math.ceil(probe.length / 128) * 128)
      padded.set(probe)
      const expected = floatToInt16LE(new Resampler({ inputRate: rate, outputRate: 16000 }).process(padded).slice())
      expect(got.length).toBe(expected.length)
      expect(got).toEqual(Float32Array.from(expected, (v) => v / 32768))

      for (const f of [1000, 4000, 7000]) {
        const y = await renderThroughWorklet(rate, tone(f, rate, 0.25, 0.5))
        const gain = 20 * Math.log10(toneAmplitude(y.subarray(400, 3600), f, 16000) / 0.5)
        expect(Math.abs(gain), `${f} Hz`).toBeLessThan(0.1)
      }
      for (const f of [9000, 9500, 11000, 14000, 17000, 20000, rate / 2 - 200]) {
        const y = await renderThroughWorklet(rate, tone(f, rate, 0.25, 1))
        expect(dbFullScale(y.subarray(400, 3600)), `${f} Hz`).toBeLessThan(-80)
      }
    })
  }
})

// ---- Microphone ----

const RAW: MediaTrackConstraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
const handles: MicrophoneHandle[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(handles.splice(0).map((h) => h.stop()))
})

interface Capture {
  handle: MicrophoneHandle
  chunks: ArrayBuffer[]
  levels: number[]
  ended: (MicrophoneError | undefined)[]
}

async function capture(extra: Partial<MicrophoneOptions> = {}): Promise<Capture> {
  const c = { chunks: [] as ArrayBuffer[], levels: [] as number[], ended: [] as (MicrophoneError | undefined)[] }
  const handle = await captureMicrophone({
    constraints: RAW,
    onChunk: (b) => c.chunks.push(b),
    onLevel: (l) => c.levels.push(l),
    onEnded: (e) => c.ended.push(e),
    ...extra,
  })
  handles.push(handle)
  return { ...c, handle }
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length
  const mx = points.reduce((a, [x]) => a + x, 0) / n
  const my = points.reduce((a, [, y]) => a + y, 0) / n
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0)
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0)
  return sxy / sxx
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const samplesOf = (chunks: ArrayBuffer[]) => chunks.flatMap((b) => Array.from(new Int16Array(b), (v) => v / 32768))

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = performance.now()
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error('timed out waiting')
    await sleep(20)
  }
}

describe('captureMicrophone (fake device)', () => {
  it('delivers 20 ms chunks of 16 kHz LINEAR16 with the fake signal, a level, and the device', async () => {
    const c = await capture()
    expect(c.handle.targetSampleRate).toBe(16000)
    expect(c.handle.device.label).not.toBe('')
    await waitFor(() => c.chunks.length >= 60)
    expect(c.chunks.every((b) => b.byteLength === 640)).toBe(true)
    // The output rate follows the capture clock: samples delivered against the context's time,
    // sampled every 20 ms for 1.5 s and fitted with a line, so that a busy main thread delivering
    // a few chunks late at either end does not skew the figure.
    const points: Array<[number, number]> = []
    for (let i = 0; i < 75; i++) {
      points.push([c.handle.context.currentTime, c.chunks.length * 320])
      await sleep(20)
    }
    expect(Math.abs(slope(points) - 16000) / 16000).toBeLessThan(0.1)

    const all = samplesOf(c.chunks)
    expect(Math.max(...c.levels)).toBeGreaterThan(0.01)
    expect(c.handle.level).toBeGreaterThanOrEqual(0)
    if (isFirefox) {
      // Firefox's fake microphone: a steady 1 kHz sine at amplitude 0.1.
      const tail = all.slice(-8000)
      expect(Math.abs(dominantFrequency(tail, 16000, 100, 7000, 10) - 1000)).toBeLessThanOrEqual(10)
      expect(Math.abs(rms(tail) - 0.1 / Math.SQRT2)).toBeLessThan(0.004)
    } else if (isWebKit) {
      // WebKit's mock device: a steady 150 Hz hum at 0.1 with a 3 kHz tone at 0.05 under it (RMS
      // 0.079), and every second a ~0.15 s beep at 0.5, 1500 Hz and 500 Hz in turn. In 100 ms windows
      // of the settled capture without a dropout (8+ exact zeros, as under load): the hum alone has
      // its pitch and level, the beeps one of their two pitches.
      const dropout = (w: number[]) => w.some((_, i) => i + 8 <= w.length && w.slice(i, i + 8).every((v) => v === 0))
      const windows = Array.from({ length: Math.floor(all.length / 1600) }, (_, i) => all.slice(i * 1600, (i + 1) * 1600))
        .slice(3)
        .filter((w) => !dropout(w))
      const hum = windows.filter((w) => rms(w) > 0.05 && rms(w) < 0.1)
      const beeps = windows.filter((w) => rms(w) > 0.15)
      expect(hum.length).toBeGreaterThan(5)
      for (const w of hum) {
        expect(Math.abs(dominantFrequency(w, 16000, 50, 7000, 5) - 150)).toBeLessThanOrEqual(10)
        expect(Math.abs(rms(w) - 0.079)).toBeLessThan(0.004)
      }
      // A beep is there at its pitch: a sine fitted at 500 or 1500 Hz finds it in a loud window (a peak
      // search can be ruled by the click of a beep's edge, or by a capture glitch under load).
      const beepAt = (w: number[]) => Math.max(toneAmplitude(w, 500, 16000), toneAmplitude(w, 1500, 16000))
      expect(beeps.length).toBeGreaterThan(0)
      expect(Math.max(...beeps.map(beepAt))).toBeGreaterThan(0.2)
    } else {
      // Chromium's default fake device: a 400 Hz beep every 0.5 s, silence between (unless
      // FAKE_AUDIO_FILE gave it a file to play). Find the loud chunks and check their pitch.
      const loud = c.chunks.filter((b) => rms(Array.from(new Int16Array(b), (v) => v / 32768)) > 0.05)
      expect(loud.length).toBeGreaterThan(0)
      if (loud.length < c.chunks.length / 2) {
        // Beeps, not a file: the pitch must come through resampling unchanged. Measure on the
        // longest unbroken loud stretch: a single chunk may hold only part of a ~21 ms beep, or a
        // capture dropout (toolchain notes §8).
        const beep = longestLoudStretch(all, 32, 0.05)
        expect(beep.length).toBeGreaterThanOrEqual(160)
        expect(Math.abs(dominantFrequency(beep, 16000, 100, 7000, 5) - 400)).toBeLessThanOrEqual(15)
      }
    }
  })

  it('mute sends zeros from the call on (chunks in flight included), unmute restores the signal', async () => {
    const c = await capture()
    await waitFor(() => c.chunks.length >= 10)
    c.handle.mute()
    expect(c.handle.muted).toBe(true)
    const from = c.chunks.length
    await sleep(600)
    const muted = samplesOf(c.chunks.slice(from))
    expect(muted.length).toBeGreaterThan(3200)
    expect(muted.every((v) => v === 0)).toBe(true)
    expect(c.levels.slice(from).every((l) => l === 0)).toBe(true)
    c.handle.unmute()
    await waitFor(() => c.levels.slice(from).some((l) => l > 0.01))
  })

  it('stop() releases the microphone and the context; nothing arrives afterwards; 5 cycles leak nothing', async () => {
    const created = vi.spyOn(URL, 'createObjectURL')
    const revoked = vi.spyOn(URL, 'revokeObjectURL')
    for (let i = 0; i < 5; i++) {
      const c = await capture()
      await waitFor(() => c.chunks.length >= 3)
      await c.handle.stop()
      expect(c.handle.track.readyState).toBe('ended')
      expect(c.handle.context.state).toBe('closed')
      expect(c.handle.active).toBe(false)
      expect(c.ended).toEqual([undefined])
      const n = c.chunks.length
      await sleep(100)
      expect(c.chunks.length).toBe(n)
      await c.handle.stop() // idempotent
    }
    expect(created).toHaveBeenCalledTimes(5)
    expect(revoked.mock.calls.map((c) => c[0])).toEqual(created.mock.results.map((r) => r.value))
  })

  it('a device that goes away ends the capture with a device-lost error and releases everything', async () => {
    const c = await capture()
    await waitFor(() => c.chunks.length >= 3)
    c.handle.track.dispatchEvent(new Event('ended'))
    await waitFor(() => c.ended.length > 0)
    expect(c.ended[0]).toBeInstanceOf(MicrophoneError)
    expect(c.ended[0]?.reason).toBe('device-lost')
    expect(c.handle.active).toBe(false)
    expect(c.handle.track.readyState).toBe('ended')
    expect(c.handle.context.state).toBe('closed')
  })

  it('loads the processor from workletUrl when given', async () => {
    const url = URL.createObjectURL(new Blob([processorSource()], { type: 'text/javascript' }))
    const created = vi.spyOn(URL, 'createObjectURL')
    const c = await capture({ workletUrl: url })
    await waitFor(() => c.chunks.length >= 3)
    expect(created).not.toHaveBeenCalled()
    URL.revokeObjectURL(url)
  })
})

describe('captureMicrophone errors', () => {
  const opts = { onChunk: () => {} }
  const reasonOf = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(MicrophoneError)
    return (err as MicrophoneError).reason
  }

  it('permission denied and no device', async () => {
    const gum = vi.spyOn(navigator.mediaDevices, 'getUserMedia')
    gum.mockRejectedValueOnce(new DOMException('Permission denied', 'NotAllowedError'))
    expect(await reasonOf(captureMicrophone(opts))).toBe('permission-denied')
    gum.mockRejectedValueOnce(new DOMException('Requested device not found', 'NotFoundError'))
    expect(await reasonOf(captureMicrophone(opts))).toBe('no-device')
    gum.mockRestore()
    expect(await reasonOf(captureMicrophone({ ...opts, deviceId: 'no-such-device' }))).toBe('no-device')
  })

  it('AudioWorklet unavailable, before asking for the microphone', async () => {
    const gum = vi.spyOn(navigator.mediaDevices, 'getUserMedia')
    vi.stubGlobal('AudioWorkletNode', undefined)
    try {
      expect(await reasonOf(captureMicrophone(opts))).toBe('worklet-unavailable')
    } finally {
      vi.unstubAllGlobals()
    }
    expect(gum).not.toHaveBeenCalled()
  })

  it('a worklet that cannot load (blocked URL) is worklet-unavailable, and the microphone is released', async () => {
    const tracks = recordTracks()
    expect(await reasonOf(captureMicrophone({ ...opts, workletUrl: '/no/such/processor.js' }))).toBe('worklet-unavailable')
    expect(tracks.length).toBe(1)
    expect(tracks[0].readyState).toBe('ended')
  })

  it('an AudioContext that cannot be created is a MicrophoneError, and the microphone is released', async () => {
    const tracks = recordTracks()
    // What a browser does past its limit of open contexts (Chromium: 6 real-time contexts in old versions).
    class RefusedContext {
      constructor() {
        throw new DOMException(
          'The number of hardware contexts provided (6) is greater than or equal to the maximum bound (6).',
          'NotSupportedError',
        )
      }
    }
    Object.defineProperty(RefusedContext.prototype, 'audioWorklet', { value: {} })
    vi.stubGlobal('AudioContext', RefusedContext)
    try {
      const err = await captureMicrophone(opts).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(MicrophoneError)
      expect((err as MicrophoneError).message).toMatch(/could not start audio processing.*maximum bound/)
      expect((err as MicrophoneError).cause).toBeInstanceOf(DOMException)
    } finally {
      vi.unstubAllGlobals()
    }
    expect(tracks.length).toBe(1)
    expect(tracks[0].readyState).toBe('ended')
  })

  it('a processor that throws in the audio thread ends the capture with a MicrophoneError and releases everything', async () => {
    const module = `registerProcessor('symbl-linear16-processor', class extends AudioWorkletProcessor {
      process() { throw new Error('boom in process') }
    })`
    const url = URL.createObjectURL(new Blob([module], { type: 'text/javascript' }))
    try {
      const c = await capture({ workletUrl: url })
      await waitFor(() => c.ended.length > 0)
      expect(c.ended).toHaveLength(1)
      expect(c.ended[0]).toBeInstanceOf(MicrophoneError)
      expect(c.ended[0]?.reason).toBe('worklet-unavailable')
      expect(c.ended[0]?.message).toMatch(/audio processor stopped with an error/)
      expect(c.handle.active).toBe(false)
      expect(c.handle.track.readyState).toBe('ended')
      expect(c.handle.context.state).toBe('closed')
      await c.handle.stop() // still idempotent
      expect(c.ended).toHaveLength(1)
    } finally {
      URL.revokeObjectURL(url)
    }
  })

  it('insecure context', async () => {
    vi.stubGlobal('isSecureContext', false)
    try {
      expect(await reasonOf(captureMicrophone(opts))).toBe('insecure-context')
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('bad options are ValidationErrors', async () => {
    await expect(captureMicrophone({ ...opts, chunkMs: 10 })).rejects.toThrow(ValidationError)
    await expect(captureMicrophone({ ...opts, targetSampleRate: 96000 })).rejects.toThrow(ValidationError)
  })
})

/** The longest run of consecutive `win`-sample windows whose RMS is above `threshold`. */
function longestLoudStretch(samples: number[], win: number, threshold: number): number[] {
  let best: [number, number] = [0, 0]
  let start = -1
  for (let i = 0; i + win <= samples.length + win; i += win) {
    const loud = i + win <= samples.length && rms(samples.slice(i, i + win)) > threshold
    if (loud && start < 0) start = i
    if (!loud && start >= 0) {
      if (i - start > best[1] - best[0]) best = [start, i]
      start = -1
    }
  }
  return samples.slice(best[0], best[1])
}

/** Lets getUserMedia through while keeping every track it hands out, to check they are released. */
function recordTracks(): MediaStreamTrack[] {
  const tracks: MediaStreamTrack[] = []
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  vi.spyOn(navigator.mediaDevices, 'getUserMedia').mockImplementation(async (c) => {
    const s = await real(c)
    tracks.push(...s.getTracks())
    return s
  })
  return tracks
}
