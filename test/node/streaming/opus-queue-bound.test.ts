// On an Opus connection `maxQueueSeconds` is seconds of audio (each packet's own duration, from its
// TOC byte), not bytes sized as for 16-bit PCM (which held about 24 times more seconds of Opus at
// 32 kbit/s, 48 kHz): every onQueueFull policy with packets of 20, 60 and 120 ms while the socket is
// held, a modify between Opus and LINEAR16 with both in the queue, and the 0.12 s drop-oldest minimum.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { opusPacketMs } from '../../../src/audio/opus-packet.js'
import { ValidationError } from '../../../src/errors.js'
import { AudioNotDeliveredError, QueueFullError } from '../../../src/streaming/errors.js'
import type { AudioFormat } from '../../../src/streaming/frames.js'
import { MAX_FRAME, SendQueue } from '../../../src/streaming/send-queue.js'
import type { StreamingOptions } from '../../../src/streaming/types.js'
import { FakeServer } from './fake-server.js'
import { client, next, until, heldSocket } from './helpers.js'

/** TOC bytes (RFC 6716 3.1): config 31 CELT fullband 20 ms, code 0; config 3 SILK 60 ms, code 0; the same, code 1 (two frames: 120 ms). */
const TOC: Record<number, number> = { 20: 31 << 3, 60: 3 << 3, 120: (3 << 3) | 1 }

/** A packet lasting `ms` whose payload (40 bytes, even for code 1) starts with `index`, so the server can tell packets apart. */
function packet(index: number, ms: number): Uint8Array {
  const p = new Uint8Array(41)
  p[0] = TOC[ms]
  new DataView(p.buffer).setUint32(1, index)
  return p
}
const indexOf = (frame: Uint8Array): number => new DataView(frame.buffer, frame.byteOffset).getUint32(1)

/** A client socket that looks congested while `hold.on` is set, so the queue keeps what is given to it. */
const hold = heldSocket()

let server: FakeServer
/** What the server received, in order: a packet's index (or `pcm:<bytes>`), or a text frame's type. */
let received: Array<number | string>
beforeEach(async () => {
  hold.on = false
  received = []
  server = await FakeServer.start({ checkCounter: false })
  server.behaviour.onAudio = (_s, _c, frame) => received.push(frame.length === 41 ? indexOf(frame) : `pcm:${frame.length}`)
  server.behaviour.onText = (_s, m) => {
    if (m.type === 'modify_request') received.push(`modify:${(m.speechRecognition as AudioFormat).encoding}`)
    return false
  }
})
afterEach(async () => {
  await server.close()
})

const OPUS_48K = { encoding: 'OPUS' as const, sampleRateHertz: 48000 }
const start = (extra: StreamingOptions) =>
  client(server, { WebSocket: hold.Socket }).streaming.startConnection({
    config: { speechRecognition: OPUS_48K },
    keepAlive: false,
    maxQueueSeconds: 1,
    ...extra,
  })
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

describe('an Opus send queue is bounded in seconds of audio', () => {
  it.each([20, 60, 120])(
    'drop-oldest with %i ms packets keeps the newest whole packets within 1 s and counts the dropped ms',
    async (ms) => {
      expect(opusPacketMs(packet(7, ms), MAX_FRAME)).toBe(ms) // the test packet lasts what it says (TOC byte, RFC 6716)
      const connection = await start({ onQueueFull: 'drop-oldest' })
      hold.on = true
      const total = 3000 / ms // 3 s of audio
      const kept = Math.floor(1000 / ms) // 50, 16, 8 packets
      for (let i = 0; i < total; i++) {
        await connection.sendAudio(packet(i, ms))
        expect(connection.bufferedSeconds).toBeLessThanOrEqual(1)
      }
      expect(connection.bufferedSeconds).toBe((kept * ms) / 1000)
      const stats = connection.stats()
      expect(stats.droppedSeconds).toBeCloseTo(((total - kept) * ms) / 1000, 9)
      expect(stats.droppedBytes).toBe((total - kept) * 41)
      expect(stats.maxQueuedBytes).toBe(kept * 41)
      hold.on = false
      await connection.stop()
      expect(received).toEqual(range(total - kept, total))
    },
  )

  it.each([20, 60, 120])('error with %i ms packets rejects with a QueueFullError in seconds once 1 s is queued', async (ms) => {
    const connection = await start({ onQueueFull: 'error' })
    hold.on = true
    const fit = Math.floor(1000 / ms)
    let accepted = 0
    let error: unknown
    for (let i = 0; i < 100 && !error; i++)
      await connection.sendAudio(packet(i, ms)).then(
        () => accepted++,
        (e: unknown) => (error = e),
      )
    expect(accepted).toBe(fit)
    expect(error).toBeInstanceOf(QueueFullError)
    const queued = (fit * ms) / 1000 // 1 s, or 0.96 s of 60 or 120 ms packets
    expect((error as Error).message).toBe(
      `The send queue is full (${queued} s of audio queued, bound 1 s from maxQueueSeconds); wait for connection.drain() or raise maxQueueSeconds`,
    )
    expect(connection.bufferedSeconds).toBe(queued)
    hold.on = false
    await connection.stop()
    expect(received).toEqual(range(0, fit))
  })

  it.each([20, 60, 120])('wait with %i ms packets resolves a sendAudio only once its packet fits in 1 s, in order', async (ms) => {
    const connection = await start({ onQueueFull: 'wait' })
    hold.on = true
    const total = 3000 / ms
    const fit = Math.floor(1000 / ms)
    const resolved: number[] = []
    const sends = range(0, total).map((i) => connection.sendAudio(packet(i, ms)).then(() => resolved.push(i)))
    // The pump looks at the held socket every 2 ms meanwhile: nothing more may get in.
    await new Promise((r) => setTimeout(r, 50))
    expect(resolved).toEqual(range(0, fit))
    expect(connection.bufferedSeconds).toBeCloseTo(3, 9) // queued and waiting
    expect(connection.stats().maxQueuedBytes).toBe(fit * 41)
    hold.on = false
    await Promise.all(sends)
    expect(resolved).toEqual(range(0, total))
    await connection.stop()
    expect(received).toEqual(range(0, total))
    expect(connection.stats().droppedBytes).toBe(0)
  })

  it('wait admits a waiting packet when its own duration fits, never out of order (SendQueue)', async () => {
    const OPUS: AudioFormat = OPUS_48K
    const q = new SendQueue(Number.POSITIVE_INFINITY, 'wait', 100)
    const done: number[] = []
    const offer = (i: number, ms: number) => q.offer(packet(i, ms), OPUS, ms).then(() => done.push(i))
    const all = [offer(0, 60), offer(1, 20), offer(2, 60), offer(3, 20)]
    await Promise.resolve()
    expect(done).toEqual([0, 1]) // 80 ms queued; 2 (60 ms) waits, and 3 (20 ms, which would fit) behind it
    expect(q.queuedMs()).toBe(160)
    expect(q.shift()!.ms).toBe(60) // 20 ms queued: 2 fits (80), then 3 (100)
    q.admit()
    await Promise.all(all)
    expect(done).toEqual([0, 1, 2, 3])
    expect(q.queuedMs()).toBe(100)
    q.shift()
    expect(q.queuedMs()).toBe(80)
  })
})

describe('a modify between Opus and LINEAR16 with both in the queue', () => {
  it('counts each format by its own time: Opus packets by their duration, PCM by its bytes, each bound applied to all', async () => {
    const connection = await start({ onQueueFull: 'drop-oldest' })
    hold.on = true
    // 2 s of 20 ms packets under the 1 s Opus bound: the newest 50 stay.
    for (let i = 0; i < 100; i++) await connection.sendAudio(packet(i, 20))
    expect(connection.bufferedSeconds).toBe(1)
    const toPcm = connection.modify({ encoding: 'LINEAR16', sampleRateHertz: 16000 })
    // 0.5 s of PCM on top: under the PCM bound (32 000 bytes), with the 2050 bytes of Opus, so nothing drops.
    await connection.sendAudio(new Uint8Array(16_000))
    expect(connection.bufferedSeconds).toBe(1.5)
    expect(connection.stats().droppedSeconds).toBe(1)
    // 1 s more: the oldest go first, all the Opus packets (1 s), then whole PCM frames until within 32 000 bytes.
    for (let i = 0; i < 10; i++) await connection.sendAudio(new Uint8Array(3200))
    expect(connection.stats().maxQueuedBytes).toBeLessThanOrEqual(32_000)
    expect(connection.bufferedSeconds).toBeLessThanOrEqual(1)
    expect(connection.bufferedSeconds).toBeGreaterThan(1 - MAX_FRAME / 32_000)
    expect(connection.stats().droppedBytes).toBe(100 * 41 + 48_000 - connection.bufferedSeconds * 32_000)
    expect(connection.stats().droppedSeconds + connection.bufferedSeconds).toBe(3.5)
    // Back to Opus (the PCM still queued counts by its time against the 1 s bound): 1 s of packets push all the PCM out.
    const toOpus = connection.modify(OPUS_48K)
    for (let i = 100; i < 150; i++) await connection.sendAudio(packet(i, 20))
    expect(connection.bufferedSeconds).toBe(1)
    const stats = connection.stats()
    expect(stats.droppedSeconds).toBe(3.5) // 2 s of Opus and 1.5 s of PCM given, of which...
    expect(stats.droppedSeconds + stats.bufferedSeconds).toBe(4.5) // ...everything is dropped or buffered
    expect(stats.droppedBytes).toBe(100 * 41 + 48_000)
    hold.on = false
    await Promise.all([toPcm, toOpus])
    await connection.stop()
    expect(received).toEqual(['modify:LINEAR16', 'modify:OPUS', ...range(100, 150)])
  })

  it('a PCM waiter under an Opus bound takes the room in time, cut in whole samples', async () => {
    const q = new SendQueue(Number.POSITIVE_INFINITY, 'wait', 100)
    const pcm: AudioFormat = { encoding: 'LINEAR16', sampleRateHertz: 16000 }
    await q.offer(packet(0, 60), OPUS_48K, 60)
    const waiting = q.offer(new Uint8Array(3200), pcm) // 100 ms of PCM: 40 ms fit now (1280 bytes)
    await Promise.resolve()
    expect(q.queuedMs()).toBe(160)
    expect(q.bytes).toBe(41 + 1280)
    q.shift()
    q.admit()
    await waiting
    expect(q.bytes).toBe(3200)
    expect(q.queuedMs()).toBe(100)
  })
})

describe('drop-oldest on Opus needs room for the longest packet (120 ms)', () => {
  it('refuses maxQueueSeconds under 0.12 naming the minimum, and 0.12 keeps the newest 120 ms packet', async () => {
    const error = await start({ onQueueFull: 'drop-oldest', maxQueueSeconds: 0.11 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toBe(
      "startConnection: maxQueueSeconds must be at least 0.12 with onQueueFull 'drop-oldest' and OPUS, so that the queue holds one whole Opus packet (up to 120 ms, RFC 6716; packets cannot be cut), got 0.11",
    )
    expect(server.handshakes).toEqual([])
    // At 16 kHz too (the old byte rule wanted 0.256 s there).
    const connection = await start({
      onQueueFull: 'drop-oldest',
      maxQueueSeconds: 0.12,
      config: { speechRecognition: { encoding: 'OPUS', sampleRateHertz: 16000 } },
    })
    hold.on = true
    for (let i = 0; i < 3; i++) await connection.sendAudio(packet(i, 120))
    expect(connection.bufferedSeconds).toBe(0.12)
    expect(connection.stats().droppedSeconds).toBe(0.24)
    hold.on = false
    await connection.stop()
    await until(() => received.length > 0, 'the packet at the server')
    expect(received).toEqual([2])
  })
})

describe('an Opus connection reports lost audio in its own time', () => {
  it('gives up reconnecting: undeliveredMs and unconfirmedMs are the packets’ durations, not their bytes read as PCM', async () => {
    // Delays long enough that every packet below is queued before the last attempt fails.
    const connection = await start({
      reconnect: { maxAttempts: 2, initialDelayMs: 100, maxDelayMs: 100 },
      resendTailMs: 200,
      maxQueueSeconds: 5,
    })
    const errors: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    const closed = next(connection, 'close')
    for (let i = 0; i < 10; i++) await connection.sendAudio(packet(i, 20)) // 200 ms sent: the resend tail
    await connection.drain()
    server.refuse.push(503, 503, 503)
    const reconnecting = next(connection, 'reconnecting')
    server.drop(server.last)
    await reconnecting
    for (let i = 10; i < 25; i++) await connection.sendAudio(packet(i, 60)) // 900 ms never delivered
    await closed
    const error = errors[0] as AudioNotDeliveredError
    expect(error).toBeInstanceOf(AudioNotDeliveredError)
    expect(error.undeliveredBytes).toBe(15 * 41)
    // Before: 615 bytes over 48 kHz 16-bit PCM's 96 000 bytes/s, 6.4 ms.
    expect(error.undeliveredMs).toBeCloseTo(900, 6)
    expect(error.unconfirmedBytes).toBe(10 * 41)
    expect(error.unconfirmedMs).toBeCloseTo(200, 6)
  })
})
