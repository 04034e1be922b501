// Ogg Opus uploads are decoded (our Ogg demuxer + opus-decoder) like the other compressed formats:
// files written by opusenc (test/fixtures/ogg-opus/make.sh: 2 s tone, 1 s silence, 2 s tone) give
// two speech segments at the right times and the exact playback length (pre-skip and end trimmed).
// Damaged and truncated files are decoded as far as they go; a file that is not Opus keeps the header facts.

import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { OggPacketReader } from '../../src/emulator/core/audio/ogg-pages.js'
import { api, token, waitJob } from './helpers.js'

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/ogg-opus/${name}`, import.meta.url)))

let emu: RunningEmulator
let tok: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 5 })
  tok = await token(emu)
})
afterAll(() => emu.close())

async function upload(name: string, bytes: Uint8Array) {
  const r = await api(emu, tok, 'POST', `/v1/process/audio?name=${name}`, bytes)
  expect(r.status).toBe(201)
  expect(await waitJob(emu, tok, r.body.jobId)).toContain('completed')
  const msgs = (await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/messages`)).body.messages
  return {
    times: msgs.map((m: any) => [m.timeOffset, m.timeOffset + m.duration]) as number[][],
    info: emu.core.store.get(r.body.conversationId)!.audio[0],
  }
}

describe('Ogg Opus uploads', () => {
  for (const name of ['tone-16k-mono.opus', 'tone-44k-stereo.opus']) {
    it(`${name}: two segments and the exact duration`, async () => {
      const { times, info } = await upload(name, fixture(name))
      expect(info).toMatchObject({ format: 'ogg', sampleRate: 48000, durationMethod: 'exact' })
      // opusinfo: "Playback length: 0m:05.000s".
      expect(info.durationSeconds).toBeCloseTo(5, 6)
      expect(times).toHaveLength(2)
      const expected = [
        [0, 2],
        [3, 5],
      ]
      for (let i = 0; i < 2; i++) {
        expect(Math.abs(times[i][0] - expected[i][0])).toBeLessThan(0.1)
        expect(Math.abs(times[i][1] - expected[i][1])).toBeLessThan(0.1)
      }
    })
  }

  it('a chained file (two streams back to back) continues in time', async () => {
    const one = fixture('tone-16k-mono.opus')
    const two = fixture('tone-44k-stereo.opus')
    const chained = new Uint8Array(one.length + two.length)
    chained.set(one)
    chained.set(two, one.length)
    const { times, info } = await upload('chained.opus', chained)
    expect(info.durationSeconds).toBeCloseTo(10, 6)
    // The first file's last tone runs straight into the second's first: one segment from 3 to 7 s.
    const expected = [
      [0, 2],
      [3, 7],
      [8, 10],
    ]
    expect(times).toHaveLength(3)
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(times[i][0] - expected[i][0])).toBeLessThan(0.1)
      expect(Math.abs(times[i][1] - expected[i][1])).toBeLessThan(0.1)
    }
  })

  it('a damaged page is skipped (its CRC fails) and the rest decoded; a cut file decodes up to the cut', async () => {
    const file = fixture('tone-16k-mono.opus')
    const damaged = file.slice()
    damaged[Math.floor(file.length * 0.75)] ^= 0xff // inside the second tone
    const hurt = await upload('damaged.opus', damaged)
    expect(hurt.info.durationMethod).toBe('exact')
    expect(hurt.info.durationSeconds).toBeLessThan(5)
    expect(hurt.info.durationSeconds).toBeGreaterThan(3)
    expect(hurt.times[0][1]).toBeGreaterThan(1.9)

    const cut = await upload('cut.opus', file.slice(0, Math.floor(file.length / 2)))
    expect(cut.info.durationSeconds).toBeGreaterThan(1.5)
    expect(cut.info.durationSeconds).toBeLessThan(3.5)
    expect(Math.abs(cut.times[0][1] - 2)).toBeLessThan(0.1)
  })

  it('an Ogg file whose first packet is not OpusHead keeps the header facts', async () => {
    const file = fixture('tone-16k-mono.opus').slice()
    // "OpusHead" becomes "OpusHeaX": the page's CRC would fail, so the demuxer must not be the one refusing it.
    const reader = new OggPacketReader()
    expect(reader.push(file)[0].data.subarray(0, 8)).toEqual(new TextEncoder().encode('OpusHead'))
    const bad = file.slice()
    bad[28 + 7] = 0x58
    const { times, info } = await upload('not-opus.ogg', bad)
    expect(info).toMatchObject({ format: 'ogg', durationMethod: 'unknown' })
    expect(times).toHaveLength(0)
  })
})

describe('Ogg page reader', () => {
  it('gives the same packets whatever the chunk size, with granule positions and the end flag', () => {
    const file = fixture('tone-44k-stereo.opus')
    const whole = new OggPacketReader().push(file)
    // OpusHead, OpusTags, then 251 packets of 20 ms (5 s plus the 312-sample pre-skip).
    expect(whole).toHaveLength(253)
    expect(whole[0].first).toBe(true)
    expect(whole.at(-1)?.last).toBe(true)
    // Playback length 5 s at 48 kHz after a 312-sample pre-skip.
    expect(whole.at(-1)?.granule).toBe(5 * 48000 + 312)
    for (const size of [1, 7, 4096]) {
      const reader = new OggPacketReader()
      const packets = []
      for (let at = 0; at < file.length; at += size) packets.push(...reader.push(file.subarray(at, at + size)))
      expect(packets.map((p) => p.data)).toEqual(whole.map((p) => p.data))
      expect(reader.damagedPages).toBe(0)
    }
  })
})
