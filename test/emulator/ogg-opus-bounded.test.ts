// Ogg Opus uploads whose few bytes stand for hours of audio (the probe after issue 11): a 2-byte
// packet is 120 ms (six empty frames, decoded as concealment), so a 100 KB file is 68 minutes; it was
// decoded in one call (a 3.5 s block of the event loop, 730 MB), and 1 GiB would have been years of
// audio. Now one decode call hands out at most a minute (the rest is a backlog taken in further calls)
// and past MAX_DECODED_SECONDS packets are timed from their TOC byte, not decoded. Nothing is timed
// here: the tests check the bounds and that the duration stays exact.

import { describe, expect, it } from 'vitest'
import { createOggOpusDecoder, MAX_DECODED_SECONDS } from '../../src/emulator/core/audio/ogg-opus.js'
import { api, sharedEmulator, waitJob } from './helpers.js'

const CRC = new Uint32Array(256)
for (let i = 0; i < 256; i++) {
  let c = i << 24
  for (let b = 0; b < 8; b++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1
  CRC[i] = c >>> 0
}

function page(packets: Uint8Array[], flags: number, granule: number, sequence: number): Buffer {
  const lacing: number[] = []
  for (const p of packets) {
    let n = p.length
    for (; n >= 255; n -= 255) lacing.push(255)
    lacing.push(n)
  }
  const header = Buffer.alloc(27 + lacing.length)
  header.write('OggS', 0)
  header[5] = flags
  header.writeUInt32LE(granule % 2 ** 32, 6)
  header.writeUInt32LE(Math.floor(granule / 2 ** 32), 10)
  header.writeUInt32LE(1234, 14)
  header.writeUInt32LE(sequence, 18)
  header[26] = lacing.length
  lacing.forEach((l, i) => {
    header[27 + i] = l
  })
  const all = Buffer.concat([header, ...packets])
  let crc = 0
  for (const byte of all) crc = ((crc << 8) ^ (CRC[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0
  all.writeUInt32LE(crc, 22)
  return all
}

const PRE_SKIP = 312
/** An Ogg Opus file of `pages` pages of 255 packets of 120 ms (2 bytes each), and its exact length in samples at 48 kHz. */
function bomb(pages: number): { file: Uint8Array; samples: number } {
  const head = Buffer.alloc(19)
  head.write('OpusHead', 0)
  head[8] = 1
  head[9] = 1
  head.writeUInt16LE(PRE_SKIP, 10)
  head.writeUInt32LE(48000, 12)
  const tags = Buffer.alloc(16)
  tags.write('OpusTags', 0)
  const packet = Uint8Array.of((31 << 3) | 3, 6) // CELT 20 ms, code 3, six frames of 0 bytes
  const out = [page([head], 2, 0, 0), page([tags], 0, 0, 1)]
  let granule = 0
  for (let i = 0; i < pages; i++) {
    granule += 255 * 5760
    out.push(page(Array(255).fill(packet), i === pages - 1 ? 4 : 0, granule, i + 2))
  }
  return { file: new Uint8Array(Buffer.concat(out)), samples: granule - PRE_SKIP }
}

describe('createOggOpusDecoder', () => {
  it('hands out at most a minute per call; the backlog gives the rest, to the exact length', async () => {
    const { file, samples } = bomb(133) // 100 KB, 67.8 minutes
    const decoder = await createOggOpusDecoder()
    let total = 0
    let calls = 0
    let out = await decoder.decode(file)
    for (;;) {
      calls++
      expect(out.samplesDecoded).toBeLessThanOrEqual(60 * 48000 + 5760)
      expect(out.timedOnly ?? 0).toBe(0)
      total += out.samplesDecoded
      if (!decoder.backlog()) break
      out = await decoder.decode(new Uint8Array(0))
    }
    expect(calls).toBeGreaterThan(60)
    expect(total).toBe(samples)
    decoder.free()
  })
})

describe('an Ogg Opus upload of more than MAX_DECODED_SECONDS', () => {
  const shared = sharedEmulator()

  it('completes with its exact duration (the rest timed, not decoded)', { timeout: 120_000 }, async () => {
    const { file, samples } = bomb(Math.ceil((MAX_DECODED_SECONDS * 1.2) / (255 * 0.12)))
    expect(samples / 48000).toBeGreaterThan(MAX_DECODED_SECONDS)
    const r = await api(shared.emu, shared.tok, 'POST', '/v1/process/audio', file, { 'content-type': 'audio/ogg' })
    expect(r.status).toBe(201)
    expect(await waitJob(shared.emu, shared.tok, r.body.jobId)).toContain('completed')
    const audio = shared.emu.core.store.get(r.body.conversationId)?.audio[0]
    expect(audio?.durationSeconds).toBeCloseTo(samples / 48000, 3)
  })
})
