// A device that changes rate mid-stream (a Bluetooth headset switching profile, issue 15): capture
// rebuilds its graph at the new rate, so the stream is the old worklet's output up to its flushed
// tail, then a new worklet's output at the new input rate, into the same stream rate. The junction
// must not click. The real processor (its module text, in a fake AudioWorkletGlobalScope) is run:
// the old one fades its input out before it flushes, the new one fades in (5 ms each, as
// capture-session.ts asks). Without the fades the junction steps by most of the signal's range.
import { describe, expect, it } from 'vitest'
import { processorSource } from '../../../src/audio/worklet-source.js'
import type { ProcessorMessage } from '../../../src/audio/worklet-processor.js'

interface FakeProcessor {
  port: { onmessage: ((e: { data: unknown }) => void) | null; sent: ProcessorMessage[] }
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean
}

function processor(rate: number, options: object): FakeProcessor {
  let ctor: (new (o: unknown) => FakeProcessor) | undefined
  class AudioWorkletProcessor {
    port = {
      onmessage: null,
      sent: [] as ProcessorMessage[],
      postMessage(m: ProcessorMessage) {
        this.sent.push(m)
      },
    }
  }
  new Function('AudioWorkletProcessor', 'registerProcessor', 'sampleRate', processorSource())(
    AudioWorkletProcessor,
    (_name: string, c: new (o: unknown) => FakeProcessor) => (ctor = c),
    rate,
  )
  return new ctor!({ processorOptions: { targetSampleRate: 16_000, chunkSamples: 320, ...options } })
}

/** A 440 Hz tone at `rate` from sample `from` on, with a starting phase. */
const sample = (rate: number, i: number, phase: number) => 0.5 * Math.sin(phase + (2 * Math.PI * 440 * i) / rate)

/** Feeds 128-frame quanta of the tone until `frames` are in, or until the processor stops. */
function feed(p: FakeProcessor, rate: number, phase: number, frames: number, start = 0): number {
  let i = start
  for (; i < start + frames; i += 128) {
    const q = Float32Array.from({ length: 128 }, (_, k) => sample(rate, i + k, phase))
    if (!p.process([[q]], [[new Float32Array(128)]])) return i + 128
  }
  return i
}

const output = (p: FakeProcessor): Float32Array => {
  const parts = p.port.sent.filter((m) => m.type === 'chunk').map((m) => new Int16Array((m as { pcm: ArrayBuffer }).pcm))
  const out = new Float32Array(parts.reduce((n, c) => n + c.length, 0))
  let n = 0
  for (const c of parts) for (const v of c) out[n++] = v / 32768
  return out
}

const maxStep = (x: Float32Array) => {
  let m = 0
  for (let i = 1; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - x[i - 1]))
  return m
}

function junction(from: number, to: number, fadeMs: number) {
  const old = processor(from, {})
  let at = feed(old, from, 0, from / 2)
  old.port.onmessage!({ data: { type: 'stop', fadeSamples: Math.round((from * fadeMs) / 1000) } })
  at = feed(old, from, 0, from, at) // the fade runs on live input, then the processor stops by itself
  expect(old.port.sent.at(-1)).toEqual({ type: 'stopped' })
  const fresh = processor(to, { fadeInSamples: Math.round((to * fadeMs) / 1000) })
  feed(fresh, to, 1.3, to / 2) // the signal goes on, at some other phase
  const a = output(old)
  const b = output(fresh)
  const stream = new Float32Array(a.length + b.length)
  stream.set(a)
  stream.set(b, a.length)
  return { steady: maxStep(stream.subarray(2000, 6000)), junction: maxStep(stream.subarray(a.length - 400, a.length + 400)), a }
}

describe('a graph rebuilt at a new device rate', () => {
  for (const [from, to] of [
    [48_000, 16_000],
    [48_000, 44_100],
    [16_000, 48_000],
  ]) {
    it(`${from} Hz -> ${to} Hz into a 16 kHz stream: no click at the junction`, () => {
      const { steady, junction: step, a } = junction(from, to, 5)
      expect(step).toBeLessThanOrEqual(steady * 1.05)
      // The old graph's audio is all there: its 0.5 s and the 5 ms fade (at most one quantum more).
      expect(a.length).toBeGreaterThanOrEqual(8000 + 80 - 2)
      expect(a.length).toBeLessThanOrEqual(8000 + 80 + Math.ceil((128 * 16_000) / from) + 2)
    })
  }

  it('without the fades the same junction clicks (what the fades are for)', () => {
    const { steady, junction: step } = junction(48_000, 16_000, 0)
    expect(step).toBeGreaterThan(steady * 2)
  })
})
