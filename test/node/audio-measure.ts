// Measurement helpers shared by the audio tests and bench/resampler.ts (pure, run in Node and browsers).

/** A sine of `seconds` at `rate`, amplitude `amp`, optional raised-cosine fade in/out of `fadeMs`. */
export function tone(freq: number, rate: number, seconds: number, amp = 0.5, fadeMs = 0): Float32Array {
  const n = Math.round(rate * seconds)
  const x = new Float32Array(n)
  const w = (2 * Math.PI * freq) / rate
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin(w * i)
  applyFade(x, Math.round((rate * fadeMs) / 1000))
  return x
}

/** Logarithmic sweep from f0 to f1 with faded ends (so the ends do not splash energy into the passband). */
export function sweep(f0: number, f1: number, rate: number, seconds: number, amp = 0.5, fadeMs = 50): Float32Array {
  const n = Math.round(rate * seconds)
  const x = new Float32Array(n)
  const k = Math.log(f1 / f0)
  const c = (2 * Math.PI * f0 * seconds) / k
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin(c * (Math.exp((k * i) / n) - 1))
  applyFade(x, Math.round((rate * fadeMs) / 1000))
  return x
}

function applyFade(x: Float32Array, m: number): void {
  for (let i = 0; i < m && i < x.length; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / m)
    x[i] *= g
    x[x.length - 1 - i] *= g
  }
}

/**
 * Amplitude of the component at exactly `freq` (least-squares fit of sine, cosine and DC). Exact for a
 * pure tone at that frequency whatever the window length, so passband flatness is measured without
 * window scalloping.
 */
export function toneAmplitude(x: ArrayLike<number>, freq: number, rate: number): number {
  return fitTone(x, freq, rate).amplitude
}

/**
 * The tone's amplitude as the median over 20 ms windows: a capture glitch (a dropped or repeated
 * buffer under load, seen in WebKit's and Chromium's fake capture) spoils the fit of the windows it
 * falls in, not the level of the whole stretch.
 */
export function steadyToneAmplitude(x: Float32Array, freq: number, rate: number): number {
  const size = Math.round(rate / 50)
  const levels: number[] = []
  for (let at = 0; at + size <= x.length; at += size) levels.push(toneAmplitude(x.subarray(at, at + size), freq, rate))
  if (levels.length === 0) return toneAmplitude(x, freq, rate)
  levels.sort((p, q) => p - q)
  return levels[Math.floor(levels.length / 2)]
}

/**
 * Everything that is not the tone at `freq`, in dB relative to that tone: fit the tone, subtract it,
 * take the RMS of what is left (images, aliases, noise). A single-frequency fit would leak between
 * two strong tones, so images are measured this way.
 */
export function residualDb(x: ArrayLike<number>, freq: number, rate: number): number {
  const { amplitude, a, b, dc } = fitTone(x, freq, rate)
  const w = (2 * Math.PI * freq) / rate
  let s = 0
  for (let i = 0; i < x.length; i++) {
    const e = x[i] - (a * Math.sin(w * i) + b * Math.cos(w * i) + dc)
    s += e * e
  }
  return 20 * Math.log10(Math.sqrt((2 * s) / x.length) / amplitude)
}

function fitTone(x: ArrayLike<number>, freq: number, rate: number): { amplitude: number; a: number; b: number; dc: number } {
  const w = (2 * Math.PI * freq) / rate
  // Normal equations of [sin, cos, 1].
  let ss = 0,
    sc = 0,
    s1 = 0,
    cc = 0,
    c1 = 0,
    xs = 0,
    xc = 0,
    x1 = 0
  const n = x.length
  for (let i = 0; i < n; i++) {
    const s = Math.sin(w * i)
    const c = Math.cos(w * i)
    const v = x[i]
    ss += s * s
    sc += s * c
    s1 += s
    cc += c * c
    c1 += c
    xs += v * s
    xc += v * c
    x1 += v
  }
  const [a, b, dc] = solve3([ss, sc, s1, sc, cc, c1, s1, c1, n], [xs, xc, x1])
  return { amplitude: Math.hypot(a, b), a, b, dc }
}

function solve3(m: number[], r: number[]): [number, number, number] {
  const det = (a: number[]) => a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6])
  const d = det(m)
  const col = (k: number) => m.map((v, i) => (i % 3 === k ? r[Math.floor(i / 3)] : v))
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d]
}

/** RMS of x. */
export function rms(x: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i] * x[i]
  return Math.sqrt(s / Math.max(1, x.length))
}

/** Level of x in dB relative to a full-scale sine (RMS 1/sqrt 2). */
export function dbFullScale(x: ArrayLike<number>): number {
  return 20 * Math.log10(Math.max(1e-12, rms(x) * Math.SQRT2))
}

/**
 * Blackman-Harris windowed DFT magnitude at one frequency (Goertzel-style single bin), scaled so a
 * sine of amplitude A reads A. Used to find a dominant frequency in captured audio.
 */
export function windowedMagnitude(x: ArrayLike<number>, freq: number, rate: number): number {
  const n = x.length
  const w = (2 * Math.PI * freq) / rate
  let re = 0,
    im = 0,
    sumW = 0
  for (let i = 0; i < n; i++) {
    const p = (2 * Math.PI * i) / (n - 1)
    const win = 0.35875 - 0.48829 * Math.cos(p) + 0.14128 * Math.cos(2 * p) - 0.01168 * Math.cos(3 * p)
    re += x[i] * win * Math.cos(w * i)
    im -= x[i] * win * Math.sin(w * i)
    sumW += win
  }
  return (2 * Math.hypot(re, im)) / sumW
}

/** Frequency with the largest windowed magnitude on a grid from lo to hi (step Hz). */
export function dominantFrequency(x: ArrayLike<number>, rate: number, lo = 50, hi = rate / 2 - 50, step = 10): number {
  let best = lo
  let bestMag = -1
  for (let f = lo; f <= hi; f += step) {
    const m = windowedMagnitude(x, f, rate)
    if (m > bestMag) {
      bestMag = m
      best = f
    }
  }
  return best
}

/** Passband tones (Hz) up to `edge` and stopband tones from `stop` to just under the input Nyquist. */
export function passbandTones(edge: number, step = 100): number[] {
  const out: number[] = []
  for (let f = step; f < edge; f += step) out.push(f)
  out.push(edge)
  return out
}
export function stopbandTones(stop: number, inputRate: number): number[] {
  const out: number[] = []
  // Fine steps near the stopband edge, where a windowed sinc is weakest; coarser beyond.
  for (let f = stop; f < stop + 1000; f += 50) out.push(f)
  for (let f = stop + 1000; f < inputRate / 2 - 100; f += 500) out.push(f)
  out.push(inputRate / 2 - 100)
  return out
}

export interface ResamplerLike {
  process(input: Float32Array, output?: Float32Array): Float32Array
  flush(output?: Float32Array): Float32Array
}

/** Runs a whole signal through a resampler (in blocks of `block`) and returns every output sample. */
export function resampleAll(r: ResamplerLike, x: Float32Array, block = 4096): Float32Array {
  const parts: Float32Array[] = []
  for (let o = 0; o < x.length; o += block) parts.push(r.process(x.subarray(o, o + block)).slice())
  parts.push(r.flush().slice())
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0))
  let n = 0
  for (const p of parts) {
    out.set(p, n)
    n += p.length
  }
  return out
}

/** The steady-state middle of a resampled tone (drops filter start-up and fade regions). */
export function steady(y: Float32Array, skip: number): Float32Array {
  return y.subarray(skip, y.length - skip)
}

export interface QualityFigures {
  /** Largest deviation of passband gain from 0 dB, in dB (tones from 100 Hz to the passband edge). */
  passbandDb: number
  /** Weakest rejection of stopband tones, in dB (positive: output level below full scale). */
  rejectionDb: number
  /** Frequency of the weakest rejection. */
  worstFreq: number
}

/** Tone-by-tone quality of a resampler made by `make`, measured like the tests do. */
export function measureQuality(
  make: () => ResamplerLike,
  inputRate: number,
  outputRate: number,
  passEdge = outputRate * 0.4375,
  stopEdge = outputRate * 0.5625,
  seconds = 0.15,
): QualityFigures {
  let passbandDb = 0
  for (const f of passbandTones(passEdge, 250)) {
    const y = resampleAll(make(), tone(f, inputRate, seconds, 0.5))
    const a = toneAmplitude(steady(y, Math.round(outputRate * 0.02)), f, outputRate)
    passbandDb = Math.max(passbandDb, Math.abs(20 * Math.log10(a / 0.5)))
  }
  let rejectionDb = Infinity
  let worstFreq = 0
  for (const f of stopbandTones(stopEdge, inputRate)) {
    // Full-scale tones (amplitude 1): their output level in dBFS is the rejection.
    const y = resampleAll(make(), tone(f, inputRate, seconds, 1))
    const level = -dbFullScale(steady(y, Math.round(outputRate * 0.02)))
    if (level < rejectionDb) {
      rejectionDb = level
      worstFreq = f
    }
  }
  return { passbandDb, rejectionDb, worstFreq }
}
