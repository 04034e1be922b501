// Mono float at any rate -> LINEAR16 (Int16 LE, mono, target rate) in fixed-size chunks. The Node
// side of the pipeline (WAV files, raw PCM streams); the AudioWorklet does the same steps inline.

import { invalid, optionalObject } from '../http/check.js'
import { floatToInt16LECore, int16Bytes } from './pcm.js'
import { chunkSamplesFor, validateTargetRate } from './chunking.js'
import { Resampler } from './resampler.js'
import type { Linear16Options } from './types.js'

export type { Linear16Options }

export { chunkSamplesFor, MAX_CHUNK_SAMPLES, validateTargetRate } from './chunking.js'

export class Linear16Encoder {
  readonly targetSampleRate: number
  readonly chunkSamples: number
  private readonly resampler: Resampler
  private chunk: Int16Array
  private fill = 0

  constructor(inputRate: number, options: Linear16Options = {}) {
    optionalObject('Linear16Encoder options', '{ targetSampleRate: 16000, chunkMs: 20 }', options)
    // Checked here, not by the Resampler, so the message names the encoder's own argument.
    if (!(Number.isInteger(inputRate) && inputRate >= 1000 && inputRate <= 384_000))
      invalid('Linear16Encoder inputRate', 'a whole number of Hz from 1000 to 384000', inputRate)
    this.targetSampleRate = validateTargetRate(options.targetSampleRate ?? 16000)
    this.chunkSamples = chunkSamplesFor(options.chunkMs ?? 20, this.targetSampleRate)
    this.resampler = new Resampler({ inputRate, outputRate: this.targetSampleRate })
    this.chunk = new Int16Array(this.chunkSamples)
  }

  /** Adds mono samples at the input rate; returns the chunks completed by them (each its own buffer). */
  push(mono: Float32Array): Uint8Array[] {
    if (!(mono instanceof Float32Array)) invalid('Linear16Encoder.push: samples', 'a Float32Array of mono samples', mono)
    return this.collect(this.resampler.process(mono), [])
  }

  /** Ends the stream: the resampler's tail and the last, possibly shorter, chunk. */
  end(): Uint8Array[] {
    const out = this.collect(this.resampler.flush(), [])
    if (this.fill > 0) out.push(int16Bytes(this.chunk.slice(0, this.fill)))
    this.fill = 0
    return out
  }

  private collect(samples: Float32Array, out: Uint8Array[]): Uint8Array[] {
    let p = 0
    while (p < samples.length) {
      const n = Math.min(this.chunkSamples - this.fill, samples.length - p)
      floatToInt16LECore(samples.subarray(p, p + n), this.chunk, this.fill)
      this.fill += n
      p += n
      if (this.fill === this.chunkSamples) {
        out.push(int16Bytes(this.chunk))
        // A fresh buffer per chunk: callers keep or transfer the ones already returned.
        this.chunk = new Int16Array(this.chunkSamples)
        this.fill = 0
      }
    }
    return out
  }
}
