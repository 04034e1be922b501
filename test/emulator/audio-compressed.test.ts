// MP3, FLAC and Ogg Vorbis uploads are decoded (wasm-audio-decoders) and segmented like WAV: files
// made by sox (2 s tone, 1 s silence, 2 s tone) must give two speech segments at the right times
// and an exact duration, seen through the HTTP API (messages, and the offset of an appended file).

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, token, waitJob } from './helpers.js'

const hasSox = spawnSync('sox', ['--version']).status === 0
const dir = mkdtempSync(join(tmpdir(), 'emu-compressed-'))

/** 2 s of 440 Hz, 1 s of silence, 2 s of 440 Hz, written by sox in the format of `name`'s extension. */
function make(name: string, rate: number, channels: number): Uint8Array {
  const tone = join(dir, `tone-${rate}-${channels}.wav`)
  const silence = join(dir, `silence-${rate}-${channels}.wav`)
  const run = (args: string[]) => {
    const r = spawnSync('sox', args)
    if (r.status !== 0) throw new Error(`sox ${args.join(' ')}: ${r.stderr}`)
  }
  run(['-n', '-r', String(rate), '-c', String(channels), tone, 'synth', '2', 'sine', '440', 'vol', '0.5'])
  run(['-n', '-r', String(rate), '-c', String(channels), silence, 'trim', '0', '1'])
  run([tone, silence, tone, join(dir, name)])
  return readFileSync(join(dir, name))
}

let emu: RunningEmulator
let tok: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 5, maxUploadBytes: 2_000_000 })
  tok = await token(emu)
})
afterAll(async () => {
  await emu?.close()
  rmSync(dir, { recursive: true, force: true })
})

// sox's MP3 (LAME, no Xing/LAME tag) starts with the encoder delay (576 + 529 samples) and ends on a
// whole frame; without the tag no decoder can know it, so times shift by that delay.
const cases = [
  { name: 'a.flac', format: 'flac', rate: 16000, channels: 1, delay: 0, duration: 5 },
  { name: 'b.flac', format: 'flac', rate: 44100, channels: 2, delay: 0, duration: 5 },
  { name: 'c.ogg', format: 'ogg', rate: 22050, channels: 1, delay: 0, duration: 5 },
  { name: 'd.ogg', format: 'ogg', rate: 48000, channels: 2, delay: 0, duration: 5 },
  { name: 'e.mp3', format: 'mp3', rate: 16000, channels: 1, delay: 1105 / 16000, duration: 5 + 1105 / 16000 },
  { name: 'f.mp3', format: 'mp3', rate: 44100, channels: 2, delay: 1105 / 44100, duration: 5 + 1105 / 44100 },
]

describe('decoded compressed uploads', () => {
  for (const c of cases) {
    it.skipIf(!hasSox)(`${c.format} ${c.rate} Hz ${c.channels} ch: two segments and the exact duration`, async () => {
      const file = make(c.name, c.rate, c.channels)
      const r = await api(emu, tok, 'POST', `/v1/process/audio?name=${c.name}`, file)
      expect(r.status).toBe(201)
      expect(await waitJob(emu, tok, r.body.jobId)).toContain('completed')
      // The same file appended: its messages start after the first file's duration.
      const put = await api(emu, tok, 'PUT', `/v1/process/audio/${r.body.conversationId}`, file)
      expect(put.status).toBe(201)
      expect(await waitJob(emu, tok, put.body.jobId)).toContain('completed')
      const msgs = (await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/messages`)).body.messages
      expect(msgs).toHaveLength(4)
      const times = msgs.map((m: any) => [m.timeOffset, m.timeOffset + m.duration])
      const info = emu.core.store.get(r.body.conversationId)!.audio[0]
      expect(info).toMatchObject({ format: c.format, sampleRate: c.rate, durationMethod: 'exact' })
      expect(Math.abs(info.durationSeconds! - c.duration)).toBeLessThan(0.05)
      const d = c.delay
      const expected = [
        [d, 2 + d],
        [3 + d, 5 + d],
      ]
      expected.push(...expected.map(([s, e]) => [s + c.duration, e + c.duration]))
      for (let i = 0; i < 4; i++) {
        expect(Math.abs(times[i][0] - expected[i][0])).toBeLessThan(0.1)
        expect(Math.abs(times[i][1] - expected[i][1])).toBeLessThan(0.1)
      }
    })
  }
})
