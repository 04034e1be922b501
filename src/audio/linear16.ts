// Mono float at any rate -> LINEAR16 (Int16 LE, mono, target rate) in fixed-size chunks. The Node
// side of the pipeline (WAV files, raw PCM streams); the AudioWorklet does the same steps inline.

import { ValidationError } from '../errors.js'
import { floatToInt16LE, int16Bytes } from './pcm.js'
import { Resampler } from './resampler.js'

export interface Linear16Options {
  /** Output rate in Hz, 8000–48000 (default 16000, what `speechRecognition.sampleRateHertz` defaults to). */
  targetSampleRate?: number
  /** Chunk duration in ms (default 20). Capped at 4096 samples = 8192 bytes, the API's largest audio frame. */
  chunkMs?: number
}

/** The API rejects LINEAR16 frames above 8192 bytes (contract 6.3). */
export const MAX_CHUNK_SAMPLES = 4096

export function validateTargetRate(rate: number): number {
  if (!Number.isInteger(rate) || rate < 8000 || rate > 48000) {
    throw new ValidationError(`targetSampleRate must be an integer from 8000 to 48000 Hz (got ${rate})`)
  }
  return rate
}

export function chunkSamplesFor(chunkMs: number, rate: number): number {
  if (!(chunkMs > 0 && chunkMs <= 10_000)) throw new ValidationError(`chunkMs must be a positive duration in ms (got ${chunkMs})`)
  return Math.max(1, Math.min(MAX_CHUNK_SAMPLES, Math.round((chunkMs * rate) / 1000)))
}

export class Linear16Encoder {
  readonly targetSampleRate: number
  readonly chunkSamples: number
  private readonly resampler: Resampler
  private chunk: Int16Array
  private fill = 0

  constructor(inputRate: number, options: Linear16Options = {}) {
    this.targetSampleRate = validateTargetRate(options.targetSampleRate ?? 16000)
    this.chunkSamples = chunkSamplesFor(options.chunkMs ?? 20, this.targetSampleRate)
    this.resampler = new Resampler({ inputRate, outputRate: this.targetSampleRate })
    this.chunk = new Int16Array(this.chunkSamples)
  }

  /** Adds mono samples at the input rate; returns the chunks completed by them (each its own buffer). */
  push(mono: Float32Array): Uint8Array[] {
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
      floatToInt16LE(samples.subarray(p, p + n), this.chunk, this.fill)
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
