// Energy-based speech detection. 20 ms frames; a frame is "loud" when its RMS is above both an
// absolute floor (-40 dBFS) and 4x the running noise floor. A segment opens after 60 ms of loud
// frames and closes after 300 ms of quiet ones (so pauses between words do not split it); segments
// shorter than 150 ms are dropped as clicks. This finds *when* someone speaks, never *what*.

export interface Segment {
  start: number
  end: number
}

export interface SegmenterEvents {
  onSpeechStart?: (time: number) => void
  onSegment?: (segment: Segment) => void
}

const FRAME_SECONDS = 0.02
const ABSOLUTE_FLOOR = 0.01
const OPEN_FRAMES = 3
const CLOSE_SECONDS = 0.3
const MIN_SEGMENT = 0.15

export class SpeechSegmenter {
  /** Seconds of audio consumed so far. */
  time = 0
  readonly segments: Segment[] = []
  private energy = 0
  private count = 0
  // Starts near -52 dBFS; quiet frames pull it towards the real background level.
  private noise = ABSOLUTE_FLOOR / 4
  private loudRun = 0
  private openAt = -1
  private lastLoud = 0

  constructor(private readonly events: SegmenterEvents = {}) {}

  push(samples: Float32Array, sampleRate: number): void {
    const frameLength = Math.max(1, Math.round(sampleRate * FRAME_SECONDS))
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]
      // A NaN or infinite float sample (a broken float WAV) counts as silence: added to the energy
      // it would poison the running noise floor and stop speech detection for the rest of the file.
      if (Number.isFinite(x)) this.energy += x * x
      if (++this.count >= frameLength) this.endFrame(sampleRate)
    }
  }

  /** Closes an open segment at the end of the audio. */
  finish(): void {
    if (this.openAt >= 0) this.close(Math.min(this.time, this.lastLoud + FRAME_SECONDS))
  }

  private endFrame(sampleRate: number): void {
    const rms = Math.sqrt(this.energy / this.count)
    const frameStart = this.time
    this.time += this.count / sampleRate
    this.energy = 0
    this.count = 0
    const loud = rms > ABSOLUTE_FLOOR && rms > this.noise * 4
    // Quiet frames pull the floor down quickly and up slowly (a minimum tracker: the soft frames
    // between words of real speech must not lift it, or a voice with a wide dynamic range, such as
    // espeak-ng's, is cut into scraps); loud ones lift it very slowly, so a constant hum stops
    // counting as speech after some seconds.
    this.noise = loud
      ? this.noise * 0.999 + rms * 0.001
      : rms < this.noise
        ? this.noise * 0.7 + rms * 0.3
        : this.noise * 0.995 + rms * 0.005
    if (loud) {
      this.loudRun++
      this.lastLoud = frameStart
      if (this.openAt < 0 && this.loudRun >= OPEN_FRAMES) {
        this.openAt = Math.max(0, frameStart - (OPEN_FRAMES - 1) * FRAME_SECONDS)
        this.events.onSpeechStart?.(this.openAt)
      }
    } else {
      this.loudRun = 0
      if (this.openAt >= 0 && this.time - (this.lastLoud + FRAME_SECONDS) >= CLOSE_SECONDS) this.close(this.lastLoud + FRAME_SECONDS)
    }
  }

  private close(end: number): void {
    const segment = { start: round(this.openAt), end: round(end) }
    this.openAt = -1
    if (segment.end - segment.start < MIN_SEGMENT) return
    this.segments.push(segment)
    this.events.onSegment?.(segment)
  }
}

const round = (t: number): number => Math.round(t * 1000) / 1000
