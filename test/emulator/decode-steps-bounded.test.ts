// Compressed uploads whose few bytes stand for a lot of audio (the probe after issue 11): a FLAC frame
// of one constant value is 14 bytes for 65 535 samples, so a 20 KB upload is 1.7 hours, and it was
// decoded in one step (a 1.5 s event-loop block, 535 MB). Each decode step now yields a bounded amount
// (the slice shrinks with the samples per byte seen), with a turn of the event loop after a large one.

import { describe, expect, it } from 'vitest'
import { CompressedDecoder, MAX_DECODED_SECONDS } from '../../src/emulator/core/audio/decode.js'
import { flacCrc16, flacCrc8 } from '../../src/emulator/core/audio/flac-frames.js'

const utf8 = (n: number): number[] =>
  n < 0x80 ? [n] : n < 0x800 ? [0xc0 | (n >> 6), 0x80 | (n & 63)] : [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 63), 0x80 | (n & 63)]

/** A FLAC frame of 65 535 samples of one constant value (16 kHz, mono, 16 bits). */
function constantFrame(index: number): number[] {
  const header = [0xff, 0xf8, (7 << 4) | 5, 0x08, ...utf8(index), 0xff, 0xfe]
  const frame = [...header, flacCrc8(Uint8Array.from(header)), 0x00, 0x00, 0x00]
  const c16 = flacCrc16(Uint8Array.from(frame))
  return [...frame, c16 >> 8, c16 & 0xff]
}

function flacBomb(frames: number): Uint8Array {
  const info = new Uint8Array(34)
  const view = new DataView(info.buffer)
  view.setUint16(0, 65535)
  view.setUint16(2, 65535)
  view.setUint32(10, ((16000 << 12) | (15 << 4)) >>> 0) // 16 kHz, 1 channel, 16 bits, total unknown
  const bytes = [0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34, ...info]
  for (let i = 0; i < frames; i++) bytes.push(...constantFrame(i))
  return new Uint8Array(bytes)
}

describe('CompressedDecoder steps', () => {
  it('a 20 KB FLAC of 1.7 hours is decoded in bounded steps, to the exact length', async () => {
    const file = flacBomb(1469)
    const calls: number[] = []
    const decoder = new CompressedDecoder('flac', (samples) => calls.push(samples.length))
    await decoder.push(file)
    await decoder.finish()
    expect(decoder.error).toBeUndefined()
    expect(decoder.samples).toBe(1469 * 65535)
    expect(calls.length).toBeGreaterThan(20)
    // At most a minute at 48 kHz per step, give or take one slice's worth of frames at the smallest slice.
    expect(Math.max(...calls)).toBeLessThanOrEqual(60 * 48000 + Math.ceil(512 / 14) * 65535)
  })

  it('past MAX_DECODED_SECONDS a FLAC upload is timed from its frame headers, not decoded, to the exact length', async () => {
    const frames = Math.ceil((MAX_DECODED_SECONDS * 16000 * 1.15) / 65535)
    let decoded = 0
    const decoder = new CompressedDecoder('flac', (samples) => {
      decoded += samples.length
    })
    const file = flacBomb(frames)
    for (let at = 0; at < file.length; at += 8192) await decoder.push(file.subarray(at, at + 8192))
    await decoder.finish()
    expect(decoder.samples).toBe(frames * 65535)
    expect(decoder.durationSeconds).toBeCloseTo((frames * 65535) / 16000, 6)
    // Decoding stopped within a step of the bound.
    expect(decoded).toBeGreaterThanOrEqual(MAX_DECODED_SECONDS * 16000)
    expect(decoded).toBeLessThan(MAX_DECODED_SECONDS * 16000 + 4 * 60 * 48000)
  })
})
