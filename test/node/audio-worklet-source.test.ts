// The worklet module is built from Function.prototype.toString() of the shared code. These tests run
// that source text in a fake AudioWorkletGlobalScope, both from the TypeScript sources and from a
// minified vite bundle (old and new targets), and check that it behaves exactly like the Node path.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { floatToInt16LE } from '../../src/audio/pcm.js'
import { Resampler } from '../../src/audio/resampler.js'
import * as direct from '../../src/audio/worklet-source.js'
import type { ProcessorMessage } from '../../src/audio/worklet-processor.js'
import { tone, toneAmplitude } from './audio-measure.js'

interface FakeProcessor {
  port: { onmessage: ((e: { data: unknown }) => void) | null; sent: ProcessorMessage[] }
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean
}

/** Evaluates the module text with fake globals; returns a factory for processor instances. */
function loadProcessor(source: string, rate: number) {
  let registered: { name: string; ctor: new (o: unknown) => FakeProcessor } | undefined
  class AudioWorkletProcessor {
    port = {
      onmessage: null,
      sent: [] as ProcessorMessage[],
      postMessage(m: ProcessorMessage) {
        this.sent.push(m)
      },
    }
  }
  new Function('AudioWorkletProcessor', 'registerProcessor', 'sampleRate', source)(
    AudioWorkletProcessor,
    (name: string, ctor: new (o: unknown) => FakeProcessor) => (registered = { name, ctor }),
    rate,
  )
  expect(registered?.name).toBe(direct.PROCESSOR_NAME)
  return (processorOptions: object) => new registered!.ctor({ processorOptions })
}

/** Feeds `channels` copies of x in 128-frame quanta; returns the Int16 samples posted. */
function run(p: FakeProcessor, x: Float32Array, channels = 2): Int16Array {
  for (let o = 0; o + 128 <= x.length; o += 128) {
    const q = x.slice(o, o + 128)
    p.process([Array.from({ length: channels }, () => q)], [[new Float32Array(128)]])
  }
  const chunks = p.port.sent.filter((m) => m.type === 'chunk') as Extract<ProcessorMessage, { type: 'chunk' }>[]
  const out = new Int16Array(chunks.reduce((n, c) => n + c.pcm.byteLength / 2, 0))
  let n = 0
  for (const c of chunks) {
    out.set(new Int16Array(c.pcm), n)
    n += c.pcm.byteLength / 2
  }
  return out
}

const sources: Record<string, () => string> = { 'TypeScript source': direct.processorSource }
let dir = ''

beforeAll(async () => {
  // Bundle worklet-source.ts the way a consumer's build would: minified, for a new and an old target.
  const { build } = await import('vite')
  dir = mkdtempSync(join(tmpdir(), 'symbl-worklet-'))
  for (const target of ['es2022', 'es2017']) {
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: true,
        target,
        lib: { entry: 'src/audio/worklet-source.ts', formats: ['es'], fileName: 'worklet' },
      },
    })
    const output = (Array.isArray(result) ? result[0] : result) as { output: { code?: string }[] }
    const file = join(dir, `worklet-${target}.mjs`)
    writeFileSync(file, output.output[0].code!)
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as typeof direct
    sources[`minified bundle (${target})`] = mod.processorSource
  }
}, 30_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('worklet processor source', () => {
  it('is self-contained in every build', () => {
    for (const [name, src] of Object.entries(sources)) {
      const text = src()
      expect(text, name).toContain('registerProcessor')
      expect(() => loadProcessor(text, 44100), name).not.toThrow()
    }
    expect(Object.keys(sources)).toHaveLength(3)
  })

  it('posts 20 ms LINEAR16 chunks bit-identical to the Node path, with their RMS', () => {
    const x = tone(1000, 44100, 1, 0.5)
    const r = new Resampler({ inputRate: 44100, outputRate: 16000 })
    const usable = x.subarray(0, Math.floor(x.length / 128) * 128)
    const expected = floatToInt16LE(r.process(usable).slice())
    for (const [name, src] of Object.entries(sources)) {
      const p = loadProcessor(src(), 44100)({ targetSampleRate: 16000, chunkSamples: 320 })
      const got = run(p, x)
      const chunks = p.port.sent.filter((m) => m.type === 'chunk')
      expect(
        chunks.every((c) => c.type === 'chunk' && c.pcm.byteLength === 640),
        name,
      ).toBe(true)
      expect(got.length, name).toBe(Math.floor(expected.length / 320) * 320)
      expect(got, name).toEqual(expected.subarray(0, got.length))
      const last = chunks[chunks.length - 1]
      expect(last.type === 'chunk' && Math.abs(last.rms - 0.5 / Math.SQRT2), name).toBeLessThan(1e-3)
    }
  })

  it('mixes channels to mono, mutes to zeros, flushes the tail on stop', () => {
    const make = loadProcessor(sources['minified bundle (es2022)'](), 48000)
    const p = make({ targetSampleRate: 16000, chunkSamples: 320 })
    // Opposite channels cancel: silence.
    const x = tone(440, 48000, 0.1, 0.5)
    const neg = x.map((v) => -v)
    for (let o = 0; o + 128 <= x.length; o += 128) p.process([[x.slice(o, o + 128), neg.slice(o, o + 128)]], [[new Float32Array(128)]])
    const silent = p.port.sent.flatMap((m) => (m.type === 'chunk' ? Array.from(new Int16Array(m.pcm)) : []))
    expect(silent.length).toBeGreaterThan(0)
    expect(silent.every((v) => v === 0)).toBe(true)

    const q = make({ targetSampleRate: 16000, chunkSamples: 320 })
    q.port.onmessage!({ data: { type: 'mute', muted: true } })
    const muted = run(q, tone(1000, 48000, 0.2, 0.5), 1)
    expect(muted.length).toBe(2880)
    expect(muted.every((v) => v === 0)).toBe(true)
    q.port.onmessage!({ data: { type: 'mute', muted: false } })
    const all = run(q, tone(1000, 48000, 0.2, 0.5), 1)
    const loud = Array.from(all.subarray(all.length - 1600), (v) => v / 32768)
    expect(toneAmplitude(loud, 1000, 16000)).toBeCloseTo(0.5, 3)
    // 2 x 75 quanta of 128 frames at 48 kHz in: stop flushes the rest, exactly 19200 / 3 out.
    q.port.onmessage!({ data: { type: 'stop' } })
    const total = q.port.sent.reduce((n, m) => n + (m.type === 'chunk' ? m.pcm.byteLength / 2 : 0), 0)
    expect(q.port.sent[q.port.sent.length - 1]).toEqual({ type: 'stopped' })
    expect(total).toBe(6400)
    expect(q.process([[new Float32Array(128)]], [[new Float32Array(128)]])).toBe(false)
  })

  it('tap mode writes the samples and a validity mask to its output', () => {
    const p = loadProcessor(direct.processorSource(), 48000)({ targetSampleRate: 16000, chunkSamples: 320, tap: true })
    const x = tone(1000, 48000, 0.1, 0.5)
    const taps: number[] = []
    for (let o = 0; o + 128 <= x.length; o += 128) {
      const out = [new Float32Array(128), new Float32Array(128)]
      p.process([[x.subarray(o, o + 128)]], [out])
      const n = out[1].reduce((s, v) => s + v, 0)
      expect(out[1].subarray(0, n).every((v) => v === 1)).toBe(true)
      expect(out[0].subarray(n).every((v) => v === 0)).toBe(true)
      taps.push(...out[0].subarray(0, n))
    }
    const posted = run(p, new Float32Array(0))
    expect(Float32Array.from(taps).subarray(0, posted.length)).toEqual(Float32Array.from(posted, (v) => v / 32768))
  })

  it('allocates nothing per process() call: one Int16Array per posted chunk, nothing else (20 and 100 ms chunks)', () => {
    // The module text runs with counting typed-array classes in place of the globals. subarray() and
    // slice() build their result through the species constructor, so views are counted too.
    let allocations = 0
    const counting = <T extends new (...args: never[]) => object>(Base: T): T =>
      class extends (Base as unknown as new (...args: unknown[]) => object) {
        constructor(...args: unknown[]) {
          super(...args)
          allocations++
        }
      } as unknown as T
    const F32 = counting(Float32Array)
    const arrays = {
      Float32Array: F32,
      Float64Array: counting(Float64Array),
      Int16Array: counting(Int16Array),
      Uint8Array: counting(Uint8Array),
      Uint16Array: counting(Uint16Array),
      DataView: counting(DataView),
    }
    for (const [name, src] of Object.entries(sources)) {
      for (const [rate, target, chunkMs] of [
        [44100, 16000, 20],
        [48000, 16000, 100],
        [48000, 48000, 20],
        [96000, 8000, 100],
      ]) {
        let registered: (new (o: unknown) => FakeProcessor) | undefined
        class AudioWorkletProcessor {
          port = {
            onmessage: null,
            sent: [] as ProcessorMessage[],
            postMessage(m: ProcessorMessage) {
              this.sent.push(m)
            },
          }
        }
        new Function('AudioWorkletProcessor', 'registerProcessor', 'sampleRate', ...Object.keys(arrays), src())(
          AudioWorkletProcessor,
          (_: string, ctor: new (o: unknown) => FakeProcessor) => (registered = ctor),
          rate,
          ...Object.values(arrays),
        )
        const chunkSamples = Math.round((chunkMs * target) / 1000)
        const p = new registered!({ processorOptions: { targetSampleRate: target, chunkSamples } })
        const x = tone(1000, rate, 1, 0.5)
        const inputs = [[new F32(128), new F32(128)]]
        const outputs = [[new F32(128)]]
        const quantum = (o: number) => {
          inputs[0][0].set(x.subarray(o, o + 128))
          inputs[0][1].set(x.subarray(o, o + 128))
          p.process(inputs, outputs)
        }
        for (let o = 0; o < 128 * 20; o += 128) quantum(o) // warm-up
        const chunksBefore = p.port.sent.length
        allocations = 0
        for (let o = 128 * 20; o + 128 <= x.length; o += 128) quantum(o)
        const chunks = p.port.sent.length - chunksBefore
        expect(chunks, `${name} ${rate} -> ${target}`).toBeGreaterThan(5)
        expect(
          allocations,
          `${name} ${rate} -> ${target}, ${chunkMs} ms: allocations in ${Math.floor(x.length / 128) - 20} process() calls`,
        ).toBe(chunks)
        const sizes = p.port.sent.map((m) => (m.type === 'chunk' ? m.pcm.byteLength : -1))
        expect(new Set(sizes), `${name} ${rate} -> ${target}`).toEqual(new Set([chunkSamples * 2]))
      }
    }
  })

  it('reports a bad target rate as an error message instead of throwing in the audio thread', () => {
    const p = loadProcessor(direct.processorSource(), 44100)({ targetSampleRate: 0, chunkSamples: 320 })
    expect(p.port.sent[0]).toMatchObject({ type: 'error' })
    expect(p.process([[new Float32Array(128)]], [[new Float32Array(128)]])).toBe(false)
  })
})
