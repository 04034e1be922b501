// Opus streams (contract 6, start_request encoding OPUS): raw Opus packets, one per binary message,
// are decoded (opus-decoder) so the stream gets the same speech segments and timing as the same
// audio sent as LINEAR16, keeps its time base across a reconnect, and reports malformed packets.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { connect, lifecycle, pcm, token, type Client } from './helpers.js'
import { opusPackets } from './opus-encode.js'

let emu: RunningEmulator
let tok: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0 })
  tok = await token(emu)
})
afterAll(() => emu.close())

const RATE = 48000
// Two bursts of tone between silences; every part a whole number of 20 ms frames.
const AUDIO = pcm(RATE, [
  [0.4, 0],
  [1.0, 0.3],
  [0.8, 0],
  [0.6, 0.2],
  [0.6, 0],
])
const FRAME = 0.02
/** One 20 ms frame, and float noise. */
const WITHIN = FRAME + 1e-9

const start = (encoding: string, sampleRateHertz = RATE) => ({
  type: 'start_request',
  config: { speechRecognition: { encoding, sampleRateHertz } },
  speaker: { userId: 'jane@example.com', name: 'Jane' },
})

interface Timing {
  segments: Array<{ offset: number; duration: number }>
  durationSeconds: number
  conversationId: string
}

/** Sends `messages` on a new stream, stops at once, and reads the messages' times and the stream's duration. */
async function run(id: string, encoding: string, messages: Uint8Array[], rate = RATE): Promise<Timing & { client: Client }> {
  const c = await connect(`${emu.wsUrl}/v1/streaming/${id}?access_token=${tok}`)
  c.send(start(encoding, rate))
  for (const m of messages) c.ws.send(m)
  c.send({ type: 'stop_request' })
  expect((await c.closed).code).toBe(1000)
  return { ...timing(c), client: c }
}

/** The stream's messages (from the store: exact times, not the views' two decimals) and its duration. */
function timing(c: Client): Timing {
  const conversationId = c.frames.find((f) => lifecycle(f) === 'conversation_created').message.data.conversationId
  const conversation = emu.core.store.get(conversationId)
  if (!conversation) throw new Error(`conversation ${conversationId} not stored`)
  const ids = new Set(c.frames.filter((f) => f.type === 'message_response').map((f) => f.messages[0].id))
  const segments = conversation.messages
    .filter((m) => ids.has(m.id))
    .map((m) => ({ offset: (m.startMs - conversation.startMs) / 1000, duration: (m.endMs - m.startMs) / 1000 }))
  return { segments, durationSeconds: conversation.audio[0]?.durationSeconds ?? Number.NaN, conversationId }
}

function linear16(samples: Int16Array): Uint8Array[] {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += 8192) out.push(bytes.subarray(i, i + 8192))
  return out
}

function expectSameTiming(actual: Timing, expected: Timing): void {
  expect(actual.segments.length).toBe(expected.segments.length)
  actual.segments.forEach((s, i) => {
    expect(Math.abs(s.offset - expected.segments[i].offset), `segment ${i} start`).toBeLessThanOrEqual(WITHIN)
    const end = s.offset + s.duration
    expect(Math.abs(end - (expected.segments[i].offset + expected.segments[i].duration)), `segment ${i} end`).toBeLessThanOrEqual(WITHIN)
  })
  expect(Math.abs(actual.durationSeconds - expected.durationSeconds)).toBeLessThanOrEqual(WITHIN)
}

describe('OPUS streams', () => {
  it('decodes raw packets: the same segments and duration as the audio sent as LINEAR16, within one frame', async () => {
    const reference = await run('opus-ref-1', 'LINEAR16', linear16(AUDIO))
    expect(reference.segments.length).toBe(2)
    expect(reference.durationSeconds).toBeCloseTo(3.4, 5)
    const packets = opusPackets(AUDIO)
    expect(packets.length).toBe(170)
    // Sent all at once and stopped at once: the decoder is still loading (first use), yet every
    // packet is decoded before the final frames.
    const opus = await run('opus-1', 'OPUS', packets)
    expectSameTiming(opus, reference)
    expect(opus.durationSeconds).toBeCloseTo(170 * FRAME, 5)
    expect(emu.core.store.get(opus.conversationId)?.audio[0]).toMatchObject({ format: 'opus', durationMethod: 'exact', channels: 1 })
    expect(opus.client.frames.some((f) => lifecycle(f) === 'error')).toBe(false)
    // Interim results come from the decoded audio too (speech start), before the final one.
    const interim = opus.client.frames.findIndex((f) => lifecycle(f) === 'recognition_result' && !f.message.isFinal)
    const final = opus.client.frames.findIndex((f) => lifecycle(f) === 'recognition_result' && f.message.isFinal)
    expect(interim).toBeGreaterThan(-1)
    expect(interim).toBeLessThan(final)
  })

  it('decodes 16 and 24 kHz Opus declared at those rates with the same timing', async () => {
    const reference = await run('opus-ref-2', 'LINEAR16', linear16(AUDIO))
    for (const rate of [16000, 24000] as const) {
      const resampled = pcm(rate, [
        [0.4, 0],
        [1.0, 0.3],
        [0.8, 0],
        [0.6, 0.2],
        [0.6, 0],
      ])
      expectSameTiming(await run(`opus-rate-${rate}`, 'OPUS', opusPackets(resampled, rate, 24000), rate), reference)
    }
  })

  it('keeps the time base across a reconnect: the second burst lands where it does uninterrupted', async () => {
    const reference = await run('opus-ref-3', 'LINEAR16', linear16(AUDIO))
    const packets = opusPackets(AUDIO)
    const cut = 100 // 2.0 s: inside the silence between the bursts
    const a = await connect(`${emu.wsUrl}/v1/streaming/opus-reconnect-1?access_token=${tok}`)
    a.send(start('OPUS'))
    for (const p of packets.slice(0, cut)) a.ws.send(p)
    await a.next((f) => f.type === 'message_response', 'first segment')
    a.ws.terminate() // dropped without stop_request: the stream waits for a reconnect
    const b = await connect(`${emu.wsUrl}/v1/streaming/opus-reconnect-1?access_token=${tok}`)
    b.send(start('OPUS'))
    for (const p of packets.slice(cut)) b.ws.send(p)
    b.send({ type: 'stop_request' })
    expect((await b.closed).code).toBe(1000)
    const first = timing(a)
    const second = timing(b)
    expect(second.conversationId).toBe(first.conversationId)
    // b sees the second segment (and a saw the first): together they are the uninterrupted stream.
    expectSameTiming({ ...second, segments: [...first.segments, ...second.segments] }, reference)
  })

  it('a modify_request from OPUS to LINEAR16 mid-stream keeps order and time: PCM waits for the packets before it', async () => {
    const reference = await run('opus-ref-5', 'LINEAR16', linear16(AUDIO))
    const packets = opusPackets(AUDIO)
    const cut = 100 // 2.0 s as Opus, the rest as LINEAR16
    const c = await connect(`${emu.wsUrl}/v1/streaming/opus-modify-1?access_token=${tok}`)
    c.send(start('OPUS'))
    for (const p of packets.slice(0, cut)) c.ws.send(p)
    // At once, while the Opus decoder may still be loading.
    c.send({ type: 'modify_request', speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: RATE } })
    for (const m of linear16(AUDIO.subarray(cut * 960))) c.ws.send(m)
    c.send({ type: 'stop_request' })
    expect((await c.closed).code).toBe(1000)
    expect(c.frames.some((f) => lifecycle(f) === 'session_modified')).toBe(true)
    expectSameTiming(timing(c), reference)
  })

  it('counts and reports malformed packets in error frames, skips them, and goes on decoding', async () => {
    const reference = await run('opus-ref-4', 'LINEAR16', linear16(AUDIO))
    const packets = opusPackets(AUDIO)
    const bad = [
      new Uint8Array(0), // R1: empty
      new Uint8Array([0xff, 0xff, 1, 2]), // code 3 with 63 frames of 20 ms (R5)
      new TextEncoder().encode('OggS\0\x02 not a packet but an Ogg page'),
      new Uint8Array([0x01, 0x02, 0x03, 0x04]), // code 1: two frames in 3 bytes (R3)
    ]
    const mixed = [...packets.slice(0, 30), ...bad, ...packets.slice(30)]
    const opus = await run('opus-bad-1', 'OPUS', mixed)
    const errors = opus.client.frames.filter((f) => lifecycle(f) === 'error')
    // Reported for the 1st, 2nd and 4th malformed packet (powers of two: a broken sender cannot flood the socket).
    expect(errors.map((f) => f.message.message)).toEqual(['Malformed audio', 'Malformed audio', 'Malformed audio'])
    expect(errors[0].message.details).toMatch(/^Binary message 31 is not a valid Opus packet: empty packet \(RFC 6716 R1/)
    expect(errors[0].message.details).toMatch(/1 malformed so far/)
    expect(errors[1].message.details).toMatch(/message 32 .*R5/)
    expect(errors[2].message.details).toMatch(/message 34 .*R3.* 4 malformed so far/)
    expect(emu.core.liveStreams.get('opus-bad-1')).toBeUndefined()
    // Skipped packets add no time: the timing is the valid packets'.
    expectSameTiming(opus, reference)
  })

  it('names the container when a client sends Ogg pages or WebM instead of raw packets', async () => {
    const c = await connect(`${emu.wsUrl}/v1/streaming/opus-container-1?access_token=${tok}`)
    c.send(start('OPUS'))
    c.ws.send(new TextEncoder().encode('OggS\0\x02\0\0\0\0\0\0\0\0'))
    const error = await c.next((f) => lifecycle(f) === 'error', 'error frame')
    expect(error.message.details).toMatch(/looks like an Ogg page: encoding OPUS takes raw Opus packets, one per binary message/)
    c.send({ type: 'stop_request' })
    await c.closed
  })
})
