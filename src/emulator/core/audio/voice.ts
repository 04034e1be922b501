// Voice features for diarization (diarize.ts), measured as the audio streams in, next to the speech
// segmenter: the audio is decimated to about 8 kHz (a box filter: plenty for voice pitch and timbre)
// and cut into 32 ms frames; each frame loud enough to be speech keeps its time, its pitch (the
// normalised autocorrelation peak between 60 and 400 Hz, or 0 when unvoiced), its zero-crossing rate
// and its "brightness" (energy of the first difference over energy: grows with the spectral centroid).
// Only these four numbers per frame are kept (an hour of speech is ~110 000 frames, ~3.5 MB), never the
// samples; beyond MAX_FRAMES frames are no longer measured and later segments are placed by the
// clusters the earlier ones made (see diarize.ts).

const TARGET_RATE = 8000
const FRAME_SECONDS = 0.032
const MIN_RMS = 0.01
const MIN_PITCH = 60
const MAX_PITCH = 400
/** A frame is voiced when its autocorrelation peak reaches this share of its energy. */
const VOICED_AT = 0.45
/** Four hours of frames. */
export const MAX_FRAMES = 450_000

export interface VoiceFrames {
  count: number
  time: Float64Array
  pitch: Float32Array
  zcr: Float32Array
  brightness: Float32Array
}

export class VoiceFeatures {
  readonly frames: VoiceFrames = {
    count: 0,
    time: new Float64Array(1024),
    pitch: new Float32Array(1024),
    zcr: new Float32Array(1024),
    brightness: new Float32Array(1024),
  }
  private time = 0
  private inputRate = 0
  private factor = 1
  private rate = 0
  private acc = 0
  private accN = 0
  private frame = new Float32Array(0)
  private filled = 0

  push(samples: Float32Array, sampleRate: number): void {
    if (sampleRate !== this.inputRate) this.setRate(sampleRate)
    const f = this.factor
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i] as number
      this.acc += Number.isFinite(x) ? x : 0
      if (++this.accN < f) continue
      this.frame[this.filled++] = this.acc / f
      this.acc = 0
      this.accN = 0
      if (this.filled === this.frame.length) this.endFrame()
    }
  }

  private setRate(sampleRate: number): void {
    // A rate change (a streamed modify_request) restarts the frame; the time already measured stays.
    this.inputRate = sampleRate
    this.factor = Math.max(1, Math.round(sampleRate / TARGET_RATE))
    this.rate = sampleRate / this.factor
    this.frame = new Float32Array(Math.round(this.rate * FRAME_SECONDS))
    this.filled = 0
    this.acc = 0
    this.accN = 0
  }

  private endFrame(): void {
    const x = this.frame
    const n = x.length
    const start = this.time
    this.time += n / this.rate
    this.filled = 0
    if (this.frames.count >= MAX_FRAMES) return
    let mean = 0
    for (let i = 0; i < n; i++) mean += x[i] as number
    mean /= n
    let energy = 0
    let diff = 0
    let crossings = 0
    for (let i = 0; i < n; i++) {
      const v = (x[i] as number) - mean
      x[i] = v
      energy += v * v
      if (i > 0) {
        const p = x[i - 1] as number
        diff += (v - p) * (v - p)
        if (v >= 0 !== p >= 0) crossings++
      }
    }
    if (Math.sqrt(energy / n) < MIN_RMS) return
    this.add(start, this.pitchOf(x, energy), crossings / n, Math.log(diff / energy + 1e-9))
  }

  /** Pitch in Hz from the normalised autocorrelation peak, 0 when no lag is periodic enough. */
  private pitchOf(x: Float32Array, energy: number): number {
    const minLag = Math.floor(this.rate / MAX_PITCH)
    const maxLag = Math.min(x.length - 1, Math.ceil(this.rate / MIN_PITCH))
    let best = 0
    let bestLag = 0
    for (let lag = minLag; lag <= maxLag; lag++) {
      let r = 0
      for (let i = lag; i < x.length; i++) r += (x[i] as number) * (x[i - lag] as number)
      // Normalised by the overlap length, so long lags are not penalised for covering fewer samples.
      const score = (r / energy) * (x.length / (x.length - lag))
      if (score > best) {
        best = score
        bestLag = lag
      }
    }
    return best >= VOICED_AT && bestLag > 0 ? this.rate / bestLag : 0
  }

  private add(time: number, pitch: number, zcr: number, brightness: number): void {
    const f = this.frames
    if (f.count === f.time.length) {
      const grow = <T extends Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2)
        b.set(a)
        return b
      }
      f.time = grow(f.time, (k) => new Float64Array(k))
      f.pitch = grow(f.pitch, (k) => new Float32Array(k))
      f.zcr = grow(f.zcr, (k) => new Float32Array(k))
      f.brightness = grow(f.brightness, (k) => new Float32Array(k))
    }
    f.time[f.count] = time
    f.pitch[f.count] = pitch
    f.zcr[f.count] = zcr
    f.brightness[f.count] = brightness
    f.count++
  }
}
