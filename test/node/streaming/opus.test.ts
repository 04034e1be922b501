// Opus on a streaming connection without a browser (issue 14): packets the app encodes itself (a
// telephony bridge, a Node service) go through sendAudio one per binary message, checked against
// RFC 6716, queued and re-sent whole across reconnects; the packet parser; the queue and the
// resend tail counting packet durations rather than bytes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { opusPacketMs } from '../../../src/audio/opus-packet.js'
import { ConfigError, ValidationError } from '../../../src/errors.js'
import type { AudioFormat } from '../../../src/streaming/frames.js'
import { ResendTail } from '../../../src/streaming/resend-tail.js'
import { MAX_FRAME, SendQueue } from '../../../src/streaming/send-queue.js'
import type { ReconnectedInfo } from '../../../src/streaming/types.js'
import { FakeServer } from './fake-server.js'
import { client, next } from './helpers.js'

const OPUS: AudioFormat = { encoding: 'OPUS', sampleRateHertz: 48000 }
/** TOC bytes: config 31 is CELT fullband 20 ms, config 1 SILK narrowband 20 ms, config 3 SILK 60 ms, config 16 CELT 2.5 ms. */
const CELT_20 = 31 << 3
const SILK_20 = 1 << 3
const SILK_60 = 3 << 3
const CELT_2_5 = 16 << 3

/** A code 0 packet (one 20 ms frame) of `size` bytes whose payload carries `index`, so the server can tell packets apart. */
function packet(index: number, size = 40 + (index % 60)): Uint8Array {
  const p = new Uint8Array(size)
  p[0] = CELT_20
  new DataView(p.buffer).setUint32(1, index)
  for (let i = 5; i < size; i++) p[i] = (index + i) & 0xff
  return p
}

describe('opusPacketMs (RFC 6716 section 3)', () => {
  it('reads the duration from the TOC byte and the frame count', () => {
    expect(opusPacketMs(Uint8Array.of(CELT_20, 1, 2, 3), MAX_FRAME)).toBe(20)
    expect(opusPacketMs(Uint8Array.of(SILK_60), MAX_FRAME)).toBe(60) // a DTX frame of 0 bytes
    expect(opusPacketMs(Uint8Array.of(CELT_2_5, 9), MAX_FRAME)).toBe(2.5)
    expect(opusPacketMs(Uint8Array.of(SILK_20 | 1, 1, 2, 3, 4), MAX_FRAME)).toBe(40) // code 1: two equal frames
    expect(opusPacketMs(Uint8Array.of(SILK_20 | 2, 2, 9, 9, 7, 7, 7), MAX_FRAME)).toBe(40) // code 2: 2 + 3 bytes
    expect(opusPacketMs(Uint8Array.of(CELT_20 | 3, 3, 1, 1, 1), MAX_FRAME)).toBe(60) // code 3 CBR, 3 frames of 1 byte
    expect(opusPacketMs(Uint8Array.of(CELT_20 | 3, 0x80 | 2, 1, 7, 7, 7), MAX_FRAME)).toBe(40) // VBR: 1 + 3 bytes
    expect(opusPacketMs(Uint8Array.of(CELT_20 | 3, 0x40 | 2, 2, 5, 5, 0, 0), MAX_FRAME)).toBe(40) // padding of 2
    expect(opusPacketMs(new Uint8Array(1276).fill(CELT_20, 0, 1), MAX_FRAME)).toBe(20) // a 1275-byte frame
  })

  it.each([
    ['empty', new Uint8Array(0), /empty \(R1/],
    ['a frame over 1275 bytes', new Uint8Array(1277).fill(CELT_20, 0, 1), /over 1275 \(R2\)/],
    ['a code 1 packet with an odd payload', Uint8Array.of(SILK_20 | 1, 1, 2, 3), /odd payload \(R3\)/],
    ['a code 2 first length past the end', Uint8Array.of(SILK_20 | 2, 9, 1), /runs past its end \(R4\)/],
    ['a code 3 packet without its count byte', Uint8Array.of(CELT_20 | 3), /no frame count byte/],
    ['a code 3 packet of zero frames', Uint8Array.of(CELT_20 | 3, 0), /zero frames \(R5\)/],
    ['a code 3 packet over 120 ms', Uint8Array.of(SILK_60 | 3, 3, 0, 0, 0), /180 ms, over 120 ms \(R5\)/],
    [
      'a CBR payload that does not split evenly',
      Uint8Array.of(CELT_20 | 3, 2, 1, 2, 3),
      /do not split into 2 equal frames of at most 1275 bytes \(R6\)/,
    ],
    ['VBR lengths past the end', Uint8Array.of(CELT_20 | 3, 0x80 | 3, 200, 1), /frame lengths do not fit in it \(R7\)/],
    ['padding longer than the packet', Uint8Array.of(CELT_20 | 3, 0x40 | 1, 50, 1), /padding is longer/],
  ])('refuses %s with a ValidationError that says why', (_name, bytes, why) => {
    let error: unknown
    try {
      opusPacketMs(bytes, MAX_FRAME)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(/one raw Opus packet per call \(RFC 6716, no Ogg container\)/)
    expect((error as Error).message).toMatch(why)
  })

  it('refuses a packet over the message limit, which would otherwise be split', () => {
    const big = new Uint8Array(2000).fill(CELT_20 | 1, 0, 1) // code 1: two frames of 999.5 → make it even
    expect(() => opusPacketMs(big.subarray(0, 1999), 1000)).toThrow(/over 1000 bytes, the most one WebSocket message may carry/)
  })

  it('refuses an Ogg page (what format "ogg" would give) instead of sending garbage', () => {
    const ogg = new TextEncoder().encode(`OggS\0\x02${'\0'.repeat(40)}`)
    expect(() => opusPacketMs(ogg, MAX_FRAME)).toThrow(ValidationError)
  })
})

describe('the send queue and resend tail with packets', () => {
  it('queues each packet whole, never merged or split, its time from its duration', async () => {
    const q = new SendQueue(1e6, 'wait')
    for (let i = 0; i < 5; i++) await q.offer(packet(i, 100 + i), OPUS, 20)
    await q.offer(Uint8Array.of(SILK_60), OPUS, 60)
    expect(q.positionMs).toBe(160)
    expect(q.queuedMs()).toBe(160)
    const items = []
    for (let item = q.shift(); item; item = q.shift()) items.push(item)
    expect(items.map((i) => [i.len, i.startMs, i.ms])).toEqual([
      [100, 0, 20],
      [101, 20, 20],
      [102, 40, 20],
      [103, 60, 20],
      [104, 80, 20],
      [1, 100, 60],
    ])
  })

  it('a full queue (wait) admits packets whole, in order, with their durations', async () => {
    const q = new SendQueue(250, 'wait')
    const done: number[] = []
    const all = [0, 1, 2, 3].map((i) => q.offer(packet(i, 100), OPUS, 20).then(() => done.push(i)))
    await Promise.resolve()
    expect(q.bytes).toBe(200)
    expect(q.queuedMs()).toBe(80) // two queued, two waiting
    const lens: number[] = []
    while (q.length) {
      lens.push(q.shift()!.len)
      q.admit()
    }
    await Promise.all(all)
    expect(done).toEqual([0, 1, 2, 3])
    expect(lens).toEqual([100, 100, 100, 100])
    expect(q.positionMs).toBe(80)
  })

  it('the resend tail keeps whole packets and counts their time, not their bytes', () => {
    const tail = new ResendTail(100, 1e6, false)
    const q = new SendQueue(1e6, 'wait')
    for (let i = 0; i < 20; i++) void q.offer(packet(i, 50), OPUS, 20)
    // Sent long ago (sentAt 1): the time rule keeps only the last 100 ms of audio.
    for (let item = q.shift(); item; item = q.shift()) tail.add({ ...item, sentAt: 1 }, 10_000)
    const kept = tail.take(10_000)
    // At least 100 ms of audio: 5 packets of 20 ms (by bytes at the PCM estimate, 250 bytes would be 2.6 ms).
    expect(kept.map((i) => new DataView((i.data as Uint8Array).buffer).getUint32(1))).toEqual([15, 16, 17, 18, 19])
    expect(kept.every((i) => i.len === 50)).toBe(true)
  })
})

describe('an Opus connection on Node (app-encoded packets)', () => {
  let server: FakeServer
  beforeEach(async () => {
    server = await FakeServer.start({ checkCounter: false })
  })
  afterEach(async () => {
    await server.close()
  })

  const opusStart = (extra: Record<string, unknown> = {}) => ({
    config: { speechRecognition: { encoding: 'OPUS' as const, sampleRateHertz: 48000 } },
    keepAlive: false as const,
    ...extra,
  })

  it('never falls back: OPUS declared, each sendAudio one binary message with the same bytes', async () => {
    const frames: Buffer[] = []
    server.behaviour.onAudio = (_s, _c, frame) => frames.push(Buffer.from(frame))
    const connection = await client(server).streaming.startConnection(opusStart())
    expect(connection.encoding).toBe('OPUS')
    const packets = Array.from({ length: 50 }, (_, i) => packet(i))
    for (const p of packets) await connection.sendAudio(p)
    expect(connection.bufferedSeconds).toBeLessThanOrEqual(1)
    await connection.stop()
    expect((server.last.startRequest as any).config.speechRecognition).toEqual({ encoding: 'OPUS', sampleRateHertz: 48000 })
    expect(frames.map((f) => f.length)).toEqual(packets.map((p) => p.length))
    expect(frames.every((f, i) => f.equals(packets[i]))).toBe(true)
  })

  it('refuses a bad packet with a ValidationError and goes on with the next', async () => {
    const connection = await client(server).streaming.startConnection(opusStart())
    await expect(connection.sendAudio(new Uint8Array(0))).rejects.toThrow(/empty \(R1/)
    await expect(connection.sendAudio(new Uint8Array(9000).fill(CELT_20, 0, 1))).rejects.toThrow(ValidationError)
    // PCM samples sent by mistake (a zero Float32Array parses as a valid SILK packet): refused by type.
    for (const samples of [new Float32Array(3), new Float64Array(3), new Int16Array(320), new Int32Array(3)])
      await expect(connection.sendAudio(samples)).rejects.toThrow(/takes one raw Opus packet as bytes/)
    await connection.sendAudio(packet(1))
    await connection.stop()
    expect(server.last.frameSizes).toEqual([packet(1).length])
  })

  it("opus.encoder 'browser' outside a browser is a ConfigError before any socket; bad opus options are ValidationErrors", async () => {
    const symbl = client(server)
    const error = await symbl.streaming.startConnection(opusStart({ opus: { encoder: 'browser' } })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(/opus.encoder 'app'/)
    for (const [opus, why] of [
      [{ bitrate: 100 }, /opus.bitrate.*6000 to 510000/],
      [{ encoder: 'wasm' }, /opus.encoder.*'browser' or 'app'/],
      ['fast', /opus.*an object/],
    ] as const) {
      await expect(symbl.streaming.startConnection(opusStart({ opus }))).rejects.toThrow(why)
    }
    await expect(
      symbl.streaming.startConnection({ config: { speechRecognition: { encoding: 'OPUS', sampleRateHertz: 44100 } } }),
    ).rejects.toThrow(/sampleRateHertz.*for OPUS one of 16000, 24000, 48000/)
    expect(server.handshakes).toEqual([])
  })

  it('a server frame of type "fallback" is reported as malformed, never emitted as the SDK\'s fallback event', async () => {
    const connection = await client(server).streaming.startConnection(opusStart())
    const errors: Error[] = []
    const fallbacks: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    connection.on('fallback', (f) => fallbacks.push(f))
    server.send(server.last, { type: 'fallback', reason: 'from the server' })
    server.send(server.last, { type: 'message_response', messages: [] })
    await next(connection, 'message_response')
    expect(fallbacks).toEqual([])
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/a frame of type "fallback", the name of an SDK event/)])
    expect(connection.encoding).toBe('OPUS')
    await connection.stop()
  })

  it('modify() cannot switch a LINEAR16 connection to Opus (its packet check is not loaded), and says so', async () => {
    const connection = await client(server).streaming.startConnection({ keepAlive: false })
    await expect(connection.modify({ encoding: 'OPUS', sampleRateHertz: 48000 })).rejects.toThrow(
      /modify\(\) cannot switch to Opus: start the connection with encoding OPUS/,
    )
    await connection.stop()
  })

  it('a forced reconnect re-sends whole packets: every frame the server got is one packet, none missing, in order', async () => {
    const frames: Buffer[] = []
    let dropped = false
    server.behaviour.onAudio = (socket, conv, frame) => {
      frames.push(Buffer.from(frame))
      if (!dropped && conv.audioBytes > 6000) {
        dropped = true
        server.drop(socket, 'terminate')
      }
    }
    const connection = await client(server).streaming.startConnection(
      opusStart({ reconnect: { initialDelayMs: 1, maxDelayMs: 5 }, resendTailMs: 200 }),
    )
    const reconnected = next(connection, 'reconnected')
    const total = 250 // 5 s of 20 ms packets
    for (let i = 0; i < total; i++) {
      await connection.sendAudio(packet(i))
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1))
    }
    const info: ReconnectedInfo = await reconnected
    await connection.stop()
    const indexes = frames.map((f) => {
      const index = f.readUInt32BE(1)
      expect(f.equals(packet(index))).toBe(true) // whole: never a piece of a packet, never two
      return index
    })
    expect(new Set(indexes).size).toBe(total)
    // In order, except the replayed tail, which starts again at an earlier packet.
    const back = indexes.findIndex((v, i) => i > 0 && v <= indexes[i - 1])
    expect(back).toBeGreaterThan(0)
    expect(indexes.slice(back).every((v, i, a) => i === 0 || v === a[i - 1] + 1)).toBe(true)
    expect(indexes[back - 1] - indexes[back] + 1).toBeGreaterThanOrEqual(10) // at least the 200 ms tail (10 packets)
    // The tail is whole packets from where the replay starts (some of them the drop lost, so heard once).
    let bytes = 0
    let i = indexes[back]
    while (bytes < info.resentBytes) bytes += packet(i++).length
    expect(bytes).toBe(info.resentBytes)
    expect(i - 1).toBeGreaterThanOrEqual(indexes[back - 1])
  })
})
