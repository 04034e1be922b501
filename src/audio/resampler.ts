// Stateful band-limited resampler: Kaiser-windowed sinc, polyphase, exact rational phase tracking.
//
// ResamplerCore is also shipped into the AudioWorklet by source text (Function.prototype.toString, see
// worklet-source.ts), so it must stay self-contained: no use of the imports or module-level helpers or
// constants, no reference to its own class name (a bundler may rename it or turn it into a class
// expression): everything it needs lives inside the constructor or the methods. The imports below
// serve only `Resampler`, the checked subclass apps use.
//
// Model. Output sample k sits at input time t_k = k * down / up (the rate ratio reduced by gcd), and
//   y[k] = sum_j x[j] * h(t_k - j)
// with h a low-pass prototype centred on 0 and spanning `taps` input samples. So the output is
// time-aligned with the input (no group delay), input before the first sample counts as silence, and
// the phase (k * down) mod up is tracked in integers, which makes the output rate exact forever.
// Each output needs `taps / 2` input samples of look-ahead; flush() pads the end with silence and
// emits exactly ceil(inputCount * up / down) samples in total. Equal rates are an exact copy.
//
// Filter design: the cut-off is the lower of the two Nyquist frequencies. By default the passband ends
// at 0.875 of it and the stopband starts at 1.125 of it (7 kHz and 9 kHz for a 16 kHz output), so
// everything that could fold back into the passband is attenuated by `attenuationDb`. The Kaiser
// formulas give the window's beta and the length from those parameters.

import { ValidationError } from '../errors.js'
import { invalid, isObject } from '../http/check.js'
import type { ResamplerOptions } from './types.js'

export type { ResamplerOptions }

// Fields are `declare`d and assigned in the constructor: a bundler lowering class fields for an old
// target would otherwise add module-level helpers that the worklet copy cannot see.
/**
 * The resampler itself, as the AudioWorklet gets it (by source text, so it cannot import the SDK's
 * errors and throws RangeError). Apps use `Resampler`, which checks its arguments first.
 */
export class ResamplerCore {
  declare readonly inputRate: number
  declare readonly outputRate: number
  /** Input samples spanned by the filter (a multiple of 4). */
  declare readonly taps: number
  /** Reduced ratio: `up` output samples for every `down` input samples. */
  declare readonly up: number
  declare readonly down: number
  /** True when coefficients are interpolated between tables (only for unusual rate pairs). */
  declare readonly interpolated: boolean

  declare private readonly table: Float64Array
  declare private readonly tableRows: number
  declare private buf: Float64Array
  declare private bufLen: number
  /** Absolute input index of buf[0]. */
  declare private bufStart: number
  /** Integer part of the next output's input time. */
  declare private pos: number
  /** Fractional part of the next output's input time, in units of 1/up. */
  declare private phase: number
  declare private inCount: number
  declare private outCount: number
  declare private scratch: Float32Array

  constructor(options: ResamplerOptions) {
    const inRate = options.inputRate
    const outRate = options.outputRate
    if (!(Number.isInteger(inRate) && inRate > 0 && Number.isInteger(outRate) && outRate > 0)) {
      throw new RangeError(`Resampler rates must be positive integers (got ${inRate} -> ${outRate})`)
    }
    const attenuation = options.attenuationDb ?? 90
    const passband = options.passband ?? 0.875
    const stopband = options.stopband ?? 1.125
    if (!(attenuation >= 21 && passband > 0 && stopband > passband)) {
      throw new RangeError('Resampler needs attenuationDb >= 21 and 0 < passband < stopband')
    }
    let a = inRate
    let b = outRate
    while (b !== 0) {
      const t = a % b
      a = b
      b = t
    }
    this.inputRate = inRate
    this.outputRate = outRate
    this.up = outRate / a
    this.down = inRate / a

    // Frequencies in cycles per input sample.
    const nyquist = Math.min(inRate, outRate) / 2
    const cutoff = (nyquist * (passband + stopband)) / 2 / inRate
    const transition = (nyquist * (stopband - passband)) / inRate
    const beta = attenuation > 50 ? 0.1102 * (attenuation - 8.7) : 0.5842 * (attenuation - 21) ** 0.4 + 0.07886 * (attenuation - 21)
    const span = (attenuation - 7.95) / (2.285 * 2 * Math.PI * transition)
    const taps = Math.max(4, Math.ceil(span / 4) * 4)
    this.taps = taps

    const maxPhases = options.maxPhases ?? 1024
    this.interpolated = this.up > maxPhases
    // With interpolation the table has one extra row: row R is row 0 shifted by one input sample.
    const rows = this.interpolated ? 512 : this.up
    this.tableRows = rows
    const rowCount = this.interpolated ? rows + 1 : rows
    const table = new Float64Array(rowCount * taps)

    const besselI0 = (x: number): number => {
      // Power series; converges fast for the beta values used here (< 15).
      const q = (x * x) / 4
      let term = 1
      let sum = 1
      for (let k = 1; k < 200; k++) {
        term *= q / (k * k)
        sum += term
        if (term < sum * 1e-17) break
      }
      return sum
    }
    const half = taps / 2
    const i0Beta = besselI0(beta)
    const row = new Float64Array(taps)
    for (let r = 0; r < rowCount; r++) {
      const frac = r / rows
      let sum = 0
      for (let i = 0; i < taps; i++) {
        // Tap i multiplies x[pos - half + 1 + i]; its distance from the output time is t.
        const t = frac + half - 1 - i
        const u = t / half
        const w = u >= 1 || u <= -1 ? 0 : besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta
        const arg = 2 * cutoff * t
        const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg)
        row[i] = 2 * cutoff * sinc * w
        sum += row[i]
      }
      // Exactly unit gain at DC on every phase: a DC offset passes without phase-dependent ripple.
      for (let i = 0; i < taps; i++) table[r * taps + i] = row[i] / sum
    }
    this.table = table

    this.buf = new Float64Array(taps * 2 + 4096)
    this.scratch = new Float32Array(0)
    this.bufLen = 0
    this.bufStart = 0
    this.pos = 0
    this.phase = 0
    this.inCount = 0
    this.outCount = 0
    this.reset()
  }

  /** Forgets all input: the next sample is the start of a new stream. */
  reset(): void {
    // Input before the first sample is silence: prime the history with half - 1 zeros.
    const lead = this.taps / 2 - 1
    this.buf.fill(0, 0, lead)
    this.bufLen = lead
    this.bufStart = -lead
    this.pos = 0
    this.phase = 0
    this.inCount = 0
    this.outCount = 0
  }

  /** Input samples consumed and output samples produced since the start (or reset). */
  get inputCount(): number {
    return this.inCount
  }
  get outputCount(): number {
    return this.outCount
  }

  /** An output length always large enough for process() of `inputLength` samples. */
  maxOutputLength(inputLength: number): number {
    return Math.ceil((inputLength * this.up) / this.down) + 2
  }

  /**
   * Resamples a block. Writes into `output` (which must hold maxOutputLength(input.length)) or, when
   * it is omitted, into an internal buffer that the next call overwrites. Returns the written view.
   */
  process(input: Float32Array, output?: Float32Array): Float32Array {
    const need = this.maxOutputLength(input.length)
    let out = output
    if (!out) {
      if (this.scratch.length < need) this.scratch = new Float32Array(need)
      out = this.scratch
    } else if (out.length < need) {
      throw new RangeError(`Resampler output holds ${out.length} samples; ${need} may be needed`)
    }
    return out.subarray(0, this.run(input, out))
  }

  /**
   * Like process(), but returns the number of samples written to the start of `output` instead of a
   * view, and allocates nothing when `input` holds at most 4096 samples: for real-time threads (the
   * AudioWorklet calls it every 128 frames), where garbage means glitches.
   */
  processInto(input: Float32Array, output: Float32Array): number {
    const need = this.maxOutputLength(input.length)
    if (output.length < need) throw new RangeError(`Resampler output holds ${output.length} samples; ${need} may be needed`)
    return this.run(input, output)
  }

  private run(input: Float32Array, out: Float32Array): number {
    const n = input.length
    this.inCount += n
    if (this.up === this.down) {
      // Equal rates: an exact copy (a filter, even an identity one, would perturb the samples).
      out.set(input)
      this.outCount += n
      return n
    }
    if (n <= 4096) {
      this.append(input)
      return this.drain(out, 0, Infinity)
    }
    let written = 0
    // Bounded slices keep the history buffer small whatever the caller's block size.
    for (let off = 0; off < n; off += 4096) {
      this.append(input.subarray(off, Math.min(n, off + 4096)))
      written = this.drain(out, written, Infinity)
    }
    return written
  }

  /**
   * Ends the stream: pads with silence and returns the last samples, so that the total output is
   * exactly ceil(inputCount * up / down). The resampler is then reset for a new stream.
   */
  flush(output?: Float32Array): Float32Array {
    const total = Math.ceil((this.inCount * this.up) / this.down)
    const remaining = total - this.outCount
    const need = Math.max(0, remaining)
    let out = output
    if (!out) {
      if (this.scratch.length < need) this.scratch = new Float32Array(need)
      out = this.scratch
    } else if (out.length < need) {
      throw new RangeError(`Resampler output holds ${out.length} samples; ${need} may be needed`)
    }
    if (need === 0) {
      this.reset()
      return out.subarray(0, 0)
    }
    this.append(new Float32Array(this.taps / 2 + 1))
    const written = this.drain(out, 0, need)
    this.reset()
    return out.subarray(0, written)
  }

  private append(input: Float32Array): void {
    if (this.bufLen + input.length > this.buf.length) {
      const grown = new Float64Array(Math.max(this.buf.length * 2, this.bufLen + input.length))
      grown.set(this.buf.subarray(0, this.bufLen))
      this.buf = grown
    }
    this.buf.set(input, this.bufLen)
    this.bufLen += input.length
  }

  /** Computes every output whose look-ahead is available (at most `limit`), then drops old input. */
  private drain(out: Float32Array, start: number, limit: number): number {
    const buf = this.buf
    const table = this.table
    const taps = this.taps
    const half = taps / 2
    const up = this.up
    const down = this.down
    const rows = this.tableRows
    const interpolated = this.interpolated
    const symmetric = up === 1
    const bufStart = this.bufStart
    // Output at pos needs x[pos - half + 1 .. pos + half].
    const lastPos = bufStart + this.bufLen - 1 - half
    let pos = this.pos
    let phase = this.phase
    let n = start
    let made = 0
    if (symmetric) {
      // Integer ratio: the single row is symmetric about tap half - 1 (the last tap is 0), so pairs of
      // inputs share one multiply; and two outputs (`down` input samples apart) are computed at once, so
      // each coefficient is loaded once for both and the sums run side by side. 48 kHz -> 16 kHz on one
      // core: ~400x real time one output at a time, ~570-620x this way (bench/resampler.ts).
      const end0 = half + half - 2
      for (; pos + down <= lastPos && made + 2 <= limit; pos += 2 * down, made += 2) {
        const a0 = pos - half + 1 - bufStart
        const a1 = a0 + down
        const mid = half - 1
        let p0 = buf[a0 + mid] * table[mid]
        let q0 = buf[a1 + mid] * table[mid]
        let p1 = 0
        let q1 = 0
        let p2 = 0
        let q2 = 0
        let p3 = 0
        let q3 = 0
        let i = 0
        for (; i < half - 4; i += 4) {
          const c0 = table[i]
          const c1 = table[i + 1]
          const c2 = table[i + 2]
          const c3 = table[i + 3]
          const b = end0 - i
          p0 += (buf[a0 + i] + buf[a0 + b]) * c0
          q0 += (buf[a1 + i] + buf[a1 + b]) * c0
          p1 += (buf[a0 + i + 1] + buf[a0 + b - 1]) * c1
          q1 += (buf[a1 + i + 1] + buf[a1 + b - 1]) * c1
          p2 += (buf[a0 + i + 2] + buf[a0 + b - 2]) * c2
          q2 += (buf[a1 + i + 2] + buf[a1 + b - 2]) * c2
          p3 += (buf[a0 + i + 3] + buf[a0 + b - 3]) * c3
          q3 += (buf[a1 + i + 3] + buf[a1 + b - 3]) * c3
        }
        for (; i < half - 1; i++) {
          p0 += (buf[a0 + i] + buf[a0 + end0 - i]) * table[i]
          q0 += (buf[a1 + i] + buf[a1 + end0 - i]) * table[i]
        }
        out[n++] = p0 + p1 + (p2 + p3)
        out[n++] = q0 + q1 + (q2 + q3)
      }
    }
    while (pos <= lastPos && made < limit) {
      const base = pos - half + 1 - bufStart
      let acc: number
      if (symmetric) {
        // The last output of a drain, when no pair is left for the loop above: the same sums in the
        // same order, so the output does not depend on how the input was cut into blocks.
        const end0 = half + half - 2
        let p0 = buf[base + half - 1] * table[half - 1]
        let p1 = 0
        let p2 = 0
        let p3 = 0
        let i = 0
        for (; i < half - 4; i += 4) {
          const b = end0 - i
          p0 += (buf[base + i] + buf[base + b]) * table[i]
          p1 += (buf[base + i + 1] + buf[base + b - 1]) * table[i + 1]
          p2 += (buf[base + i + 2] + buf[base + b - 2]) * table[i + 2]
          p3 += (buf[base + i + 3] + buf[base + b - 3]) * table[i + 3]
        }
        for (; i < half - 1; i++) p0 += (buf[base + i] + buf[base + end0 - i]) * table[i]
        acc = p0 + p1 + (p2 + p3)
      } else if (!interpolated) {
        const c = phase * taps
        // Four partial sums: shorter dependency chains, about 1.5x faster in V8.
        let s0 = 0
        let s1 = 0
        let s2 = 0
        let s3 = 0
        for (let i = 0; i < taps; i += 4) {
          s0 += buf[base + i] * table[c + i]
          s1 += buf[base + i + 1] * table[c + i + 1]
          s2 += buf[base + i + 2] * table[c + i + 2]
          s3 += buf[base + i + 3] * table[c + i + 3]
        }
        acc = s0 + s1 + s2 + s3
      } else {
        const x = (phase * rows) / up
        const r = Math.floor(x)
        const mu = x - r
        const c0 = r * taps
        const c1 = c0 + taps
        let s0 = 0
        let s1 = 0
        for (let i = 0; i < taps; i++) {
          const v = buf[base + i]
          s0 += v * table[c0 + i]
          s1 += v * table[c1 + i]
        }
        acc = s0 + (s1 - s0) * mu
      }
      out[n++] = acc
      made++
      phase += down
      if (phase >= up) {
        const whole = Math.floor(phase / up)
        pos += whole
        phase -= whole * up
      }
    }
    this.pos = pos
    this.phase = phase
    this.outCount += made
    // Keep only the history the next output needs.
    const keepFrom = Math.min(pos - half + 1 - this.bufStart, this.bufLen)
    if (keepFrom > 0) {
      buf.copyWithin(0, keepFrom, this.bufLen)
      this.bufLen -= keepFrom
      this.bufStart += keepFrom
    }
    return n
  }
}

/**
 * Stateful band-limited resampler (see ResamplerCore for the model). Bad options and arguments throw
 * a ValidationError naming them, before any filter is built: an out-of-range option could otherwise
 * make the constructor build a filter of millions of taps (minutes of CPU, gigabytes of memory).
 */
export class Resampler extends ResamplerCore {
  constructor(options: ResamplerOptions) {
    checkResamplerOptions(options)
    super(options)
  }

  override maxOutputLength(inputLength: number): number {
    if (!(Number.isSafeInteger(inputLength) && inputLength >= 0))
      invalid('maxOutputLength(inputLength): inputLength', 'a number of samples, 0 or more', inputLength)
    return super.maxOutputLength(inputLength)
  }

  override process(input: Float32Array, output?: Float32Array): Float32Array {
    checkBuffers('process', input, output)
    return typed(() => super.process(input, output))
  }

  override processInto(input: Float32Array, output: Float32Array): number {
    checkBuffers('processInto', input, output, true)
    return typed(() => super.processInto(input, output))
  }

  override flush(output?: Float32Array): Float32Array {
    checkBuffers('flush', new Float32Array(0), output)
    return typed(() => super.flush(output))
  }
}

// Bounds of the public class. Rates: those the WAV and PCM readers accept. The filter options are
// not documented elsewhere; the bounds keep the longest filter (384 kHz down to 1 kHz, the narrowest
// transition band, the highest attenuation) near 150 000 taps, and Float32 coefficients cannot
// reach more than about 150 dB of attenuation anyway.
function checkResamplerOptions(options: ResamplerOptions): void {
  if (!isObject(options)) invalid('Resampler options', 'an object such as { inputRate: 44100, outputRate: 16000 }', options)
  for (const key of ['inputRate', 'outputRate'] as const) {
    const rate = options[key]
    if (!(Number.isInteger(rate) && rate >= 1000 && rate <= 384_000))
      invalid(`Resampler ${key}`, 'a whole number of Hz from 1000 to 384000', rate)
  }
  const { attenuationDb = 90, passband = 0.875, stopband = 1.125, maxPhases = 1024 } = options
  if (!(typeof attenuationDb === 'number' && attenuationDb >= 21 && attenuationDb <= 150))
    invalid('Resampler attenuationDb', 'a number of dB from 21 to 150', attenuationDb)
  if (!(typeof passband === 'number' && passband > 0 && passband <= 1))
    invalid('Resampler passband', 'a fraction of the lower Nyquist frequency above 0, at most 1', passband)
  if (!(typeof stopband === 'number' && stopband >= passband + 0.05 && stopband <= 2)) {
    invalid('Resampler stopband', `a fraction of the lower Nyquist frequency from passband + 0.05 (${passband + 0.05}) to 2`, stopband)
  }
  if (!(Number.isInteger(maxPhases) && maxPhases >= 1 && maxPhases <= 4096))
    invalid('Resampler maxPhases', 'a whole number from 1 to 4096', maxPhases)
}

function checkBuffers(method: string, input: unknown, output: unknown, outputRequired = false): void {
  if (!(input instanceof Float32Array)) invalid(`Resampler.${method}: input`, 'a Float32Array of mono samples', input)
  if ((outputRequired || output !== undefined) && !(output instanceof Float32Array))
    invalid(`Resampler.${method}: output`, 'a Float32Array', output)
}

/** The core's RangeError (an output buffer too small) as a ValidationError. */
function typed<T>(run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof RangeError) throw new ValidationError(`${error.message}: pass a larger output (see maxOutputLength), or none`)
    throw error
  }
}
