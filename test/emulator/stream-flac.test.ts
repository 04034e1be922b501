// FLAC streams (start_request encoding FLAC): the FLAC byte stream, cut into binary messages anywhere,
// is decoded (@wasm-audio-decoders/flac) and gets the same segments and duration as the same audio
// sent as LINEAR16. The FLAC data is written by sox (an independent encoder), as the upload tests do.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, lifecycle, pcm, token, waitJob, wav } from './helpers.js'

const hasSox = spawnSync('sox', ['--version']).status === 0
const dir = mkdtempSync(join(tmpdir(), 'emu-flac-stream-'))
const RATE = 16000
const AUDIO = pcm(RATE, [
  [0.4, 0],
  [1.0, 0.3],
  [0.8, 0],
  [0.6, 0.2],
  [0.6, 0],
])

let emu: RunningEmulator
let tok: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0 })
  tok = await token(emu)
})
afterAll(async () => {
  await emu.close()
  rmSync(dir, { recursive: true, force: true })
})

async function stream(id: string, encoding: string, bytes: Uint8Array, chunk: number) {
  const c = await connect(`${emu.wsUrl}/v1/streaming/${id}?access_token=${tok}`)
  c.send({ type: 'start_request', config: { speechRecognition: { encoding, sampleRateHertz: RATE } } })
  for (let at = 0; at < bytes.length; at += chunk) c.ws.send(bytes.subarray(at, at + chunk))
  c.send({ type: 'stop_request' })
  expect((await c.closed).code).toBe(1000)
  const id2 = c.frames.find((f) => lifecycle(f) === 'conversation_created').message.data.conversationId
  const conversation = emu.core.store.get(id2)!
  return {
    frames: c.frames,
    segments: conversation.messages.map((m) => [(m.startMs - conversation.startMs) / 1000, (m.endMs - conversation.startMs) / 1000]),
    audio: conversation.audio[0],
  }
}

/** AUDIO written by sox as FLAC (its last frame, 0.15 s of silence, is a few bytes long). */
function soxFlac(): Uint8Array {
  writeFileSync(join(dir, 'in.wav'), wav(AUDIO, RATE))
  const made = spawnSync('sox', [join(dir, 'in.wav'), join(dir, 'out.flac')])
  if (made.status !== 0) throw new Error(`sox: ${made.stderr}`)
  return new Uint8Array(readFileSync(join(dir, 'out.flac')))
}

describe.skipIf(!hasSox)('FLAC streams', () => {
  it('decodes the byte stream cut into messages anywhere: segments and duration as LINEAR16', async () => {
    const flac = soxFlac()
    const reference = await stream('flac-ref-1', 'LINEAR16', new Uint8Array(AUDIO.buffer), 8192)
    expect(reference.segments.length).toBe(2)
    const decoded = await stream('flac-1', 'FLAC', flac, 1000) // 1000-byte messages: frames straddle them
    expect(decoded.audio).toMatchObject({ format: 'flac', durationMethod: 'exact' })
    expect(decoded.audio?.durationSeconds).toBeCloseTo(3.4, 3)
    expect(decoded.segments.length).toBe(2)
    decoded.segments.forEach(([start, end], i) => {
      expect(Math.abs(start - reference.segments[i][0])).toBeLessThanOrEqual(0.001)
      expect(Math.abs(end - reference.segments[i][1])).toBeLessThanOrEqual(0.001)
    })
    expect(decoded.frames.some((f) => lifecycle(f) === 'error')).toBe(false)
  })

  it('skips bytes that are not FLAC frames: reported, the damaged frame dropped, the rest decoded', async () => {
    const flac = soxFlac()
    const garbage = new Uint8Array(500).map((_, i) => (i * 73 + 11) & 0xff)
    const damaged = new Uint8Array(flac.length + garbage.length)
    damaged.set(flac.subarray(0, 3000))
    damaged.set(garbage, 3000)
    damaged.set(flac.subarray(3000), 3000 + garbage.length)
    const decoded = await stream('flac-bad-1', 'FLAC', damaged, 1000)
    const errors = decoded.frames.filter((f) => lifecycle(f) === 'error')
    // Reported twice: the skipped bytes, and libFLAC's missing frame (the frame numbers jump).
    expect(errors.map((f) => f.message.message)).toEqual(['Malformed audio', 'Malformed audio'])
    const details = errors.map((f) => f.message.details).join('\n')
    expect(details).toMatch(/bytes that are not FLAC frames \(skipped\)/)
    expect(details).toMatch(/MISSING_FRAME/)
    // One 4096-sample frame (0.256 s) is lost with the garbage inside it; the rest is there.
    expect(decoded.audio?.durationSeconds).toBeCloseTo(3.4 - 4096 / RATE, 3)
    expect(decoded.segments.length).toBe(2)
  })

  it('an upload ending in a short last frame keeps it: the exact duration', async () => {
    const r = await api(emu, tok, 'POST', '/v1/process/audio?name=short-last.flac', soxFlac())
    expect(r.status).toBe(201)
    expect(await waitJob(emu, tok, r.body.jobId)).toContain('completed')
    expect(emu.core.store.get(r.body.conversationId)?.audio[0]).toMatchObject({ format: 'flac', durationMethod: 'exact' })
    expect(emu.core.store.get(r.body.conversationId)?.audio[0]?.durationSeconds).toBeCloseTo(3.4, 6)
  })
})
