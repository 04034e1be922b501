import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { ConnectionError, TimeoutError, ValidationError } from '../../../src/errors.js'
import { StreamingConnection } from '../../../src/streaming/connection.js'
import { MalformedFrameError, QueueFullError } from '../../../src/streaming/errors.js'
import type { MessageFrame } from '../../../src/streaming/types.js'
import { counterAudio, FakeServer } from './fake-server.js'
import { client, next, tick, until } from './helpers.js'

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

describe('startConnection', () => {
  it('opens the legacy path with the token header, sends start_request once open, and resolves with the conversation id', async () => {
    const symbl = client(server)
    const connection = await symbl.streaming.startConnection({
      id: 'conn-123456',
      insightTypes: ['question', 'action_item'],
      speaker: { userId: 'jane@example.com', name: 'Jane' },
      config: { meetingTitle: 'Standup', confidenceThreshold: 0.6, sentiment: true },
      trackers: [{ name: 'Price', vocabulary: ['cost', 'price'] }],
      customVocabulary: ['acme'],
      noConnectionTimeout: 120,
    })
    expect(connection).toBeInstanceOf(StreamingConnection)
    expect(connection.connectionId).toBe('conn-123456')
    expect(connection.conversationId).toBe(server.conv('conn-123456').conversationId)
    expect(connection.conversation).toBeInstanceOf(Conversation)
    expect(connection.conversation!.conversationId).toBe(connection.conversationId)
    expect(connection.state).toBe('open')
    expect(server.handshakes).toEqual([{ path: '/v1/realtime/insights/conn-123456', token: 'token-1', status: 101 }])
    expect(server.last.via).toBe('header')
    expect(server.last.texts[0]).toEqual({
      type: 'start_request',
      insightTypes: ['question', 'action_item'],
      customVocabulary: ['acme'],
      config: {
        meetingTitle: 'Standup',
        confidenceThreshold: 0.6,
        sentiment: true,
        speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 },
      },
      speaker: { userId: 'jane@example.com', name: 'Jane' },
      trackers: [{ name: 'Price', vocabulary: ['cost', 'price'] }],
      noConnectionTimeout: 120,
    })
    await connection.stop()
  })

  it('generates a valid id (a UUID) when none is given, and a new one per connection', async () => {
    const symbl = client(server)
    const a = await symbl.streaming.startConnection()
    const b = await symbl.streaming.startConnection()
    expect(a.connectionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.connectionId).not.toBe(b.connectionId)
    await Promise.all([a.stop(), b.stop()])
  })

  it.each([
    [{ id: 'short' }, /id must be 6 to 64/],
    [{ id: 'has space in it' }, /id must be/],
    [{ config: { speechRecognition: { encoding: 'MP3' } } }, /encoding must be one of/],
    [{ config: { speechRecognition: { sampleRateHertz: 44100.5 } } }, /sampleRateHertz/],
    [{ config: { confidenceThreshold: 2 } }, /confidenceThreshold/],
    [{ config: { confidenceThreshold: -0.5 } }, /confidenceThreshold must be a number from 0 to 1/],
    [{ insightTypes: 'question' }, /insightTypes must be an array of strings/],
    [{ trackers: [{ name: 'x' }] }, /trackers must be an array/],
    [{ noConnectionTimeout: 5000 }, /noConnectionTimeout/],
    [{ onQueueFull: 'block' }, /onQueueFull/],
    [{ maxQueueSeconds: 0 }, /maxQueueSeconds/],
    [{ reconnect: { maxAttempts: -1 } }, /reconnect.maxAttempts/],
    [{ keepAlive: { intervalMs: 0 } }, /keepAlive.intervalMs/],
  ])('refuses bad options before connecting: %j', async (options, message) => {
    const symbl = client(server)
    const error = await symbl.streaming.startConnection(options as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
    expect(server.handshakes).toHaveLength(0)
  })

  it('rejects with an auth ConnectionError when the handshake is refused with 401, after one retry with a fresh token', async () => {
    let n = 0
    const symbl = client(server, { accessToken: undefined, tokenProvider: () => `bad-${++n}` })
    server.badTokens.add('bad-1').add('bad-2')
    const error = await symbl.streaming.startConnection({ reconnect: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).message).toMatch(/HTTP 401: the token was not accepted/)
    expect((error as ConnectionError).details).toEqual({ status: 401 })
    expect((error as Error).message).not.toContain('bad-')
    expect(server.handshakes.map((h) => h.token)).toEqual(['bad-1', 'bad-2'])
  })

  it('succeeds when only the first token was refused', async () => {
    let n = 0
    const symbl = client(server, { accessToken: undefined, tokenProvider: () => `t-${++n}` })
    server.badTokens.add('t-1')
    const connection = await symbl.streaming.startConnection()
    expect(server.handshakes.map((h) => [h.token, h.status])).toEqual([
      ['t-1', 401],
      ['t-2', 101],
    ])
    await connection.stop()
  })

  it('rejects when the handshake is refused with another status', async () => {
    server.refuse.push(503)
    const error = await client(server)
      .streaming.startConnection()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as Error).message).toMatch(/refused the WebSocket handshake with HTTP 503/)
  })

  it('rejects when nothing listens at the address', async () => {
    const port = server.port
    await server.close()
    const symbl = client(server)
    server.port = port
    const error = await symbl.streaming.startConnection().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as Error).message).toMatch(/Could not open the streaming socket \(.*ECONNREFUSED/)
    server = await FakeServer.start()
  })

  it.each(['error-top', 'error-wrapped'] as const)('rejects with the server message on an error frame (%s)', async (start) => {
    server.behaviour.start = start
    const error = await client(server)
      .streaming.startConnection()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as Error).message).toMatch(/The streaming server reported an error: Invalid start_request/)
    await until(() => server.last.ws.readyState === 3, 'socket closed')
  })

  it('rejects with a TimeoutError when the server never starts the conversation', async () => {
    server.behaviour.start = 'silent'
    const error = await client(server)
      .streaming.startConnection({ startTimeoutMs: 50 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toMatch(/did not start the conversation within 50 ms/)
  })

  it('waits for recognition_started: conversation_created alone is not a start', async () => {
    server.behaviour.start = 'created-only'
    const error = await client(server)
      .streaming.startConnection({ startTimeoutMs: 50 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
  })

  it('rejects when the server closes the socket before starting', async () => {
    server.behaviour.start = 'close-4001'
    const error = await client(server)
      .streaming.startConnection()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).closeCode).toBe(4001)
    expect((error as Error).message).toMatch(/closed the socket \(code 4001: not allowed\) before starting/)
  })

  it('honours an abort signal during the start', async () => {
    server.behaviour.start = 'silent'
    const controller = new AbortController()
    const pending = client(server).streaming.startConnection({ signal: controller.signal })
    await until(() => server.sockets.length === 1 && server.last.startRequest !== undefined, 'start_request')
    controller.abort(new Error('user gave up'))
    await expect(pending).rejects.toThrow('user gave up')
  })
})

describe('events', () => {
  it('delivers every event type with the wire names, typed, to many listeners, and subscribe works as in Python', async () => {
    const connection = await client(server).streaming.startConnection()
    const seen: string[] = []
    const frames = {
      message_response: { type: 'message_response', messages: [{ id: 'm1', payload: { content: 'Hello world.' } }], sequenceNumber: 0 },
      insight_response: { type: 'insight_response', insights: [{ type: 'question', payload: { content: 'Why?' } }] },
      topic_response: { type: 'topic_response', topics: [{ phrases: 'auto insurance' }] },
      tracker_response: { type: 'tracker_response', isFinal: true, trackers: [{ name: 'Price', matches: [] }] },
      entity_response: { type: 'entity_response', entities: [{ type: 'person' }] },
    }
    connection.subscribe({
      message: (f) => seen.push(`message:${f.message.type}`),
      message_response: (f) => seen.push(`message_response:${f.messages[0].payload.content}`),
      insight_response: (f) => seen.push(`insight_response:${f.insights[0].type}`),
      topic_response: (f) => seen.push(`topic_response:${f.topics[0].phrases}`),
      tracker_response: (f) => seen.push(`tracker_response:${f.trackers[0].name}`),
      entity_response: (f) => seen.push(`entity_response:${String(f.entities[0].type)}`),
    })
    const second: string[] = []
    connection.on('message_response', (f) => second.push(f.type))
    const once: string[] = []
    connection.once('message', (f) => once.push(f.message.type))
    await tick()
    for (const frame of Object.values(frames)) server.send(server.last, frame)
    server.send(server.last, {
      type: 'message',
      message: { type: 'recognition_result', isFinal: false, punctuated: { transcript: 'Hel' } },
    })
    server.send(server.last, {
      type: 'message',
      message: { type: 'recognition_result', isFinal: true, punctuated: { transcript: 'Hello.' } },
    })
    await until(() => seen.includes('message:recognition_result') && seen.length >= 10, 'events')
    expect(seen).toEqual([
      // The lifecycle frames came before the listener and were replayed to it.
      'message:conversation_created',
      'message:started_listening',
      'message:recognition_started',
      'message_response:Hello world.',
      'insight_response:question',
      'topic_response:auto insurance',
      'tracker_response:Price',
      'entity_response:person',
      'message:recognition_result',
      'message:recognition_result',
    ])
    expect(second).toEqual(['message_response'])
    expect(once).toEqual(['conversation_created'])
    await connection.stop()
  })

  it('emits open (seen through the events option), close and nothing after off()', async () => {
    const log: string[] = []
    const connection = await client(server).streaming.startConnection({
      events: { open: () => log.push('open'), close: (c) => log.push(`close:${c.code}`) },
    })
    const listener = vi.fn()
    connection.on('message', listener)
    connection.off('message', listener)
    await connection.stop()
    expect(log).toEqual(['open', 'close:1000'])
    expect(listener).not.toHaveBeenCalled()
  })

  it('keeps captions that arrive before anyone listens and replays them, in order, to the first listener', async () => {
    const connection = await client(server).streaming.startConnection()
    for (let i = 0; i < 3; i++)
      server.send(server.last, {
        type: 'message',
        message: { type: 'recognition_result', isFinal: i === 2, punctuated: { transcript: `w${i}` } },
      })
    await until(() => server.last.texts.length >= 1)
    await new Promise((r) => setTimeout(r, 30))
    const texts: string[] = []
    connection.on('message', (f: MessageFrame) => texts.push(f.message.punctuated?.transcript ?? f.message.type))
    await tick()
    expect(texts).toEqual(['conversation_created', 'started_listening', 'recognition_started', 'w0', 'w1', 'w2'])
    await connection.stop()
  })

  it('survives malformed frames (invalid JSON, no type, binary, bad message) with typed errors, and unknown types go to their own name', async () => {
    const connection = await client(server).streaming.startConnection()
    const errors: unknown[] = []
    const unknown: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    ;(connection as unknown as { on(e: string, f: (x: unknown) => void): void }).on('future_response', (f) => unknown.push(f))
    server.send(server.last, '{not json')
    server.send(server.last, '[1,2]')
    server.send(server.last, Buffer.from([1, 2, 3]))
    server.send(server.last, { type: 'message', message: 'oops' })
    server.send(server.last, { type: 'future_response', x: 1 })
    server.send(server.last, { type: 'message_response', messages: [] })
    const got = next(connection, 'message_response')
    await got
    expect(errors).toHaveLength(4)
    for (const e of errors) expect(e).toBeInstanceOf(MalformedFrameError)
    expect((errors[0] as MalformedFrameError).raw).toBe('{not json')
    expect((errors[2] as Error).message).toMatch(/binary frame of 3 bytes/)
    expect(unknown).toEqual([{ type: 'future_response', x: 1, audioOffsetMs: 0 }])
    expect(connection.state).toBe('open')
    await connection.stop()
  })

  it('does not throw when nobody listens to error', async () => {
    const connection = await client(server).streaming.startConnection()
    server.send(server.last, 'garbage')
    server.send(server.last, { type: 'error', message: 'boom' })
    server.send(server.last, { type: 'message', message: { type: 'error', message: 'wrapped boom', details: 'more' } })
    await new Promise((r) => setTimeout(r, 30))
    const errors: Error[] = []
    connection.on('error', (e) => errors.push(e))
    await tick()
    expect(errors.map((e) => e.constructor.name)).toEqual(['MalformedFrameError', 'ConnectionError', 'ConnectionError'])
    expect(errors[1].message).toBe('The streaming server reported an error: boom')
    expect(errors[2].message).toBe('The streaming server reported an error: wrapped boom (more)')
    expect(connection.state).toBe('open')
    await connection.stop()
  })
})

describe('audio', () => {
  it('sends ArrayBuffer, typed arrays and Buffer as binary frames of at most 8192 bytes, in order', async () => {
    const connection = await client(server).streaming.startConnection()
    const audio = counterAudio(0, 10_000) // 40 000 bytes
    await connection.sendAudio(audio.subarray(0, 10_000)) // Buffer
    await connection.sendAudio(new Int16Array(audio.buffer.slice(audio.byteOffset + 10_000, audio.byteOffset + 20_000)))
    await connection.sendAudio(new Uint8Array(audio.subarray(20_000, 30_000)).buffer) // ArrayBuffer
    await connection.sendAudio(new DataView(audio.buffer, audio.byteOffset + 30_000, 10_000))
    await connection.drain()
    await until(() => server.last.audioBytes === 40_000, 'all audio')
    expect(Math.max(...server.last.frameSizes)).toBeLessThanOrEqual(8192)
    expect(server.conv(connection.connectionId).check.problems).toEqual([])
    expect(server.conv(connection.connectionId).check.next).toBe(10_000)
    expect(server.last.audioBeforeStart).toBe(0)
    await connection.stop()
  })

  it('refuses what is not audio, float samples for LINEAR16, and a transferred (detached) buffer', async () => {
    const connection = await client(server).streaming.startConnection()
    await expect(connection.sendAudio('abc' as never)).rejects.toThrow(ValidationError)
    await expect(connection.sendAudio(null as never)).rejects.toThrow(/got null/)
    await expect(connection.sendAudio(new Float32Array(4))).rejects.toThrow(/float samples/)
    // A buffer transferred to a worker (detached): a ValidationError, not a bare TypeError.
    const moved = new Int16Array(4)
    structuredClone(moved.buffer, { transfer: [moved.buffer] })
    await expect(connection.sendAudio(moved)).rejects.toThrow(/transferred \(detached\)/)
    const gone = new ArrayBuffer(8)
    structuredClone(gone, { transfer: [gone] })
    await expect(connection.sendAudio(gone)).rejects.toThrow(ValidationError)
    await connection.stop()
    await expect(connection.sendAudio(new Uint8Array(2))).rejects.toThrow(/after stop\(\)/)
  })

  // Loopback sockets buffer several MB in the kernel, so these push tens of MB into a server that stopped reading.
  it('respects backpressure: the queue stays within its bound and awaiting sendAudio paces the sender (wait policy)', async () => {
    const connection = await client(server).streaming.startConnection({ maxQueueSeconds: 0.5, highWaterMark: 16 * 1024 })
    const bound = 0.5 * 32_000
    const chunks = 400
    server.last.ws.pause()
    let sent = 0
    const sender = (async () => {
      for (let i = 0; i < chunks; i++) {
        await connection.sendAudio(counterAudio(i * 16_000, 16_000))
        sent++
      }
    })()
    await until(() => connection.bufferedSeconds >= 0.5, 'a full queue')
    const stalledAt = sent
    await new Promise((r) => setTimeout(r, 30))
    expect(sent).toBe(stalledAt)
    expect(sent).toBeLessThan(chunks)
    expect(connection.stats().maxQueuedBytes).toBeLessThanOrEqual(bound)
    server.last.ws.resume()
    await sender
    await connection.drain()
    await until(() => server.last.audioBytes === chunks * 64_000, 'all audio')
    expect(connection.stats().maxQueuedBytes).toBeLessThanOrEqual(bound)
    const check = server.conv(connection.connectionId).check
    expect(check.problems).toEqual([])
    expect(check.next).toBe(chunks * 16_000)
    await connection.stop()
  })

  it('drop-oldest never waits and counts what it dropped; error rejects with QueueFullError', async () => {
    server.behaviour.checkCounter = false
    const symbl = client(server)
    const chunk = new Uint8Array(64_000)
    const a = await symbl.streaming.startConnection({ maxQueueSeconds: 0.25, highWaterMark: 65_536, onQueueFull: 'drop-oldest' })
    server.sockets[0].ws.pause()
    for (let i = 0; i < 400; i++) await a.sendAudio(chunk)
    expect(a.stats().droppedBytes).toBeGreaterThan(0)
    expect(a.stats().maxQueuedBytes).toBeLessThanOrEqual(0.25 * 32_000 + 64_000)
    expect(a.bufferedSeconds).toBeLessThanOrEqual(0.25)
    server.sockets[0].ws.resume()
    await a.stop()
    expect(server.sockets[0].audioBytes + a.stats().droppedBytes).toBe(400 * 64_000)

    const b = await symbl.streaming.startConnection({ maxQueueSeconds: 0.25, highWaterMark: 65_536, onQueueFull: 'error' })
    server.last.ws.pause()
    let error: unknown
    for (let i = 0; i < 400 && !error; i++) await b.sendAudio(chunk).catch((e: unknown) => (error = e))
    expect(error).toBeInstanceOf(QueueFullError)
    expect((error as Error).message).toMatch(/send queue is full/)
    server.last.ws.resume()
    await b.stop()
  })

  it('modify sends modify_request in order with the audio and resolves on session_modified', async () => {
    const connection = await client(server).streaming.startConnection()
    void connection.sendAudio(new Uint8Array(100))
    await connection.modify({ sampleRateHertz: 8000 })
    void connection.sendAudio(new Uint8Array(50))
    await connection.drain()
    expect(connection.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 8000 })
    const texts = server.last.texts
    expect(texts[1]).toEqual({ type: 'modify_request', speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 8000 } })
    await until(() => server.last.audioBytes === 150)
    expect(server.last.frameSizes).toEqual([100, 50])
    await expect(connection.modify({ sampleRateHertz: 1 })).rejects.toThrow(ValidationError)
    await connection.stop()
  })

  it('modify times out when the server never confirms', async () => {
    server.behaviour.onText = (_s, m) => m.type === 'modify_request'
    const connection = await client(server).streaming.startConnection({ stopTimeoutMs: 50 })
    await expect(connection.modify({ encoding: 'MULAW', sampleRateHertz: 8000 })).rejects.toThrow(TimeoutError)
    server.behaviour.onText = undefined
    await connection.stop()
  })
})

describe('stop', () => {
  it.each(['completed-first', 'stopped-first'] as const)(
    'sends a JSON stop_request after the audio and resolves with the Conversation (%s)',
    async (order) => {
      server.behaviour.stop = order
      const connection = await client(server).streaming.startConnection()
      const messages: string[] = []
      connection.on('message', (f) => messages.push(f.message.type))
      const closed = next(connection, 'close')
      void connection.sendAudio(counterAudio(0, 4000))
      const conversation = await connection.stop()
      expect(conversation).toBeInstanceOf(Conversation)
      expect(conversation.conversationId).toBe(connection.conversationId)
      expect(server.last.texts.at(-1)).toEqual({ type: 'stop_request' })
      expect(server.last.audioBytes).toBe(16_000)
      expect(await closed).toEqual({ code: 1000, reason: 'stopped' })
      expect(messages).toContain('conversation_completed')
      expect(connection.state).toBe('closed')
      expect(connection.stop()).toBe(connection.stop())
    },
  )

  it('resolves when the server closes with 1000 without conversation_completed', async () => {
    server.behaviour.stop = 'close-only'
    const connection = await client(server).streaming.startConnection()
    await expect(connection.stop()).resolves.toBeInstanceOf(Conversation)
  })

  it('closes itself when the server completes but keeps the socket open (disconnectOnStopRequest: false)', async () => {
    server.behaviour.closeAfterStop = false
    const connection = await client(server).streaming.startConnection({ disconnectOnStopRequest: false })
    await connection.stop()
    await until(() => server.last.ws.readyState === 3, 'socket closed by the client')
    expect(server.last.startRequest).toMatchObject({ disconnectOnStopRequest: false })
  })

  it('rejects with a TimeoutError when the server never completes, and closes', async () => {
    server.behaviour.stop = 'silent'
    server.behaviour.closeAfterStop = false
    const connection = await client(server).streaming.startConnection({ stopTimeoutMs: 60 })
    const errors: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    await expect(connection.stop()).rejects.toThrow(/stop\(\) timed out after 60 ms/)
    expect(connection.state).toBe('closed')
    await until(() => server.last.ws.readyState === 3, 'socket closed')
    expect(errors[0]).toBeInstanceOf(TimeoutError)
  })

  it('close() ends at once without stop_request', async () => {
    const connection = await client(server).streaming.startConnection()
    connection.close()
    await until(() => server.last.ws.readyState === 3, 'socket closed')
    expect(server.last.texts.map((t) => t.type)).toEqual(['start_request'])
    await expect(connection.stop()).rejects.toThrow(/closed by the app/)
  })
})

describe('keep-alive', () => {
  it('pings, and a server that stops answering is dropped with 3006 and the connection reconnects', async () => {
    const connection = await client(server).streaming.startConnection({
      keepAlive: { intervalMs: 20, timeoutMs: 40 },
      reconnect: { initialDelayMs: 1 },
    })
    await until(() => server.last.pings >= 2, 'pings')
    expect(server.sockets).toHaveLength(1)
    server.behaviour.pong = false
    const reconnecting = next(connection, 'reconnecting')
    expect(await reconnecting).toMatchObject({ attempt: 1, closeCode: 3006 })
    server.behaviour.pong = true
    await next(connection, 'reconnected')
    expect(server.sockets).toHaveLength(2)
    expect(server.sockets[1].connectionId).toBe(connection.connectionId)
    await connection.stop()
  })
})

describe('review fixes', () => {
  it('a server frame named like an SDK event (close, open, reconnecting, reconnected) is reported, not emitted as that event', async () => {
    const connection = await client(server).streaming.startConnection()
    const errors: Error[] = []
    const lifecycle: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    for (const name of ['close', 'open', 'reconnecting', 'reconnected'] as const)
      connection.on(name, (info?: unknown) => lifecycle.push([name, info]))
    for (const type of ['close', 'open', 'reconnecting', 'reconnected']) server.send(server.last, { type, code: 4000 })
    server.send(server.last, { type: 'message_response', messages: [] })
    await next(connection, 'message_response')
    expect(lifecycle).toEqual([['open', undefined]]) // the socket's own open, replayed
    expect(errors).toHaveLength(4)
    for (const e of errors) expect(e).toBeInstanceOf(MalformedFrameError)
    expect(errors[0].message).toMatch(/a frame of type "close", the name of an SDK event/)
    expect(connection.state).toBe('open')
    await connection.stop()
    expect(lifecycle).toEqual([
      ['open', undefined],
      ['close', { code: 1000, reason: 'stopped' }],
    ])
  })

  it('known result frames without the list their typed event promises are reported, not emitted', async () => {
    const connection = await client(server).streaming.startConnection()
    const errors: Error[] = []
    const emitted: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    for (const name of ['message_response', 'insight_response', 'topic_response', 'tracker_response', 'entity_response'] as const) {
      connection.on(name, (f: unknown) => emitted.push(f))
    }
    server.send(server.last, { type: 'message_response' })
    server.send(server.last, { type: 'message_response', messages: [null] })
    server.send(server.last, { type: 'insight_response', insights: 'none' })
    server.send(server.last, { type: 'topic_response', topics: {} })
    server.send(server.last, { type: 'tracker_response', isFinal: true })
    server.send(server.last, { type: 'entity_response', entities: [1] })
    server.send(server.last, { type: 'message' })
    server.send(server.last, { type: 'topic_response', topics: [{ phrases: 'ok' }] })
    await until(() => emitted.length === 1, 'the valid frame')
    expect(emitted).toEqual([{ type: 'topic_response', topics: [{ phrases: 'ok' }], audioOffsetMs: 0 }])
    expect(errors.map((e) => e.constructor.name)).toEqual(Array(7).fill('MalformedFrameError'))
    expect(errors[0].message).toMatch(/a message_response frame without a `messages` array/)
    expect((errors[0] as MalformedFrameError).raw).toBe('{"type":"message_response"}')
    expect(connection.state).toBe('open')
    await connection.stop()
  })

  it('drop-oldest stays within its bound while a modify_request waits at the head of the queue', async () => {
    server.behaviour.checkCounter = false
    const connection = await client(server).streaming.startConnection({
      onQueueFull: 'drop-oldest',
      maxQueueSeconds: 1,
      resendTailMs: 0,
      keepAlive: false,
      reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    })
    const reconnecting = next(connection, 'reconnecting')
    server.drop(server.last, 1011)
    await reconnecting
    // Socket down: the modify_request waits in the queue, ahead of all audio given after it.
    const modified = connection.modify({ sampleRateHertz: 8000 }).catch((e: unknown) => e)
    for (let i = 0; i < 100; i++) await connection.sendAudio(new Uint8Array(3200))
    const bound = 16_000 // 1 s at 8 kHz
    expect(connection.stats().maxQueuedBytes).toBeLessThanOrEqual(bound)
    expect(connection.bufferedSeconds).toBeLessThanOrEqual(1)
    expect(connection.stats().droppedBytes + connection.bufferedSeconds * 16_000).toBe(100 * 3200)
    // stats() in seconds: every second given is either dropped or still buffered (20 s at 8 kHz).
    expect(connection.stats().droppedSeconds + connection.stats().bufferedSeconds).toBeCloseTo(20, 6)
    connection.close()
    expect(await modified).toBeInstanceOf(ConnectionError)
  })

  it('a close listener added after the close still gets the close event', async () => {
    const connection = await client(server).streaming.startConnection({ signal: new AbortController().signal })
    connection.close()
    const closes: unknown[] = []
    connection.on('close', (info) => closes.push(info))
    await tick()
    expect(closes).toEqual([{ code: 1000, reason: 'closed by the app' }])
  })

  it('keeps frames of at most 64 distinct unknown types for later listeners (a server inventing types cannot grow memory)', async () => {
    const connection = await client(server).streaming.startConnection()
    for (let i = 0; i < 200; i++) server.send(server.last, { type: `future_${i}` })
    server.send(server.last, { type: 'message_response', messages: [] })
    await next(connection, 'message_response')
    const seen: string[] = []
    const on = connection.on.bind(connection) as unknown as (e: string, f: (x: { type: string }) => void) => void
    for (let i = 0; i < 200; i++) on(`future_${i}`, (f) => seen.push(f.type))
    await tick()
    // `message` (kept from the start) and 63 others fit; later names were not kept.
    expect(seen.length).toBeLessThanOrEqual(63)
    expect(seen[0]).toBe('future_0')
    await connection.stop()
  })
})
