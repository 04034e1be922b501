// Speakers from audio (issue 16): with `enableSpeakerDiarization` and `diarizationSpeakerCount: N`, the
// speech segments are assigned to N speakers by their voices, not all to one. Each segment gets a
// voice vector from the frames measured in it (voice.ts): the median log pitch of its voiced frames
// (weighted twice: pitch is what tells voices apart most), its mean zero-crossing rate and mean
// brightness, each standardised over the recording. The vectors are clustered with k-means (segments
// weighted by their length; started from farthest-point seeds taken from up to 8 different first
// segments, the run with the least spread kept), and speakers are numbered in order of first speech.
// A segment with no measured frame (too quiet, or past the frame bound) keeps the previous segment's
// speaker. It is a voice clustering, not a recogniser: two similar voices can be merged, and one voice
// that changes a lot (shouting, whispering) can be split; the bench measures it on synthetic voices.

import type { Segment } from './segments.js'
import type { VoiceFrames } from './voice.js'

const PITCH_WEIGHT = 2
const SEED_STARTS = 8
const ITERATIONS = 50
/**
 * Most segments the k-means runs see. Its cost is starts x iterations x segments x speakers: 20 000
 * segments (four hours of speech, within the upload limit) into 50 speakers blocked the emulator 17 s.
 * Beyond this many, an evenly spaced sample across the recording is clustered and every segment then
 * goes to its nearest centre (one pass).
 */
export const MAX_CLUSTERED_SEGMENTS = 2000
/** Most speakers asked for (uploads answer 400 beyond, as start_request does; options.ts). */
export const MAX_DIARIZATION_SPEAKERS = 100

/** The speaker index (0-based, numbered by first speech) of each segment. */
export function diarize(segments: readonly Segment[], frames: VoiceFrames, speakers: number): number[] {
  if (segments.length === 0) return []
  const vectors = segmentVectors(segments, frames)
  const known = vectors.flatMap((v, i) => (v ? [i] : []))
  const k = Math.min(Math.max(1, Math.floor(speakers)), known.length)
  const labels = new Array<number>(segments.length).fill(-1)
  if (k > 1) {
    const points = standardise(known.map((i) => vectors[i] as number[]))
    const weights = known.map((i) => Math.max(0.05, (segments[i] as Segment).end - (segments[i] as Segment).start))
    const clusters = clusterBounded(points, weights, k)
    known.forEach((i, j) => {
      labels[i] = clusters[j] as number
    })
  } else for (const i of known) labels[i] = 0
  // Unmeasured segments: the previous speaker (the first one: the first measured segment's).
  let previous = labels.find((l) => l >= 0) ?? 0
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === -1) labels[i] = previous
    previous = labels[i] as number
  }
  // Number speakers by first appearance: "Speaker 1" is whoever speaks first.
  const order = new Map<number, number>()
  return labels.map((l) => {
    if (!order.has(l)) order.set(l, order.size)
    return order.get(l) as number
  })
}

/** [log2 pitch, zero-crossing rate, brightness] of one segment (pitch NaN when no frame is voiced), or undefined without frames. */
export function segmentVector(s: Segment, frames: VoiceFrames): number[] | undefined {
  // Frames are in time order; segments may not be (appends are separate files): a binary search.
  let lo = 0
  let hi = frames.count
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((frames.time[mid] as number) < s.start) lo = mid + 1
    else hi = mid
  }
  const pitches: number[] = []
  let zcr = 0
  let bright = 0
  let n = 0
  for (let i = lo; i < frames.count && (frames.time[i] as number) < s.end; i++, n++) {
    const p = frames.pitch[i] as number
    if (p > 0) pitches.push(Math.log2(p))
    zcr += frames.zcr[i] as number
    bright += frames.brightness[i] as number
  }
  return n ? [pitches.length ? median(pitches) : Number.NaN, zcr / n, bright / n] : undefined
}

function segmentVectors(segments: readonly Segment[], frames: VoiceFrames): Array<number[] | undefined> {
  const out = segments.map((s) => segmentVector(s, frames))
  // A segment without a voiced frame gets the mean pitch: only its timbre places it.
  const voiced = out.flatMap((v) => (v && !Number.isNaN(v[0]) ? [v[0] as number] : []))
  const meanPitch = voiced.length ? voiced.reduce((a, b) => a + b, 0) / voiced.length : 0
  for (const v of out) if (v && Number.isNaN(v[0])) v[0] = meanPitch
  return out
}

function median(values: number[]): number {
  values.sort((a, b) => a - b)
  const m = values.length >> 1
  return values.length % 2 ? (values[m] as number) : ((values[m - 1] as number) + (values[m] as number)) / 2
}

function standardise(points: number[][]): number[][] {
  const dims = (points[0] as number[]).length
  const mean = new Array<number>(dims).fill(0)
  const sd = new Array<number>(dims).fill(0)
  for (const p of points) for (let d = 0; d < dims; d++) mean[d] = (mean[d] as number) + (p[d] as number) / points.length
  for (const p of points)
    for (let d = 0; d < dims; d++) sd[d] = (sd[d] as number) + ((p[d] as number) - (mean[d] as number)) ** 2 / points.length
  return points.map((p) => p.map((x, d) => ((x - (mean[d] as number)) / (Math.sqrt(sd[d] as number) || 1)) * (d === 0 ? PITCH_WEIGHT : 1)))
}

/** Squared distance of two voice vectors (always three numbers: written out, it is the hot loop). */
const distance = (a: number[], b: number[]): number =>
  ((a[0] as number) - (b[0] as number)) ** 2 + ((a[1] as number) - (b[1] as number)) ** 2 + ((a[2] as number) - (b[2] as number)) ** 2

/** Labels for every point; past MAX_CLUSTERED_SEGMENTS, the centres come from an evenly spaced sample. */
function clusterBounded(points: number[][], weights: number[], k: number): number[] {
  if (points.length <= MAX_CLUSTERED_SEGMENTS) return bestKMeans(points, weights, k).labels
  const step = points.length / MAX_CLUSTERED_SEGMENTS
  const sample = Array.from({ length: MAX_CLUSTERED_SEGMENTS }, (_, j) => Math.floor(j * step))
  const { centres } = bestKMeans(
    sample.map((i) => points[i] as number[]),
    sample.map((i) => weights[i] as number),
    k,
  )
  return points.map((p) => nearest(p, centres))
}

function nearest(p: number[], centres: number[][]): number {
  let best = 0
  let bestD = distance(p, centres[0] as number[])
  for (let c = 1; c < centres.length; c++) {
    const d = distance(p, centres[c] as number[])
    if (d < bestD) {
      best = c
      bestD = d
    }
  }
  return best
}

function bestKMeans(points: number[][], weights: number[], k: number): { labels: number[]; centres: number[][] } {
  let best: { labels: number[]; centres: number[][]; spread: number } | undefined
  for (let first = 0; first < Math.min(SEED_STARTS, points.length); first++) {
    const run = kMeans(points, weights, seeds(points, k, first))
    if (!best || run.spread < best.spread - 1e-9) best = run
  }
  return best as { labels: number[]; centres: number[][] }
}

/** Farthest-point seeds: the next centre is the point farthest from every centre so far. */
function seeds(points: number[][], k: number, first: number): number[][] {
  const centres = [points[first] as number[]]
  const near = points.map((p) => distance(p, centres[0] as number[]))
  while (centres.length < k) {
    let far = 0
    for (let i = 1; i < points.length; i++) if ((near[i] as number) > (near[far] as number)) far = i
    const c = points[far] as number[]
    centres.push(c)
    for (let i = 0; i < points.length; i++) near[i] = Math.min(near[i] as number, distance(points[i] as number[], c))
  }
  return centres.map((c) => [...c])
}

function kMeans(points: number[][], weights: number[], start: number[][]): { labels: number[]; centres: number[][]; spread: number } {
  const centres = start
  const labels = new Array<number>(points.length).fill(0)
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    let moved = false
    for (let i = 0; i < points.length; i++) {
      const best = nearest(points[i] as number[], centres)
      if (best !== labels[i]) moved = true
      labels[i] = best
    }
    if (!moved && iteration > 0) break
    // Each centre: the weighted mean of its points (one pass over the points for all centres).
    const totals = new Array<number>(centres.length).fill(0)
    const sums = centres.map(() => [0, 0, 0])
    for (let i = 0; i < points.length; i++) {
      const c = labels[i] as number
      const w = weights[i] as number
      const p = points[i] as number[]
      const sum = sums[c] as number[]
      totals[c] = (totals[c] as number) + w
      for (let d = 0; d < 3; d++) sum[d] = (sum[d] as number) + (p[d] as number) * w
    }
    sums.forEach((sum, c) => {
      const total = totals[c] as number
      if (total > 0) centres[c] = sum.map((x) => x / total)
    })
  }
  const spread = points.reduce((s, p, i) => s + (weights[i] as number) * distance(p, centres[labels[i] as number] as number[]), 0)
  return { labels, centres, spread }
}

const LIVE_UNITS = [2 / 12, 0.08, 0.6]
export const NEW_VOICE = 3

export class LiveDiarizer {
  private readonly centres: Array<{ v: number[]; weight: number }> = []
  private last = 0

  constructor(private readonly speakers: number) {}

  /** The speaker index (0-based, by first speech) of a segment that has just ended. */
  label(segment: Segment, frames: VoiceFrames): number {
    const v = segmentVector(segment, frames)
    // Unmeasured (too quiet, past the frame bound) or unvoiced: the previous speaker.
    if (!v || Number.isNaN(v[0])) return this.last
    const scaled = v.map((x, d) => x / (LIVE_UNITS[d] as number))
    let best = -1
    let bestDistance = Number.POSITIVE_INFINITY
    this.centres.forEach((c, i) => {
      const d = Math.sqrt(distance(scaled, c.v))
      if (d < bestDistance) {
        best = i
        bestDistance = d
      }
    })
    const weight = Math.max(0.05, segment.end - segment.start)
    if (best < 0 || (bestDistance > NEW_VOICE && this.centres.length < this.speakers)) {
      this.centres.push({ v: scaled, weight })
      best = this.centres.length - 1
    } else {
      const c = this.centres[best] as { v: number[]; weight: number }
      c.v = c.v.map((x, d) => (x * c.weight + (scaled[d] as number) * weight) / (c.weight + weight))
      c.weight += weight
    }
    this.last = best
    return best
  }
}
