// Random bytes where OPUS packets, a FLAC stream or an Ogg Opus file should be: the emulator never
// crashes or hangs, the stream still stops cleanly, reports stay bounded (1st, 2nd, 4th... malformed),
// and an Ogg Opus upload with garbage inside still completes its job with the audio around it.

import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, lifecycle, token, waitJob } from './helpers.js'

let emu: RunningEmulator
let tok: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0 })
  tok = await token(emu)
})
afterAll(() => emu.close())

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}
const bytes = (next: () => number, n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256))

describe('garbage audio', () => {
  for (const encoding of ['OPUS', 'FLAC']) {
    it(`${encoding}: 600 random messages, then a clean stop`, async () => {
      const next = random(encoding === 'OPUS' ? 14 : 16)
      const c = await connect(`${emu.wsUrl}/v1/streaming/fuzz-${encoding}?access_token=${tok}`)
      c.send({ type: 'start_request', config: { speechRecognition: { encoding, sampleRateHertz: 48000 } } })
      for (let i = 0; i < 600; i++) c.ws.send(bytes(next, Math.floor(next() ** 3 * 5000)))
      c.send({ type: 'stop_request' })
      expect((await c.closed).code).toBe(1000)
      const names = c.frames.map(lifecycle)
      expect(names.slice(-2)).toEqual(['conversation_completed', 'recognition_stopped'])
      const errors = c.frames.filter((f) => lifecycle(f) === 'error')
      expect(errors.length).toBeGreaterThan(0)
      // Reported at 1, 2, 4, 8...: at most 11 reports for 600 messages (and FLAC's skip reports).
      expect(errors.length).toBeLessThanOrEqual(20)
      for (const e of errors) expect(e.message.message).toBe('Malformed audio')
    })
  }

  it('an Ogg Opus upload with garbage between its pages completes with the audio around it', async () => {
    const next = random(7)
    const file = new Uint8Array(readFileSync(new URL('../fixtures/ogg-opus/tone-16k-mono.opus', import.meta.url)))
    const cut = 6000 // inside the first tone
    const mixed = new Uint8Array([...file.subarray(0, cut), ...bytes(next, 100_000), ...file.subarray(cut)])
    const r = await api(emu, tok, 'POST', '/v1/process/audio?name=fuzz.opus', mixed)
    expect(r.status).toBe(201)
    expect(await waitJob(emu, tok, r.body.jobId)).toContain('completed')
    const info = emu.core.store.get(r.body.conversationId)?.audio[0]
    expect(info).toMatchObject({ format: 'ogg', durationMethod: 'exact' })
    // The page cut in two is lost (its CRC fails), the pages after the garbage are found again.
    expect(info?.durationSeconds).toBeGreaterThan(4)
    expect(info?.durationSeconds).toBeLessThan(5)
    expect(info?.speechSegments.length).toBeGreaterThanOrEqual(2)
  })
})
