// Diarization's work is bounded (the probe after issue 11): k-means over every segment cost starts x
// iterations x segments x speakers, so four hours of speech (20 000 segments, within the upload limit)
// into 50 speakers blocked the emulator 17 s, and an unbounded diarizationSpeakerCount made it worse.
// Now at most MAX_CLUSTERED_SEGMENTS segments are clustered (an evenly spaced sample; the rest go to
// the nearest centre) and the count is 1–100 as in start_request. The tests time nothing: before, the
// 40 000-segment case ran for minutes.

import { describe, expect, it } from 'vitest'
import { diarize, MAX_CLUSTERED_SEGMENTS } from '../../src/emulator/core/audio/diarize.js'
import type { VoiceFrames } from '../../src/emulator/core/audio/voice.js'
import { api, pcm, sharedEmulator, wav } from './helpers.js'

/** Frames every 32 ms; segment i (0.4 s every 0.7 s) spoken by voices[i % voices.length]. */
function recording(segments: number, voices: Array<[number, number, number]>) {
  const count = Math.round((segments * 0.7) / 0.032)
  const frames: VoiceFrames = {
    count,
    time: new Float64Array(count),
    pitch: new Float32Array(count),
    zcr: new Float32Array(count),
    brightness: new Float32Array(count),
  }
  let seed = 3
  const noise = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5
  for (let i = 0; i < count; i++) {
    const t = i * 0.032
    const [pitch, zcr, bright] = voices[Math.floor(t / 0.7) % voices.length] as [number, number, number]
    frames.time[i] = t
    frames.pitch[i] = pitch * (1 + 0.05 * noise())
    frames.zcr[i] = zcr + 0.02 * noise()
    frames.brightness[i] = bright + 0.02 * noise()
  }
  const segs = Array.from({ length: segments }, (_, i) => ({ start: i * 0.7, end: i * 0.7 + 0.4 }))
  return { frames, segs }
}

describe('diarize on long recordings', () => {
  it('40 000 segments into 100 speakers', () => {
    const { frames, segs } = recording(40_000, [
      [100, 0.1, 0.2],
      [220, 0.3, 0.5],
    ])
    const labels = diarize(segs, frames, 100)
    expect(labels).toHaveLength(40_000)
    expect(Math.max(...labels)).toBeLessThan(100)
  })

  it('past MAX_CLUSTERED_SEGMENTS, every segment still goes to its own voice', () => {
    const voices: Array<[number, number, number]> = [
      [100, 0.1, 0.2],
      [220, 0.3, 0.5],
      [400, 0.5, 0.8],
    ]
    const { frames, segs } = recording(MAX_CLUSTERED_SEGMENTS * 3 + 7, voices)
    const labels = diarize(segs, frames, 3)
    // Numbered by first speech: voice j is speaker j, for every segment, sampled or not.
    expect(labels.every((l, i) => l === i % 3)).toBe(true)
  })
})

describe('diarizationSpeakerCount on uploads', () => {
  const shared = sharedEmulator()

  it('answers 400 above 100 (as start_request does), 201 at 100', async () => {
    const body = wav(pcm(16000, [[0.5, 0.5]]), 16000)
    for (const [count, status] of [
      [101, 400],
      [1_000_000, 400],
      [100, 201],
    ] as const) {
      const r = await api(
        shared.emu,
        shared.tok,
        'POST',
        `/v1/process/audio?enableSpeakerDiarization=true&diarizationSpeakerCount=${count}`,
        body,
        {
          'content-type': 'audio/wav',
        },
      )
      expect(r.status, String(count)).toBe(status)
      if (status === 400) expect(r.body.message).toBe('"diarizationSpeakerCount" must be an integer from 1 to 100')
    }
  })
})
