// The AudioWorklet processor, as one function that runs inside AudioWorkletGlobalScope.
//
// It is never called in the page: worklet-source.ts turns it into source text with
// Function.prototype.toString() and calls it there with its dependencies, so it may reference only
// its parameter (no imports, no module-level names; types are erased and fine). Per render quantum it
// mixes the input down to mono, resamples it with the shared Resampler to the target rate, converts
// to Int16 LE and posts full chunks as transferable ArrayBuffers, each with the chunk's RMS level.
//
// process() runs every 128 frames on the real-time audio thread: it allocates nothing (no typed
// arrays, no subarray views, no closures), so the garbage collector has nothing to interrupt it for.
// The one allocation left is the fresh Int16Array of each posted chunk (every 20–100 ms), which is
// unavoidable: the previous one was transferred to the page.

import type { floatToInt16LECore as FloatToInt16LE } from './pcm.js'
import type { ResamplerCore as ResamplerClass } from './resampler.js'

/** Options the page passes as `processorOptions`. */
export interface ProcessorOptions {
  targetSampleRate: number
  /** Samples per posted chunk, at the target rate. */
  chunkSamples: number
  /**
   * Diagnostics/tests: also write the Int16 output (as x / 32768) to output channel 0, with 1 in
   * channel 1 where channel 0 holds a sample, so an OfflineAudioContext's rendered buffer carries it.
   */
  tap?: boolean
  /**
   * Input samples over which the input fades in from silence: a graph rebuilt mid-stream (issue 15:
   * a new device rate, a stall) starts at 0, so its first samples are no step after the previous
   * graph's faded tail. 0 or absent for a new capture.
   */
  fadeInSamples?: number
}

/** Processor -> page messages. */
export type ProcessorMessage = { type: 'chunk'; pcm: ArrayBuffer; rms: number } | { type: 'stopped' } | { type: 'error'; message: string }

/** Page -> processor messages. `stop` flushes the resampler and the last partial chunk. */
export type ControlMessage =
  | { type: 'mute'; muted: boolean }
  /** `fadeSamples`: first fade the input out over that many samples (a rebuild; no step at the junction). */
  | { type: 'stop'; fadeSamples?: number }

interface ProcessorPort {
  postMessage(message: unknown, transfer?: ArrayBufferLike[]): void // only chunk buffers are transferred
  onmessage: ((event: { data: ControlMessage }) => void) | null
}

export interface ProcessorDeps {
  Resampler: typeof ResamplerClass
  floatToInt16LE: typeof FloatToInt16LE
  AudioWorkletProcessor: new () => { readonly port: ProcessorPort }
  registerProcessor(name: string, ctor: unknown): void
  /** The AudioWorkletGlobalScope's `sampleRate`: the context's (native) rate. */
  sampleRate: number
  name: string
}

export function processorMain(deps: ProcessorDeps): void {
  const Resampler = deps.Resampler
  const toInt16 = deps.floatToInt16LE
  const inputRate = deps.sampleRate

  class Linear16Processor extends deps.AudioWorkletProcessor {
    declare private resampler: ResamplerClass
    declare private chunkSamples: number
    declare private chunk: Int16Array
    declare private fill: number
    declare private sumSquares: number
    declare private mono: Float32Array
    declare private resampled: Float32Array
    declare private littleEndian: boolean
    declare private muted: boolean
    declare private stopped: boolean
    declare private tap: boolean
    declare private tapQueue: Float32Array
    declare private tapLen: number
    /** The input gain now, and the ramp it follows: `gainStep` per sample for `rampLeft` more samples. */
    declare private gain: number
    declare private gainStep: number
    declare private rampLeft: number
    /** A stop asked with a fade: it happens once the ramp reaches 0. */
    declare private stopAfterFade: boolean

    constructor(options: { processorOptions: ProcessorOptions }) {
      super()
      const o = options.processorOptions
      // Fields are assigned here, not declared with initialisers, so no bundler helper is needed.
      this.chunkSamples = o.chunkSamples
      this.chunk = new Int16Array(o.chunkSamples)
      this.fill = 0
      this.sumSquares = 0
      this.mono = new Float32Array(128)
      this.resampled = new Float32Array(0)
      // The host's byte order, once: Int16Array stores in it, and LINEAR16 is little-endian.
      this.littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
      this.muted = false
      this.stopped = false
      this.tap = !!o.tap
      this.tapQueue = new Float32Array(1024)
      this.tapLen = 0
      const fadeIn = o.fadeInSamples ?? 0
      this.gain = fadeIn > 0 ? 0 : 1
      this.gainStep = fadeIn > 0 ? 1 / fadeIn : 0
      this.rampLeft = Math.max(fadeIn, 0)
      this.stopAfterFade = false
      try {
        this.resampler = new Resampler({ inputRate, outputRate: o.targetSampleRate })
        this.resampled = new Float32Array(this.resampler.maxOutputLength(128))
      } catch (err) {
        this.stopped = true
        this.port.postMessage({ type: 'error', message: String(err) })
      }
      this.port.onmessage = (event) => {
        const m = event.data
        if (m.type === 'mute') this.muted = m.muted
        else if (m.type === 'stop' && !this.stopped) {
          const fade = m.fadeSamples ?? 0
          if (fade > 0 && this.gain > 0) {
            this.gainStep = -this.gain / fade
            this.rampLeft = fade
            this.stopAfterFade = true
          } else this.finish()
        }
      }
    }

    /** Flushes the resampler and the last partial chunk, then says so. */
    private finish(): void {
      this.stopped = true
      const tail = this.resampler.flush()
      this.emit(tail, tail.length)
      if (this.fill > 0) this.post(this.chunk.slice(0, this.fill))
      this.fill = 0
      this.port.postMessage({ type: 'stopped' })
    }

    process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      if (this.stopped) return false
      const input = inputs[0]
      const out = outputs[0]
      const frames = input && input.length > 0 ? input[0].length : out && out.length > 0 ? out[0].length : 128
      if (this.mono.length !== frames) {
        this.mono = new Float32Array(frames)
        this.resampled = new Float32Array(this.resampler.maxOutputLength(frames))
      }
      const mono = this.mono
      // No channels means no active source (yet, or any more): count it as silence so the output
      // timeline stays continuous. Muted: silence too, so the server keeps receiving audio.
      if (!input || input.length === 0 || this.muted) {
        mono.fill(0)
      } else {
        const channels = input.length
        mono.set(input[0])
        for (let c = 1; c < channels; c++) {
          const ch = input[c]
          for (let i = 0; i < frames; i++) mono[i] += ch[i]
        }
        if (channels > 1) for (let i = 0; i < frames; i++) mono[i] /= channels
      }
      // A fade (in after a rebuild, out before one): a linear ramp on the input, so the resampler's
      // output moves smoothly to or from silence.
      if (this.rampLeft > 0 || this.gain !== 1) {
        for (let i = 0; i < frames; i++) {
          if (this.rampLeft > 0) {
            this.gain += this.gainStep
            if (--this.rampLeft === 0) this.gain = this.gainStep > 0 ? 1 : 0
          }
          mono[i] *= this.gain
        }
      }
      const y = this.resampled
      const count = this.resampler.processInto(mono, y)
      this.emit(y, count)
      if (this.tap && out && out.length >= 2) this.writeTap(y.subarray(0, count), out)
      if (this.stopAfterFade && this.rampLeft === 0) {
        this.finish()
        return false
      }
      return true
    }

    /** Appends y[0 .. count) to the chunk, posting every chunk that fills up. Allocation-free. */
    private emit(y: Float32Array, count: number): void {
      let p = 0
      while (p < count) {
        const n = Math.min(this.chunkSamples - this.fill, count - p)
        const chunk = this.chunk
        const fill = this.fill
        for (let i = p; i < p + n; i++) {
          const v = y[i] > 1 ? 1 : Math.max(y[i], -1)
          this.sumSquares += v * v
        }
        if (this.littleEndian) {
          // floatToInt16LE's arithmetic, inlined: a call would need a subarray view per block.
          for (let i = 0; i < n; i++) {
            const v = Math.round(y[p + i] * 32768)
            chunk[fill + i] = v > 32767 ? 32767 : Math.max(v, -32768)
          }
        } else {
          toInt16(y.subarray(p, p + n), chunk, fill)
        }
        this.fill += n
        p += n
        if (this.fill === this.chunkSamples) {
          this.post(this.chunk)
          this.chunk = new Int16Array(this.chunkSamples)
          this.fill = 0
        }
      }
    }

    private post(samples: Int16Array): void {
      const rms = Math.sqrt(this.sumSquares / Math.max(1, samples.length))
      this.sumSquares = 0
      this.port.postMessage({ type: 'chunk', pcm: samples.buffer, rms }, [samples.buffer])
    }

    private writeTap(y: Float32Array, out: Float32Array[]): void {
      if (this.tapLen + y.length > this.tapQueue.length) {
        const grown = new Float32Array((this.tapLen + y.length) * 2)
        grown.set(this.tapQueue.subarray(0, this.tapLen))
        this.tapQueue = grown
      }
      const q = toInt16(y)
      for (let i = 0; i < q.length; i++) this.tapQueue[this.tapLen + i] = q[i] / 32768
      this.tapLen += q.length
      const n = Math.min(this.tapLen, out[0].length)
      out[0].set(this.tapQueue.subarray(0, n))
      out[1].fill(1, 0, n)
      this.tapQueue.copyWithin(0, n, this.tapLen)
      this.tapLen -= n
    }
  }

  deps.registerProcessor(deps.name, Linear16Processor)
}
