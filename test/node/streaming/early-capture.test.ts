import { describe, expect, it } from 'vitest'
import { EarlyCapture } from '../../../src/streaming/early-capture.js'

/** A 20 ms chunk of 16 kHz LINEAR16 whose first sample is `n` (a counter). */
const chunk = (n: number) => {
  const pcm = new Int16Array(320)
  pcm[0] = n
  return pcm.buffer
}
const msOf = (c: ArrayBuffer) => c.byteLength / 32

describe('EarlyCapture', () => {
  it('keeps every chunk in order within the bound', () => {
    const early = new EarlyCapture(1000, msOf)
    for (let i = 0; i < 50; i++) early.push(chunk(i))
    expect(early.heldMs).toBe(1000)
    expect(early.droppedMs).toBe(0)
    expect(early.take().map((c) => new Int16Array(c)[0])).toEqual([...Array(50).keys()])
  })

  it('beyond the bound drops the oldest whole chunks and counts them', () => {
    const early = new EarlyCapture(1000, msOf)
    for (let i = 0; i < 75; i++) early.push(chunk(i))
    expect(early.droppedMs).toBe(500)
    expect(early.heldMs).toBe(1000)
    const kept = early.take().map((c) => new Int16Array(c)[0])
    expect(kept).toEqual([...Array(50).keys()].map((i) => i + 25))
  })

  it('a bound of 0 keeps nothing; take() ends the hold, and later pushes are ignored', () => {
    const none = new EarlyCapture(0, msOf)
    none.push(chunk(1))
    expect(none.droppedMs).toBe(20)
    expect(none.take()).toEqual([])
    const early = new EarlyCapture(1000, msOf)
    early.push(chunk(1))
    expect(early.take().length).toBe(1)
    early.push(chunk(2))
    expect(early.take()).toEqual([])
    expect(early.heldMs).toBe(0)
  })
})
