// Bad inputs to the public API: each must fail at once with a typed SDK error whose message names
// what was wrong; never a TypeError, never a silent success, never a hang. Table-driven over the
// public surface (src/node.ts), plus the cases that need a live connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { AbortError, ConnectionError, ValidationError } from '../../../src/errors.js'
import { Symbl } from '../../../src/node.js'
import { FakeServer } from '../streaming/fake-server.js'
import { client as streamingClient, until } from '../streaming/helpers.js'
import { expectTyped, thrown } from '../expect-typed.js'

let server: FakeServer
const frames: Buffer[] = []
beforeAll(async () => {
  server = await FakeServer.start({ onAudio: (_socket, _conv, frame) => void frames.push(Buffer.from(frame)) })
})
afterAll(async () => {
  await server.close()
})

const symbl = () => streamingClient(server)
const ID = '5815170693595136'
const circular: Record<string, unknown> = { sentiment: true }
circular.self = circular

describe('constructor options', () => {
  it.each([
    [{ appId: 5 }, /appId must be a string, got number/],
    [{ appId: 'a', appSecret: { secret: 1 } }, /appSecret must be a string, got object/],
    [{ configFile: 42 }, /configFile must be a string/],
    [{ WebSocket: 5 }, /WebSocket must be a WebSocket constructor/],
    [{ wsBaseUrl: '' }, /wsBaseUrl .* is not a valid URL/],
    [{ timeout: 'soon' }, /timeout must be a positive number of milliseconds/],
  ])('refuses %j', async (options, message) => {
    await expectTyped(() => new Symbl({ accessToken: 't', ...options } as never), message)
  })

  it('refuses options that are not an object without quoting them (a string may be a token)', async () => {
    const error = await thrown(() => new Symbl('my-secret-token' as never))
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.message).toMatch(/options must be an object, .*got string/)
    expect(error.message).not.toContain('my-secret-token')
    await expectTyped(() => new Symbl(null as never), /got null/)
    await expectTyped(() => new Symbl([] as never), /got an array/)
  })
})

describe('every public method, called with bad arguments', () => {
  // [name, call]: each must reject (or throw) a ValidationError naming the argument, before any request.
  const cases: Array<[string, (s: Symbl) => unknown, RegExp]> = [
    [
      'getMessages with a circular params object',
      (s) => s.conversations.getMessages(ID, circular as never),
      /"self" cannot be sent as JSON/,
    ],
    [
      'getMessages with a non-boolean flag',
      (s) => s.conversations.getMessages(ID, { sentiment: 'yes' } as never),
      /params\.sentiment must be true or false/,
    ],
    [
      'getTopics with a function as a flag',
      (s) => s.conversations.getTopics(ID, { refresh: () => 1 } as never),
      /params\.refresh must be true or false, got a function/,
    ],
    ['getMessages with a number id', (s) => s.conversations.getMessages(5 as never), /conversationId must be a string/],
    ['getMessages with params as an array', (s) => s.conversations.getMessages(ID, [] as never), /params must be an object/],
    ['putMetadata with a circular body', (s) => s.conversations.putMetadata(ID, circular), /cannot be sent as JSON/],
    ['list with NaN limit', (s) => s.conversations.list({ limit: NaN }), /params\.limit must be a positive integer/],
    [
      'text.process with a circular message',
      (s) => s.text.process({ messages: [{ payload: { content: 'Hi.' }, from: circular }] } as never, { wait: false }),
      /cannot be sent as JSON/,
    ],
    ['text.process with wait options that are a number', (s) => s.text.process({ messages: [] } as never, 5 as never), /must be an object/],
    [
      'startPstn with a bare language',
      (s) => s.telephony.startPstn({ phoneNumber: '14082924837', languages: 'en' }),
      /languages must be .*region.*got the string "en"/,
    ],
    [
      'startPstn with an empty language list',
      (s) => s.telephony.startPstn({ phoneNumber: '14082924837', languages: [] }),
      /languages must be a non-empty list/,
    ],
    ['startPstn with a null phone number', (s) => s.telephony.startPstn({ phoneNumber: null } as never), /phoneNumber must be/],
    ['telephony.stop with an empty id', (s) => s.telephony.stop(''), /connectionId is required/],
    [
      'startConnection with a null keepAlive',
      (s) => s.streaming.startConnection({ keepAlive: null } as never),
      /keepAlive must be an object/,
    ],
    [
      'startConnection with an unknown encoding',
      (s) => s.streaming.startConnection({ config: { speechRecognition: { encoding: 'MP3' as never } } }),
      /encoding must be one of/,
    ],
  ]
  it.each(cases)('%s', async (_name, call, message) => {
    const s = symbl()
    const before = server.rest.length
    await expectTyped(() => call(s), message)
    expect(server.rest).toHaveLength(before)
  })

  it('Conversation: wait(5), onComplete(5), onError(null), onStatus("x")', async () => {
    const before = server.rest.length
    const conversation = new Conversation(symbl(), { conversationId: ID, jobId: 'job-1' })
    await expectTyped(() => conversation.wait(5 as never), /wait options must be an object/)
    await expectTyped(() => conversation.onComplete(5 as never), /onComplete: the callback must be a function, .*got number 5/)
    await expectTyped(() => conversation.onError(null as never), /onError: the callback must be a function, .*got null/)
    await expectTyped(() => conversation.onStatus('x' as never), /onStatus: the callback must be a function/)
    // Also without a job: the mistake is reported the same way.
    await expectTyped(() => new Conversation(symbl(), { conversationId: ID }).wait(5 as never), /wait options must be an object/)
    expect(server.rest).toHaveLength(before)
  })
})

describe('an abort with a reason that is not an Error', () => {
  it.each([['why'], [42], [undefined]])('controller.abort(%j) rejects with an AbortError keeping the reason as cause', async (reason) => {
    const controller = new AbortController()
    controller.abort(reason)
    const error = await thrown(() => symbl().telephony.startPstn({ phoneNumber: '14082924837', signal: controller.signal }))
    if (reason === undefined) {
      // No reason: the runtime's own DOMException AbortError, an Error, passed on untouched.
      expect(error.name).toBe('AbortError')
      return
    }
    expect(error).toBeInstanceOf(AbortError)
    expect((error as AbortError).code).toBe('aborted')
    expect(error.message).toContain(String(typeof reason === 'string' ? JSON.stringify(reason) : reason))
    expect(error.cause).toBe(reason)
  })

  it('a streaming start and a job wait too; an Error reason passes untouched', async () => {
    const controller = new AbortController()
    controller.abort('user left')
    const start = await thrown(() => symbl().streaming.startConnection({ signal: controller.signal }))
    expect(start).toBeInstanceOf(AbortError)
    expect(start.cause).toBe('user left')
    const conversation = new Conversation(symbl(), { conversationId: ID, jobId: 'job-1' })
    const wait = await thrown(() => conversation.wait({ signal: controller.signal }))
    expect(wait).toBeInstanceOf(AbortError)
    const own = new Error('mine')
    const c2 = new AbortController()
    c2.abort(own)
    expect(await thrown(() => symbl().telephony.stop('some-connection', c2.signal))).toBe(own)
  })
})

describe('a live streaming connection', () => {
  it('on/once with a listener that is not a function, and modify with null or unknown fields', async () => {
    const connection = await symbl().streaming.startConnection()
    try {
      await expectTyped(
        () => connection.on('message', null as never),
        /on\('message', listener\): the listener must be a function, got null/,
      )
      await expectTyped(() => connection.once('error', 5 as never), /the listener must be a function, got number/)
      await expectTyped(() => connection.on(null as never, () => {}), /on takes an event name first/)
      await expectTyped(() => connection.modify({ encoding: null } as never), /modify\.encoding must be one of .*got null/)
      await expectTyped(() => connection.modify({ sampleRateHertz: null } as never), /modify\.sampleRateHertz must be a whole number of Hz/)
      await expectTyped(
        () => connection.modify({ sampleRateHertz: 8000, rate: 1 } as never),
        /modify takes \{ sampleRateHertz, encoding \}, not "rate"/,
      )
      expect(connection.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 16000 })
    } finally {
      await connection.stop()
    }
  })

  it('LINEAR16 chunks of odd length are re-joined into whole samples; an odd byte left at stop() is reported', async () => {
    frames.length = 0
    const connection = await symbl().streaming.startConnection()
    const errors: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    const audio = Buffer.from(Array.from({ length: 13 }, (_, i) => i + 1))
    // 3 + 5 + 5 bytes: every chunk boundary but the last falls inside a sample.
    for (const [from, to] of [
      [0, 3],
      [3, 8],
      [8, 13],
    ]) {
      await connection.sendAudio(audio.subarray(from, to))
      await connection.drain()
    }
    await until(() => frames.reduce((n, f) => n + f.length, 0) === 12, '12 bytes received')
    expect(frames.map((f) => f.length % 2)).toEqual(frames.map(() => 0))
    expect(Buffer.concat(frames)).toEqual(audio.subarray(0, 12))
    await connection.stop()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(ValidationError)
    expect((errors[0] as Error).message).toMatch(/odd number of bytes .*last byte, half a 16-bit sample, was dropped/)
  })
})

describe('a telephony call after stop()', () => {
  it('stop() twice is idempotent: one request, the same answer; pushSpeakerEvent after it is a ConnectionError', async () => {
    const call = await symbl().telephony.startPstn({ phoneNumber: '14082924837' })
    const first = await call.stop()
    const second = await call.stop()
    expect(second).toBe(first)
    expect(server.rest.filter((r) => (r.body as { operation?: string }).operation === 'stop')).toHaveLength(1)
    const before = server.rest.length
    await expectTyped(
      () => call.pushSpeakerEvent({ type: 'joined', user: { name: 'Ana' } }),
      /pushSpeakerEvent was called after stop\(\): call .* has ended/,
      ConnectionError,
    )
    expect(server.rest).toHaveLength(before)
  })
})
