import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { AudioNotDeliveredError } from '../../../src/streaming/errors.js'
import type { StreamingConnection } from '../../../src/streaming/connection.js'
import type { MessageFrame, ReconnectedInfo } from '../../../src/streaming/types.js'
import { counterAudio, FakeServer, type StreamSocket } from './fake-server.js'
import { client, next, until } from './helpers.js'

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

/** A small deterministic PRNG so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const fast = { reconnect: { initialDelayMs: 1, maxDelayMs: 5 }, keepAlive: false as const }
const WORDS_PER_100MS = 800 // 16 kHz LINEAR16: 3200 bytes = 800 counter words per 100 ms

/** Sends `seconds` of counter audio in 100 ms chunks, faster than real time, yielding now and then so drops land mid-stream. */
async function stream(connection: StreamingConnection, seconds: number, yieldEvery = 5): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    await connection.sendAudio(counterAudio(i * WORDS_PER_100MS, WORDS_PER_100MS))
    if (i % yieldEvery === 0) await new Promise((r) => setImmediate(r))
  }
}

/** Like `stream`, from second `from`, pausing between chunks (a slower, live-like sender). */
async function stream2(connection: StreamingConnection, from: number, seconds: number): Promise<void> {
  for (let i = from * 10; i < (from + seconds) * 10; i++) {
    await connection.sendAudio(counterAudio(i * WORDS_PER_100MS, WORDS_PER_100MS))
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('reconnection that loses no audio', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
    'server drops the socket at random moments during a 60 s stream (seed %i): no gap, in order, same conversation',
    async (seed) => {
      const random = prng(seed)
      const kinds: Array<'terminate' | number> = ['terminate', 1011, 1001, 4000, 1012]
      let nextDropAt = 100_000 + random() * 300_000
      const drops: string[] = []
      server.behaviour.captionEveryBytes = 48_000
      server.behaviour.onAudio = (s: StreamSocket, conv) => {
        if (conv.audioBytes >= nextDropAt && drops.length < 8) {
          const how = kinds[Math.floor(random() * kinds.length)]
          drops.push(String(how))
          nextDropAt = conv.audioBytes + 60_000 + random() * 250_000
          server.drop(s, how)
        }
      }
      // Odd seeds: keep-alive on, so pongs acknowledge audio; even seeds: the wall-clock fallback.
      const keepAlive = seed % 2 ? { intervalMs: 60_000, timeoutMs: 60_000 } : (false as const)
      const connection = await client(server).streaming.startConnection({ ...fast, keepAlive, resendTailMs: seed % 3 ? 2000 : 100 })
      const captions: MessageFrame[] = []
      const reconnected: ReconnectedInfo[] = []
      connection.on('message', (f) => f.message.type === 'recognition_result' && captions.push(f))
      connection.on('reconnected', (info) => reconnected.push(info))
      await stream(connection, 60)
      const conversation = await connection.stop()

      const conv = server.conv(connection.connectionId)
      expect(drops.length).toBeGreaterThanOrEqual(3)
      expect(conv.sockets.length).toBe(drops.length + 1)
      expect(reconnected).toHaveLength(drops.length)
      expect(conv.check.problems).toEqual([])
      expect(conv.check.next).toBe(600 * WORDS_PER_100MS) // every word of the 60 s arrived
      expect(connection.stats().resentBytes).toBeGreaterThan(0)
      expect(conv.check.duplicates * 4).toBeLessThanOrEqual(connection.stats().resentBytes)
      expect(connection.stats().reconnects).toBe(drops.length)
      expect(connection.stats().replayedSeconds).toBeCloseTo(connection.stats().resentBytes / 32_000, 6)
      expect(connection.stats().sentSeconds).toBeCloseTo(60 + connection.stats().replayedSeconds, 6)
      // Every session restarted with start_request on the same id, and the conversation never changed.
      for (const s of conv.sockets) expect(s.startRequest?.type).toBe('start_request')
      expect(conversation).toBeInstanceOf(Conversation)
      expect(conversation.conversationId).toBe(conv.conversationId)
      // The time base: offset + the session's own time = the position in the whole stream.
      expect(captions.length).toBeGreaterThan(10)
      for (const c of captions) expect(Math.abs(c.audioOffsetMs + c.timeOffset! - (c.absoluteMs as number))).toBeLessThanOrEqual(1)
      const offsets = reconnected.map((r) => r.audioOffsetMs)
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
    },
  )

  it.each([
    ['pongs acknowledge audio (keep-alive on)', { intervalMs: 60_000, timeoutMs: 60_000 }, 16_000, 32_000 + 2 * 8192],
    ['wall-clock fallback (keep-alive off)', false, 16_000, 16_000 + 8192],
  ] as const)(
    're-sends a tail of at least resendTailMs and keeps audio given while the socket is down: %s',
    async (_name, keepAlive, min, max) => {
      const connection = await client(server).streaming.startConnection({
        ...fast,
        keepAlive,
        resendTailMs: 500,
        reconnect: { initialDelayMs: 30, maxDelayMs: 30 },
      })
      await stream(connection, 5)
      await connection.drain()
      await until(() => server.last.audioBytes === 5 * 32_000, 'first 5 s')
      await new Promise((r) => setTimeout(r, 600)) // older than the wall-clock window: only the audio rule keeps a tail
      const reconnecting = next(connection, 'reconnecting')
      server.drop(server.last, 1011)
      await reconnecting
      expect(connection.state).toBe('reconnecting')
      // Given while down: queued, then sent in order after the tail.
      for (let i = 50; i < 60; i++) await connection.sendAudio(counterAudio(i * WORDS_PER_100MS, WORDS_PER_100MS))
      const info = await next(connection, 'reconnected')
      await connection.stop()
      const check = server.conv(connection.connectionId).check
      expect(check.problems).toEqual([])
      expect(check.next).toBe(60 * WORDS_PER_100MS)
      // Frames are 8192-byte blocks here (128 ms each): the tail is rounded up to whole frames.
      expect(info.resentBytes).toBeGreaterThanOrEqual(min)
      expect(info.resentBytes).toBeLessThanOrEqual(max)
      expect(check.duplicates * 4).toBe(info.resentBytes)
      expect(info.audioOffsetMs).toBe(5000 - info.resentBytes / 32)
    },
  )

  it('a half-open socket (server reads nothing, answers nothing) loses no audio: unacknowledged audio is all re-sent', async () => {
    // 10x real time: the 300 ms the keep-alive needs to notice hold 3 s of audio, far more than the
    // 200 ms window and 200 ms of audio a time-based tail would keep.
    const connection = await client(server).streaming.startConnection({
      ...fast,
      keepAlive: { intervalMs: 100, timeoutMs: 300 },
      resendTailMs: 200,
    })
    await stream(connection, 2)
    await connection.drain()
    await until(() => server.last.audioBytes === 2 * 32_000, 'first 2 s')
    // From here the server silently discards everything, like a peer that vanished.
    server.last.dropped = true
    const reconnected = next(connection, 'reconnected')
    await stream2(connection, 2, 10)
    const info = await reconnected
    await connection.stop()
    const check = server.conv(connection.connectionId).check
    expect(check.problems).toEqual([])
    expect(check.next).toBe(12 * 10 * WORDS_PER_100MS)
    expect(info.resentBytes).toBeGreaterThanOrEqual(2 * 32_000)
  })

  it('fetches a fresh token for each attempt and invalidates one refused with 401', async () => {
    let n = 0
    const connection = await client(server, { accessToken: undefined, tokenProvider: () => `t-${++n}` }).streaming.startConnection(fast)
    server.badTokens.add('t-1')
    server.drop(server.last)
    await next(connection, 'reconnected')
    expect(server.handshakes.map((h) => [h.token, h.status])).toEqual([
      ['t-1', 101],
      ['t-1', 401],
      ['t-2', 101],
    ])
    await connection.stop()
  })

  it('backs off between attempts and goes on after refused handshakes', async () => {
    const connection = await client(server).streaming.startConnection(fast)
    const attempts: number[] = []
    connection.on('reconnecting', (i) => attempts.push(i.attempt))
    server.refuse.push(503, 502)
    server.drop(server.last, 1012)
    await next(connection, 'reconnected')
    expect(attempts).toEqual([1, 2, 3])
    expect(connection.stats().reconnects).toBe(1)
    await connection.stop()
  })

  it('gives up after maxAttempts: an error event with the undelivered audio, and stop() rejects', async () => {
    const connection = await client(server).streaming.startConnection({
      ...fast,
      reconnect: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 5 },
      resendTailMs: 0,
    })
    const errors: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    const closed = next(connection, 'close')
    await connection.sendAudio(new Uint8Array(3200))
    await connection.drain()
    server.refuse.push(503, 503, 503, 503)
    const reconnecting = next(connection, 'reconnecting')
    server.drop(server.last)
    await reconnecting
    const pending = connection.sendAudio(new Uint8Array(32_000)) // 1 s, never delivered
    await closed
    await expect(pending).resolves.toBeUndefined() // it was queued; the loss is reported by the error
    expect(errors).toHaveLength(1)
    const error = errors[0] as AudioNotDeliveredError
    expect(error).toBeInstanceOf(AudioNotDeliveredError)
    expect(error.message).toMatch(/3 reconnection attempts failed .*HTTP 503.*32000 bytes \(1000 ms\) of audio were not delivered/)
    expect(error.undeliveredBytes).toBe(32_000)
    expect(error.undeliveredMs).toBe(1000)
    expect(connection.state).toBe('closed')
    await expect(connection.stop()).rejects.toBe(error)
    await expect(connection.sendAudio(new Uint8Array(2))).rejects.toBe(error)
  })

  it('with reconnect: false a drop ends the connection and reports the tail as unconfirmed', async () => {
    const connection = await client(server).streaming.startConnection({ ...fast, reconnect: false })
    const error = next(connection, 'error')
    await connection.sendAudio(new Uint8Array(6400))
    await connection.drain()
    server.drop(server.last)
    const e = (await error) as AudioNotDeliveredError
    expect(e.message).toMatch(/reconnection is off/)
    expect(e.unconfirmedBytes).toBe(6400)
    expect(e.undeliveredBytes).toBe(0)
  })

  it.each(['error-wrapped', 'silent'] as const)(
    'a reconnection attempt whose socket opens but whose start fails (%s) is followed by the next attempt',
    async (start) => {
      const connection = await client(server).streaming.startConnection({ ...fast, startTimeoutMs: 200 })
      const attempts: number[] = []
      connection.on('reconnecting', ({ attempt }) => {
        attempts.push(attempt)
        // The first attempt's socket opens and its start fails; the second starts normally.
        server.behaviour.start = attempt === 1 ? start : 'normal'
      })
      // Whichever comes first: the connection must not close after the failed attempt.
      const outcome = Promise.race([next(connection, 'reconnected'), next(connection, 'close')])
      server.drop(server.last)
      expect(await outcome).toMatchObject({ attempt: 2 })
      expect(attempts).toEqual([1, 2])
      expect(connection.state).toBe('open')
      await expect(connection.stop()).resolves.toBeInstanceOf(Conversation)
    },
  )

  it('a close with 1000 that nobody asked for ends the connection without reconnecting', async () => {
    const connection = await client(server).streaming.startConnection(fast)
    const closed = next(connection, 'close')
    server.drop(server.last, 1000)
    expect(await closed).toMatchObject({ code: 1000 })
    expect(server.sockets).toHaveLength(1)
    expect(connection.state).toBe('closed')
  })

  it('stop() during a reconnection waits for it, flushes, and completes', async () => {
    const connection = await client(server).streaming.startConnection({ ...fast, reconnect: { initialDelayMs: 40, maxDelayMs: 40 } })
    await stream(connection, 2)
    const reconnecting = next(connection, 'reconnecting')
    server.drop(server.last)
    await reconnecting
    const done = connection.stop()
    expect(connection.state).toBe('reconnecting')
    await expect(done).resolves.toBeInstanceOf(Conversation)
    const check = server.conv(connection.connectionId).check
    expect(check.problems).toEqual([])
    expect(check.next).toBe(20 * WORDS_PER_100MS)
    expect(server.last.texts.at(-1)).toEqual({ type: 'stop_request' })
  })

  it('a drop after stop_request but before conversation_completed reconnects and sends stop again', async () => {
    let stops = 0
    server.behaviour.onText = (s, m) => {
      if (m.type === 'stop_request' && stops++ === 0) {
        server.drop(s)
        return true
      }
      return false
    }
    const connection = await client(server).streaming.startConnection(fast)
    await stream(connection, 1)
    await expect(connection.stop()).resolves.toBeInstanceOf(Conversation)
    expect(stops).toBe(2)
    expect(server.sockets).toHaveLength(2)
    expect(server.conv(connection.connectionId).check.next).toBe(10 * WORDS_PER_100MS)
  })
})
