import { expect, it } from 'vitest'
import { SpeechSegmenter } from '../../src/emulator/core/audio/segments.js'

const rate = 16000
const tone = (seconds: number, amp: number) =>
  Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amp * Math.sin((2 * Math.PI * 200 * i) / rate))

it('a NaN sample in a float WAV counts as silence and does not stop speech detection', () => {
  const s = new SpeechSegmenter()
  const broken = tone(0.5, 0)
  broken[100] = Number.NaN
  broken[200] = Number.POSITIVE_INFINITY
  s.push(broken, rate)
  s.push(tone(1, 0.5), rate) // speech
  s.push(tone(1, 0), rate)
  s.finish()
  expect(s.segments).toHaveLength(1)
  expect(s.segments[0].start).toBeGreaterThanOrEqual(0.45)
  expect(s.segments[0].start).toBeLessThanOrEqual(0.55)
})
