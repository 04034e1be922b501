// Issue 12 for a streaming connection's calls: stop(), modify() and drain() end with the options
// object every call takes ({ signal, timeout }). The same three checks as the table of
// test/node/integration/request-options.test.ts, against the fake streaming server: a signal
// aborted before the call (nothing reaches the server, nothing changes), a per-call timeout
// shorter than a server that does not answer (TimeoutError, the client's own stopTimeoutMs being
// 30 s), and a signal aborted while the call waits on the server (the abort reason). Then what each
// abort leaves behind, the per-call timeout in both directions, joined stops and bad values.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { TimeoutError, ValidationError } from '../../../src/errors.js'
import type { StreamingConnection } from '../../../src/streaming/connection.js'
import { counterAudio, FakeServer } from './fake-server.js'
import { client, next, tick, until } from './helpers.js'

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

const fast = { reconnect: { initialDelayMs: 1, maxDelayMs: 5 }, keepAlive: false as const }

type Options = { signal?: AbortSignal; timeout?: number | false }

/** What the server has received so far on every socket: text frames and audio bytes. */
const received = () => server.sockets.map((s) => ({ texts: s.texts.length, audio: s.audioBytes }))

/**
 * Keeps queued audio from draining: the socket drops and every reconnection attempt opens but is
 * never started by the server, so audio given now waits in the queue.
 */
async function stall(connection: StreamingConnection): Promise<void> {
  const sockets = server.sockets.length
  server.behaviour.start = 'silent'
  server.drop(server.last)
  await until(() => server.sockets.length > sockets && server.last.startRequest !== undefined, 'a reconnection attempt that is not started')
  expect(connection.state).toBe('reconnecting')
}

/** Lets the stalled connection reconnect: the silent attempt drops, the next one starts as usual. */
async function resume(connection: StreamingConnection): Promise<void> {
  server.behaviour.start = 'normal'
  const reconnected = next(connection, 'reconnected')
  server.drop(server.last)
  await reconnected
}

/**
 * A connection's call given its options, and how to make the server keep it waiting (`hold`):
 * it does not answer stop_request, modify_request, or start a new session.
 */
interface Row {
  call: (connection: StreamingConnection, options: Options) => Promise<unknown>
  hold: (connection: StreamingConnection) => Promise<void>
  /** The call has reached the server (or, for drain, is waiting on it). */
  atServer: (connection: StreamingConnection) => boolean
}

const ROWS: Record<string, Row> = {
  'connection.stop': {
    call: (c, o) => c.stop(o),
    hold: async () => {
      server.behaviour.stop = 'silent'
    },
    atServer: () => server.last.texts.some((t) => t.type === 'stop_request'),
  },
  'connection.modify': {
    call: (c, o) => c.modify({ sampleRateHertz: 8000 }, o),
    hold: async () => {
      server.behaviour.onText = (_s, m) => m.type === 'modify_request'
    },
    atServer: () => server.last.texts.some((t) => t.type === 'modify_request'),
  },
  'connection.drain': {
    call: (c, o) => c.drain(o),
    hold: async (c) => {
      await stall(c)
      void c.sendAudio(counterAudio(0, 800)).catch(() => {})
    },
    atServer: (c) => c.bufferedSeconds > 0,
  },
}

describe.each(Object.entries(ROWS))('%s', (name, row) => {
  it('{ signal } aborted before the call: rejects with its reason, nothing reaches the server, nothing changes', async () => {
    const connection = await client(server).streaming.startConnection(fast)
    void connection.sendAudio(counterAudio(0, 800))
    await until(() => server.last.audioBytes === 3200, 'the audio at the server')
    const before = received()
    const reason = new Error('cancelled by the user')
    await expect(row.call(connection, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(received()).toEqual(before)
    expect(connection.state).toBe('open')
    expect(connection.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 16000 })
    // The connection carries on: the same call without the signal works.
    await row.call(connection, {})
    if (name !== 'connection.stop') await connection.stop()
    expect(connection.state).toBe('closed')
  })

  it('{ timeout } shorter than a server that does not answer: TimeoutError (stopTimeoutMs is the default 30 s)', async () => {
    const connection = await client(server).streaming.startConnection(fast)
    await row.hold(connection)
    await expect(row.call(connection, { timeout: 50 })).rejects.toBeInstanceOf(TimeoutError)
    connection.close()
  })

  it('{ signal } aborted while the call waits on the server: rejects with the abort reason', async () => {
    const connection = await client(server).streaming.startConnection(fast)
    await row.hold(connection)
    const controller = new AbortController()
    const result = row.call(connection, { signal: controller.signal })
    result.catch(() => {})
    await until(() => row.atServer(connection), 'the call at the server')
    const reason = new Error('gave up')
    controller.abort(reason)
    await expect(result).rejects.toBe(reason)
    connection.close()
  })
})

describe('stop()', () => {
  it('an abort while stopping closes the connection at once, like close(): a close event, no error event, later calls refused', async () => {
    server.behaviour.stop = 'silent'
    const connection = await client(server).streaming.startConnection(fast)
    const errors: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    const closed = next(connection, 'close')
    const controller = new AbortController()
    const stopped = connection.stop({ signal: controller.signal })
    stopped.catch(() => {})
    await until(() => server.last.texts.some((t) => t.type === 'stop_request'), 'stop_request at the server')
    const reason = new Error('leaving the page')
    controller.abort(reason)
    await expect(stopped).rejects.toBe(reason)
    expect(await closed).toEqual({ code: 1000, reason: 'stop aborted' })
    expect(connection.state).toBe('closed')
    expect(errors).toEqual([])
    // The same stop, already given up: a later stop() settles the same way, without a second stop_request.
    await expect(connection.stop()).rejects.toBe(reason)
    await expect(connection.sendAudio(new Uint8Array(2))).rejects.toThrow(/leaving the page/)
    await until(() => server.last.ws.readyState === server.last.ws.CLOSED, 'the socket closed at the server')
    expect(server.last.texts.filter((t) => t.type === 'stop_request')).toHaveLength(1)
  })

  it('an abort while stopping discards the queued audio: drain() resolves', async () => {
    const connection = await client(server).streaming.startConnection(fast)
    await stall(connection)
    void connection.sendAudio(counterAudio(0, 800)).catch(() => {})
    const drained = connection.drain()
    const controller = new AbortController()
    const stopped = connection.stop({ signal: controller.signal })
    stopped.catch(() => {})
    await tick()
    expect(connection.state).toBe('reconnecting')
    controller.abort(new Error('never mind'))
    await expect(stopped).rejects.toThrow('never mind')
    await expect(drained).resolves.toBeUndefined()
    expect(connection.state).toBe('closed')
  })

  it('{ timeout } longer than stopTimeoutMs: a stop that stopTimeoutMs would fail completes', async () => {
    // conversation_completed comes 200 ms after the stop_request, past stopTimeoutMs (50 ms).
    server.behaviour.stop = 'silent'
    server.behaviour.onText = (s, m) => {
      if (m.type !== 'stop_request') return false
      setTimeout(() => {
        server.send(s, { type: 'message', message: { type: 'conversation_completed', data: { conversationId: s.connectionId } } })
        server.send(s, { type: 'message', message: { type: 'recognition_stopped' } })
        s.ws.close(1000, 'stopped')
      }, 200)
      return true
    }
    const late = await client(server).streaming.startConnection({ ...fast, stopTimeoutMs: 50 })
    await expect(late.stop()).rejects.toBeInstanceOf(TimeoutError)
    const patient = await client(server).streaming.startConnection({ ...fast, stopTimeoutMs: 50 })
    expect(await patient.stop({ timeout: 5000 })).toBeInstanceOf(Conversation)
    const unlimited = await client(server).streaming.startConnection({ ...fast, stopTimeoutMs: 50 })
    expect(await unlimited.stop({ timeout: false })).toBeInstanceOf(Conversation)
  })

  it('the TimeoutError names the per-call timeout, and the connection is closed as after stopTimeoutMs', async () => {
    server.behaviour.stop = 'silent'
    const connection = await client(server).streaming.startConnection(fast)
    await expect(connection.stop({ timeout: 40 })).rejects.toThrow(/stop\(\) timed out after 40 ms/)
    expect(connection.state).toBe('closed')
  })

  it('a stop() made while another is under way joins it: its signal abandons only its own wait, its timeout does not apply', async () => {
    server.behaviour.stop = 'silent'
    const connection = await client(server).streaming.startConnection(fast)
    const first = connection.stop()
    const controller = new AbortController()
    const joined = connection.stop({ signal: controller.signal, timeout: 20 })
    joined.catch(() => {})
    const reason = new Error('not waiting')
    controller.abort(reason)
    await expect(joined).rejects.toBe(reason)
    // Past the joined call's timeout: the stop goes on.
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(connection.state).toBe('stopping')
    server.send(server.last, {
      type: 'message',
      message: { type: 'conversation_completed', data: { conversationId: connection.conversationId } },
    })
    server.send(server.last, { type: 'message', message: { type: 'recognition_stopped' } })
    expect(await first).toBeInstanceOf(Conversation)
    expect(server.last.texts.filter((t) => t.type === 'stop_request')).toHaveLength(1)
  })
})

describe('modify()', () => {
  it('an abort leaves the change in effect: the modify_request was sent and later audio is in the new format', async () => {
    server.behaviour.onText = (_s, m) => m.type === 'modify_request'
    const connection = await client(server).streaming.startConnection(fast)
    const controller = new AbortController()
    const modified = connection.modify({ sampleRateHertz: 8000 }, { signal: controller.signal })
    modified.catch(() => {})
    await until(() => server.last.texts.some((t) => t.type === 'modify_request'), 'modify_request at the server')
    controller.abort(new Error('stop waiting'))
    await expect(modified).rejects.toThrow('stop waiting')
    expect(connection.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 8000 })
    // The late answer settles the abandoned call quietly; the next modify() is answered as usual.
    server.behaviour.onText = undefined
    server.send(server.last, { type: 'message', message: { type: 'session_modified' } })
    await expect(connection.modify({ sampleRateHertz: 16000 }, { timeout: 5000 })).resolves.toBeUndefined()
    expect(connection.state).toBe('open')
    await connection.stop()
  })

  it('{ timeout } longer than stopTimeoutMs: a modify that stopTimeoutMs would fail is confirmed', async () => {
    server.behaviour.onText = (s, m) => {
      if (m.type !== 'modify_request') return false
      setTimeout(() => server.send(s, { type: 'message', message: { type: 'session_modified' } }), 200)
      return true
    }
    const connection = await client(server).streaming.startConnection({ ...fast, stopTimeoutMs: 50 })
    await expect(connection.modify({ sampleRateHertz: 8000 })).rejects.toBeInstanceOf(TimeoutError)
    // The late answer of the timed-out modify arrives meanwhile; this one gets its own.
    await new Promise((resolve) => setTimeout(resolve, 250))
    await expect(connection.modify({ sampleRateHertz: 16000 }, { timeout: 5000 })).resolves.toBeUndefined()
    await expect(connection.modify({ sampleRateHertz: 8000 }, { timeout: false })).resolves.toBeUndefined()
    server.behaviour.onText = undefined
    await connection.stop({ timeout: 5000 })
  })
})

describe('drain()', () => {
  it('an abort or a timeout leaves the audio queued: it is sent once the connection is back', async () => {
    const connection = await client(server).streaming.startConnection(fast)
    await stall(connection)
    void connection.sendAudio(counterAudio(0, 800))
    await expect(connection.drain({ timeout: 30 })).rejects.toThrow(
      /drain\(\) timed out after 30 ms with 3200 bytes of audio still to send/,
    )
    const controller = new AbortController()
    const drained = connection.drain({ signal: controller.signal })
    drained.catch(() => {})
    controller.abort(new Error('later'))
    await expect(drained).rejects.toThrow('later')
    expect(connection.bufferedSeconds).toBe(0.1)
    await resume(connection)
    await connection.drain({ timeout: 5000 })
    await until(() => server.last.audioBytes === 3200, 'the queued audio at the server')
    expect(await connection.stop()).toBeInstanceOf(Conversation)
  })
})

describe('bad options are refused before anything is sent', () => {
  it.each([
    ['a negative timeout', { timeout: -1 }, /options\.timeout must be a positive number of milliseconds/],
    ['a string timeout', { timeout: '50' }, /options\.timeout must be/],
    ['a signal that is not one', { signal: { aborted: false } }, /options\.signal must be an AbortSignal/],
    ['not an object', 5, /options must be an object/],
  ])('%s', async (_what, options, message) => {
    const connection = await client(server).streaming.startConnection(fast)
    const before = received()
    for (const call of Object.values(ROWS)) {
      const result = call.call(connection, options as never)
      await expect(result).rejects.toBeInstanceOf(ValidationError)
      await expect(result).rejects.toThrow(message)
    }
    await tick()
    expect(received()).toEqual(before)
    expect(connection.state).toBe('open')
    await connection.stop()
  })
})
