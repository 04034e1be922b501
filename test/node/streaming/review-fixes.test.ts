// Start deadline over the token, drain() after a close, modify() across a reconnect, and the exact
// drop-oldest bound.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConnectionError, TimeoutError, ValidationError } from '../../../src/errors.js'
import { AudioNotDeliveredError } from '../../../src/streaming/errors.js'
import type { AudioFormat } from '../../../src/streaming/frames.js'
import { MAX_FRAME, SendQueue } from '../../../src/streaming/send-queue.js'
import { counterAudio, FakeServer } from './fake-server.js'
import { client, next, until, heldSocket } from './helpers.js'

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

/** How `promise` stands after `ms`: 'resolved', 'rejected: <name>: <message>' or 'pending'. */
function outcome(promise: Promise<unknown>, ms = 300): Promise<string> {
  return Promise.race([
    promise.then(
      () => 'resolved',
      (e: Error) => `rejected: ${e?.name}: ${e?.message}`,
    ),
    new Promise<string>((r) => setTimeout(() => r('pending'), ms)),
  ])
}

/** A client socket that looks congested while `hold.on` is set, so the queue keeps what is given to it. */
const hold = heldSocket()
beforeEach(() => {
  hold.on = false
})

const PCM: AudioFormat = { encoding: 'LINEAR16', sampleRateHertz: 16000 }

describe('startTimeoutMs covers the token', () => {
  it('a tokenProvider that never answers fails the start with a TimeoutError', async () => {
    const symbl = client(server, { accessToken: undefined, tokenProvider: () => new Promise<string>(() => {}) })
    const started = symbl.streaming.startConnection({ startTimeoutMs: 100 })
    const result = await outcome(started, 2000)
    expect(result).toMatch(
      /^rejected: TimeoutError: The streaming conversation did not start within 100 ms \(startTimeoutMs\): still waiting for a token from the tokenProvider/,
    )
    await expect(started).rejects.toBeInstanceOf(TimeoutError)
    expect(server.handshakes).toEqual([])
  })

  it('a reconnect whose token never comes fails that attempt instead of hanging, and the connection gives up', async () => {
    let calls = 0
    const symbl = client(server, { accessToken: undefined, tokenProvider: () => (calls++ ? new Promise<string>(() => {}) : 'token-1') })
    const connection = await symbl.streaming.startConnection({
      startTimeoutMs: 100,
      keepAlive: false,
      reconnect: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    })
    const reasons: string[] = []
    connection.on('reconnecting', (info) => reasons.push(info.reason))
    const errors: Error[] = []
    connection.on('error', (e) => errors.push(e))
    const closed = next(connection, 'close')
    symbl.tokens.invalidate('token-1')
    server.drop(server.last, 1011)
    expect(await outcome(closed, 3000)).toBe('resolved')
    expect(reasons[1]).toMatch(/still waiting for a token/)
    expect(errors.at(-1)!.message).toMatch(/2 reconnection attempts failed \(last: .*still waiting for a token/)
    expect(server.handshakes).toHaveLength(1)
  })
})

describe('drain() after a close', () => {
  it('settles after a clean close while a modify_request is still queued: it resolves, no audio being left', async () => {
    const connection = await client(server, { WebSocket: hold.Socket }).streaming.startConnection({ keepAlive: false })
    hold.on = true
    const modified = connection.modify({ sampleRateHertz: 8000 }).catch((e: unknown) => e)
    const early = connection.drain()
    const closed = next(connection, 'close')
    server.drop(server.last, 1000) // the server ends the conversation normally
    await closed
    expect(await outcome(early)).toBe('resolved')
    expect(await outcome(connection.drain())).toBe('resolved')
    expect(await modified).toBeInstanceOf(ConnectionError)
    expect(server.last.texts.some((t) => t.type === 'modify_request')).toBe(false)
  })

  it('rejects with the failure when audio is left unsent, and resolves after close() discarded it on purpose', async () => {
    const a = await client(server, { WebSocket: hold.Socket }).streaming.startConnection({ keepAlive: false, reconnect: false })
    hold.on = true
    void a.sendAudio(new Uint8Array(3200))
    const early = a.drain()
    const closed = next(a, 'close')
    server.drop(server.last)
    await closed
    expect(await outcome(early)).toMatch(/^rejected: AudioNotDeliveredError: .*3200 bytes \(100 ms\) of audio were not delivered/)
    await expect(a.drain()).rejects.toBeInstanceOf(AudioNotDeliveredError)

    const b = await client(server, { WebSocket: hold.Socket }).streaming.startConnection({ keepAlive: false })
    void b.sendAudio(new Uint8Array(3200))
    const before = b.drain()
    b.close()
    expect(await outcome(before)).toBe('resolved')
    expect(await outcome(b.drain())).toBe('resolved')
  })
})

describe('modify() across a reconnect', () => {
  it('resolves once the reconnected session starts with the new format when the answer was lost with the socket', async () => {
    server.behaviour.checkCounter = false
    // The first socket swallows the modify_request: its session_modified never comes.
    server.behaviour.onText = (s, m) => m.type === 'modify_request' && s === server.sockets[0]
    const connection = await client(server).streaming.startConnection({
      keepAlive: false,
      resendTailMs: 0,
      stopTimeoutMs: 2000,
      reconnect: { initialDelayMs: 1, maxDelayMs: 1 },
    })
    const modified = connection.modify({ sampleRateHertz: 8000 })
    await until(() => server.sockets[0].texts.some((t) => t.type === 'modify_request'), 'the modify_request')
    const reconnected = next(connection, 'reconnected')
    server.drop(server.sockets[0], 1011)
    await reconnected
    const start = server.last.startRequest as { config: { speechRecognition: unknown } }
    expect(start.config.speechRecognition).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 8000 })
    // Already settled when `reconnected` is emitted, long before stopTimeoutMs.
    expect(await outcome(modified, 50)).toBe('resolved')
    expect(server.last.texts.filter((t) => t.type === 'modify_request')).toEqual([])
    expect(connection.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 8000 })
    await connection.stop()
  })

  it('a modify_request in the resend tail is sent again and answered by the new session', async () => {
    server.behaviour.checkCounter = false
    let answered = 0
    server.behaviour.onText = (s, m) => {
      if (m.type !== 'modify_request') return false
      if (s === server.sockets[0]) return true // lost with the socket
      // The new session refuses the first (resent) one and accepts the second.
      if (answered++) return false
      server.send(s, { type: 'error', message: 'modify refused' })
      return true
    }
    const connection = await client(server).streaming.startConnection({
      keepAlive: false,
      resendTailMs: 5000,
      stopTimeoutMs: 2000,
      reconnect: { initialDelayMs: 1, maxDelayMs: 1 },
    })
    const modified = connection.modify({ sampleRateHertz: 8000 })
    const later = connection.modify({ sampleRateHertz: 16000 })
    await until(() => server.sockets[0].texts.filter((t) => t.type === 'modify_request').length === 2, 'the modify_requests')
    const reconnected = next(connection, 'reconnected')
    server.drop(server.sockets[0], 1011)
    await reconnected
    // The tail starts with the first modify_request: the new session starts in the format before it.
    expect((server.last.startRequest as { config: { speechRecognition: unknown } }).config.speechRecognition).toEqual(PCM)
    // Answered by the new session, not taken as carried over by its start_request.
    expect(await outcome(modified, 1000)).toMatch(/^rejected: ConnectionError: .*modify refused/)
    expect(await outcome(later, 1000)).toBe('resolved')
    expect(server.last.texts.filter((t) => t.type === 'modify_request')).toHaveLength(2)
    await connection.stop()
  })
})

describe('drop-oldest bound smaller than one frame', () => {
  it('SendQueue keeps raw PCM exactly within the bound, dropping the oldest whole samples of the newest frame', async () => {
    const q = new SendQueue(1001, 'drop-oldest')
    await q.offer(counterAudio(0, 750), PCM) // 3000 bytes in one frame
    expect(q.bytes).toBe(1000) // whole 16-bit samples
    expect(q.droppedBytes).toBe(2000)
    const item = q.peek()!
    expect(Buffer.from((item.data as Uint8Array).subarray(0, item.len))).toEqual(counterAudio(500, 250))
    expect(item.startMs).toBe(2000 / 32)
    // More PCM is appended to the same frame and trimmed again.
    await q.offer(counterAudio(750, 100), PCM)
    expect(q.bytes).toBe(1000)
    expect(q.droppedBytes + q.bytes).toBe(3400)
    expect(Buffer.from((q.peek()!.data as Uint8Array).subarray(0, q.peek()!.len))).toEqual(counterAudio(600, 250))
    expect(q.maxBytes).toBeLessThanOrEqual(1001)
    // A bound under one sample keeps nothing rather than an empty frame.
    const tiny = new SendQueue(1, 'drop-oldest')
    await tiny.offer(new Uint8Array(10), PCM)
    expect([tiny.bytes, tiny.length, tiny.droppedBytes]).toEqual([0, 0, 10])
  })

  it('a connection never queues more than maxQueueSeconds, even below one 8192-byte frame', async () => {
    server.behaviour.checkCounter = false
    const connection = await client(server, { WebSocket: hold.Socket }).streaming.startConnection({
      onQueueFull: 'drop-oldest',
      maxQueueSeconds: 0.1,
      keepAlive: false,
    })
    hold.on = true
    for (let i = 0; i < 20; i++) await connection.sendAudio(counterAudio(i * 2048, 2048)) // 8192 bytes each
    const bound = 0.1 * 32_000
    expect(connection.stats().maxQueuedBytes).toBeLessThanOrEqual(bound)
    expect(connection.bufferedSeconds).toBeLessThanOrEqual(0.1)
    hold.on = false
    await connection.stop()
    expect(server.last.audioBytes).toBe(bound)
    expect(server.last.audioBytes + connection.stats().droppedBytes).toBe(20 * 8192)
  })

  it('refuses, with a compressed encoding, a drop-oldest bound under one frame, naming the minimum', async () => {
    const symbl = client(server)
    const opus = { config: { speechRecognition: { encoding: 'OPUS' as const, sampleRateHertz: 16000 } } }
    const error = await symbl.streaming
      .startConnection({ ...opus, onQueueFull: 'drop-oldest', maxQueueSeconds: 0.1 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(
      /maxQueueSeconds must be at least 0\.12 with onQueueFull 'drop-oldest' and OPUS, .*one whole Opus packet \(up to 120 ms.*got 0\.1/,
    )
    expect(server.handshakes).toEqual([])
    // Other policies, and a bound of one frame, are fine.
    await (await symbl.streaming.startConnection({ ...opus, onQueueFull: 'wait', maxQueueSeconds: 0.1 })).stop()
    const ok = await symbl.streaming.startConnection({ onQueueFull: 'drop-oldest', maxQueueSeconds: 0.3 })
    await expect(ok.modify({ encoding: 'FLAC', sampleRateHertz: 8000 })).rejects.toThrow(
      /modify: maxQueueSeconds must be at least 0\.512 .*FLAC at 8000 Hz/,
    )
    expect(ok.format).toEqual(PCM)
    await ok.modify({ encoding: 'FLAC', sampleRateHertz: 16000 }) // 9600 bytes >= MAX_FRAME
    expect(MAX_FRAME).toBe(8192)
    await ok.stop()
  })
})
