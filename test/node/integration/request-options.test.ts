// Issue 12: every public call ends with one options object carrying `signal` and `timeout`. One
// table of every call, each run three ways against the emulator: a signal aborted before the call
// (nothing reaches the server), a per-call `timeout` shorter than a delayed route (TimeoutError,
// while the client's own timeout is the default 30 s), and a signal aborted while the request is
// at the server (the abort reason). Then the shape's details: per-call timeouts in both directions,
// the deprecated positional signal, what reaches the wire, and bad values.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { TimeoutError, ValidationError } from '../../../src/errors.js'
import type { Symbl } from '../../../src/node.js'
import { TelephonyConnection } from '../../../src/telephony/telephony-connection.js'
import { mp4Bytes, seenSince, textMessages, twoBurstWav, until, useEmulator } from './helpers.js'

const env = useEmulator()

const CONVERSATION = '5629191627849728'
const CONNECTION = '0b6e5a4c-1d2f-4e3a-9b8c-7d6e5f4a3b2c'
const URL = 'http://127.0.0.1:9/call.wav'
const messages = textMessages().slice(0, 2)
const member = { name: 'Ana' }
const speakerEvents = [{ type: 'started_speaking' as const, user: { name: 'Ana' }, offset: { seconds: 1, nanos: 0 } }]
const fast = { pollInterval: { initialMs: 5, maxMs: 5 } }

type Options = { signal?: AbortSignal; timeout?: number | false }
/** A public call given its options (merged into the call's own options where it has them). */
type Call = (symbl: Symbl, options: Options) => Promise<unknown>

const bound = (symbl: Symbl) => new Conversation(symbl, { conversationId: CONVERSATION, jobId: 'job-0000-0001' })

/** Every public method, by its name in the README. */
const CALLS: Record<string, Call> = {}
for (const area of ['audio', 'video'] as const) {
  const file = () => (area === 'audio' ? twoBurstWav() : mp4Bytes())
  const contentType = area === 'audio' ? 'audio/wav' : 'video/mp4'
  Object.assign(CALLS, {
    [`${area}.processFile`]: (s, o) => s[area].processFile(file(), { contentType, ...o, ...fast }),
    [`${area}.processUrl`]: (s, o) => s[area].processUrl({ url: URL }, { ...o, ...fast }),
    [`${area}.appendFile`]: (s, o) => s[area].appendFile(file(), CONVERSATION, { contentType, ...o, ...fast }),
    [`${area}.appendUrl`]: (s, o) => s[area].appendUrl({ url: URL }, CONVERSATION, { ...o, ...fast }),
  } satisfies Record<string, Call>)
}
Object.assign(CALLS, {
  'text.process': (s, o) => s.text.process({ messages }, { ...o, ...fast }),
  'text.append': (s, o) => s.text.append({ messages }, CONVERSATION, { ...o, ...fast }),
  'conversation.getJobStatus': (s, o) => bound(s).getJobStatus(o),
  'conversation.wait': (s, o) => bound(s).wait({ ...o, ...fast }),
  'conversations.list': (s, o) => s.conversations.list({ limit: 5, ...o }),
  'telephony.startPstn': (s, o) => s.telephony.startPstn({ phoneNumber: '14085550100', ...o }),
  'telephony.startSip': (s, o) => s.telephony.startSip({ uri: 'sip:555@example.com', ...o }),
  'telephony.stop': (s, o) => s.telephony.stop(CONNECTION, o),
  'telephony.pushSpeakerEvent': (s, o) => s.telephony.pushSpeakerEvent(CONNECTION, { type: 'joined', user: { name: 'Ana' } }, o),
} satisfies Record<string, Call>)
// The Conversation API, on `symbl.conversations` (id first) and bound to a `Conversation`.
const CONVERSATION_CALLS: Record<string, (api: any, o: Options) => Promise<unknown>> = {
  getConversation: (api, o) => api.getConversation(o),
  putMetadata: (api, o) => api.putMetadata({ label: 'Business' }, o),
  getMessages: (api, o) => api.getMessages({ sentiment: true, ...o }),
  getMembers: (api, o) => api.getMembers(o),
  getQuestions: (api, o) => api.getQuestions(o),
  getActionItems: (api, o) => api.getActionItems(o),
  getFollowUps: (api, o) => api.getFollowUps(o),
  getTopics: (api, o) => api.getTopics({ parentRefs: true, ...o }),
  getEntities: (api, o) => api.getEntities(o),
  getTrackers: (api, o) => api.getTrackers(o),
  getAnalytics: (api, o) => api.getAnalytics(o),
  getSummary: (api, o) => api.getSummary({ refresh: true, ...o }),
  getFormattedTranscript: (api, o) => api.getFormattedTranscript({ contentType: 'text/markdown', ...o }),
  putMembers: (api, o) => api.putMembers('member-1', { ...member, id: 'member-1' }, o),
  putSpeakersEvents: (api, o) => api.putSpeakersEvents({ speakerEvents }, o),
  delete: (api, o) => api.delete(o),
}
for (const [name, call] of Object.entries(CONVERSATION_CALLS)) {
  // Both forms take the same arguments after the id.
  CALLS[`conversations.${name}`] = (s, o) =>
    call({ [name]: (...args: unknown[]) => (s.conversations as any)[name](CONVERSATION, ...args) }, o)
  CALLS[`conversation.${name}`] = (s, o) => call(bound(s), o)
}

it('the table covers every public method of every area', () => {
  const methods = (proto: object) => Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor' && !n.startsWith('#'))
  const symbl = env.client()
  const expected = [
    ...['audio', 'video'].flatMap((area) =>
      methods(Object.getPrototypeOf(Object.getPrototypeOf((symbl as any)[area]))).map((m) => `${area}.${m}`),
    ),
    ...methods(Object.getPrototypeOf(symbl.text)).map((m) => `text.${m}`),
    ...methods(Object.getPrototypeOf(symbl.conversations)).map((m) => `conversations.${m}`),
    ...methods(Object.getPrototypeOf(symbl.conversations))
      .filter((m) => m !== 'list')
      .map((m) => `conversation.${m}`),
    ...methods(Object.getPrototypeOf(symbl.telephony)).map((m) => `telephony.${m}`),
    'conversation.getJobStatus',
    'conversation.wait',
  ]
  expect(Object.keys(CALLS).sort()).toEqual([...new Set(expected)].sort())
})

describe.each(Object.entries(CALLS))('%s', (_name, call) => {
  afterEach(() => {
    env.emu.faults.clear()
  })

  it('{ signal } aborted before the call: rejects with its reason, and nothing reaches the server', async () => {
    // A fresh client: any request at all (even for a token) would be seen.
    const symbl = env.client({ retry: 0 })
    const before = env.requests.length
    const reason = new Error('cancelled by the user')
    await expect(call(symbl, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
    // Anything sent in the background would arrive in this time.
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(env.requests.slice(before)).toEqual([])
  })

  it('{ timeout } shorter than a delayed route: TimeoutError (the client default is 30 s)', async () => {
    const symbl = env.client({ retry: 0 })
    await symbl.tokens.get() // the token is not part of the call's timeout: fetched before the delay
    env.emu.faults.addLatency({ path: '/v1/*', ms: 2000 })
    await expect(call(symbl, { timeout: 50 })).rejects.toBeInstanceOf(TimeoutError)
  })

  it('{ signal } aborted while the request is at the server: rejects with the abort reason', async () => {
    const symbl = env.client({ retry: 0 })
    await symbl.tokens.get()
    env.emu.faults.addLatency({ path: '/v1/*', ms: 2000 })
    const controller = new AbortController()
    const before = env.requests.length
    const result = call(symbl, { signal: controller.signal })
    result.catch(() => {})
    await until(() => env.requests.length > before, 'the request at the server')
    const reason = new Error('gave up')
    controller.abort(reason)
    await expect(result).rejects.toBe(reason)
  })
})

// A call's own methods (the connection startPstn resolves with): the same three checks, the call
// started before the latency. The streaming connection's calls are in test/node/streaming/request-options.test.ts.
const CALL_CALLS: Record<string, (call: TelephonyConnection, options: Options) => Promise<unknown>> = {
  'call.stop': (c, o) => c.stop(o),
  'call.pushSpeakerEvent': (c, o) => c.pushSpeakerEvent({ type: 'joined', user: { name: 'Ana' } }, o),
}

it('the table covers every call of a telephony connection', () => {
  // What a TelephonyConnection adds to its emitter, less what makes no request (getConversationId, the event hook).
  const own = Object.getOwnPropertyNames(TelephonyConnection.prototype).filter(
    (n) => !['constructor', 'conversation', 'getConversationId', 'listened'].includes(n),
  )
  expect(Object.keys(CALL_CALLS).sort()).toEqual(own.map((n) => `call.${n}`).sort())
})

describe.each(Object.entries(CALL_CALLS))('%s', (_name, call) => {
  afterEach(() => {
    env.emu.faults.clear()
  })
  const dial = (symbl: Symbl) => symbl.telephony.startPstn({ phoneNumber: '14085550110' })

  it('{ signal } aborted before the call: rejects with its reason, and nothing reaches the server', async () => {
    const symbl = env.client({ retry: 0 })
    const connection = await dial(symbl)
    const before = env.requests.length
    const reason = new Error('cancelled by the user')
    await expect(call(connection, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(env.requests.slice(before)).toEqual([])
    // Nothing happened: the call goes on, and the same call without the signal works.
    await expect(call(connection, {})).resolves.toBeDefined()
  })

  it('{ timeout } shorter than a delayed route: TimeoutError (the client default is 30 s)', async () => {
    const symbl = env.client({ retry: 0 })
    const connection = await dial(symbl)
    env.emu.faults.addLatency({ path: '/v1/*', ms: 2000 })
    await expect(call(connection, { timeout: 50 })).rejects.toBeInstanceOf(TimeoutError)
  })

  it('{ signal } aborted while the request is at the server: rejects with the abort reason', async () => {
    const symbl = env.client({ retry: 0 })
    const connection = await dial(symbl)
    env.emu.faults.addLatency({ path: '/v1/*', ms: 2000 })
    const controller = new AbortController()
    const before = env.requests.length
    const result = call(connection, { signal: controller.signal })
    result.catch(() => {})
    await until(() => env.requests.length > before, 'the request at the server')
    const reason = new Error('gave up')
    controller.abort(reason)
    await expect(result).rejects.toBe(reason)
  })
})

describe("a call's stop() given up by its own signal or timeout", () => {
  afterEach(() => {
    env.emu.faults.clear()
  })

  it('is not remembered: speaker events work again and the next stop() sends the request again', async () => {
    const symbl = env.client({ retry: 0 })
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14085550111' })
    env.emu.faults.addLatency({ path: '/v1/endpoint:connect', ms: 2000 })
    await expect(connection.stop({ timeout: 50 })).rejects.toBeInstanceOf(TimeoutError)
    const controller = new AbortController()
    const aborted = connection.stop({ signal: controller.signal })
    aborted.catch(() => {})
    controller.abort(new Error('not now'))
    await expect(aborted).rejects.toThrow('not now')
    env.emu.faults.clear()
    await expect(connection.pushSpeakerEvent({ type: 'left', user: { name: 'Ana' } })).resolves.toBeDefined()
    const before = env.requests.length
    expect(await connection.stop()).toMatchObject({ connectionId: connection.connectionId })
    expect(seenSince(env, before, 'POST', /^\/v1\/endpoint:connect$/)).toBe(1)
    // Answered: remembered, as before.
    expect(await connection.stop()).toMatchObject({ connectionId: connection.connectionId })
    expect(seenSince(env, before, 'POST', /^\/v1\/endpoint:connect$/)).toBe(1)
    await expect(connection.pushSpeakerEvent({ type: 'left', user: { name: 'Ana' } })).rejects.toThrow(/after stop\(\)/)
  })

  it('a stop() made while one is under way joins it: its own signal abandons only its own wait', async () => {
    const symbl = env.client({ retry: 0 })
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14085550112' })
    env.emu.faults.addLatency({ path: '/v1/endpoint:connect', ms: 200 })
    const before = env.requests.length
    const first = connection.stop()
    const controller = new AbortController()
    const joined = connection.stop({ signal: controller.signal, timeout: 20 })
    joined.catch(() => {})
    const reason = new Error('not waiting')
    controller.abort(reason)
    await expect(joined).rejects.toBe(reason)
    expect(await first).toMatchObject({ connectionId: connection.connectionId })
    expect(seenSince(env, before, 'POST', /^\/v1\/endpoint:connect$/)).toBe(1)
  })

  it('bad options are a ValidationError, before any request', async () => {
    const symbl = env.client()
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14085550113' })
    const before = env.requests.length
    for (const bad of [5, { timeout: -1 }, { signal: {} }]) {
      await expect(connection.stop(bad as never)).rejects.toBeInstanceOf(ValidationError)
      await expect(connection.pushSpeakerEvent({ type: 'joined', user: {} }, bad as never)).rejects.toBeInstanceOf(ValidationError)
    }
    expect(env.requests.slice(before)).toEqual([])
    await connection.stop()
  })
})

describe('streaming.startConnection', () => {
  afterEach(() => {
    env.emu.faults.clear()
  })

  it('{ signal } aborted before the call: rejects with its reason, and nothing reaches the server', async () => {
    const before = env.requests.length
    const reason = new Error('cancelled by the user')
    await expect(env.client().streaming.startConnection({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(env.requests.slice(before)).toEqual([])
  })

  it('{ timeout } is the time allowed to start: a token route delayed 2 s is a TimeoutError', async () => {
    env.emu.faults.addLatency({ path: '/oauth2/*', ms: 2000 })
    await expect(env.client().streaming.startConnection({ timeout: 50 })).rejects.toBeInstanceOf(TimeoutError)
  })

  it('{ signal } aborted while the token request is at the server: rejects with the abort reason', async () => {
    env.emu.faults.addLatency({ path: '/oauth2/*', ms: 2000 })
    const controller = new AbortController()
    const before = env.requests.length
    const result = env.client().streaming.startConnection({ signal: controller.signal })
    result.catch(() => {})
    await until(() => env.requests.length > before, 'the token request at the server')
    const reason = new Error('gave up')
    controller.abort(reason)
    await expect(result).rejects.toBe(reason)
  })

  it('takes `timeout` or `startTimeoutMs`, not both, and checks `timeout`', async () => {
    const streaming = env.client().streaming
    await expect(streaming.startConnection({ timeout: 100, startTimeoutMs: 100 })).rejects.toThrow(/`timeout` or `startTimeoutMs`/)
    await expect(streaming.startConnection({ timeout: -1 })).rejects.toThrow(/startConnection: options\.timeout must be/)
  })

  it('{ timeout: false } starts as usual', async () => {
    const connection = await env.client().streaming.startConnection({ timeout: false })
    expect(connection.conversationId).toBeTruthy()
    await connection.stop()
  })
})

describe('a per-call timeout overrides the client timeout', () => {
  afterEach(() => {
    env.emu.faults.clear()
  })

  it('longer than the client timeout: a call the client timeout would fail succeeds', async () => {
    const symbl = env.client({ timeout: 50, retry: 0 })
    await symbl.tokens.get()
    const conversation = await symbl.text.process({ messages }, { wait: false, timeout: false })
    env.emu.faults.addLatency({ path: '/v1/*', ms: 300 })
    await expect(symbl.conversations.getMembers(conversation.conversationId)).rejects.toBeInstanceOf(TimeoutError)
    expect((await symbl.conversations.getMembers(conversation.conversationId, { timeout: 5000 })).members).toHaveLength(2)
    expect(await conversation.getJobStatus({ timeout: 5000 })).toMatch(/scheduled|in_progress|completed/)
    // Telephony's start request (built by dial.ts) gets the per-call timeout too.
    const call = await symbl.telephony.startPstn({ phoneNumber: '14085550101', timeout: 5000 })
    expect(await symbl.telephony.stop(call.connectionId, { timeout: 5000 })).toMatchObject({ connectionId: call.connectionId })
  })

  it('the TimeoutError names the per-call timeout', async () => {
    const symbl = env.client({ retry: 0 })
    await symbl.tokens.get()
    env.emu.faults.addLatency({ path: '/v1/*', ms: 2000 })
    await expect(symbl.conversations.getMembers(CONVERSATION, { timeout: 40 })).rejects.toThrow(/within 40 ms/)
    await expect(symbl.telephony.startPstn({ phoneNumber: '14085550102', timeout: 40 })).rejects.toThrow(/within 40 ms/)
  })
})

describe('what reaches the wire', () => {
  it('signal and timeout are taken out of the params: the query and body are as without them', async () => {
    const requests: Array<{ search: string; body: string }> = []
    const handle = env.emu.core.handle.bind(env.emu.core)
    env.emu.core.handle = async (request) => {
      requests.push({ search: request.url.search, body: '' })
      return handle(request)
    }
    try {
      const symbl = env.client()
      const conversation = await symbl.text.process({ messages }, { ...fast, timeout: 5000, signal: new AbortController().signal })
      requests.length = 0
      await conversation.getMessages({ sentiment: true, timeout: 5000, signal: new AbortController().signal })
      await symbl.conversations.list({ limit: 5, timeout: 5000 })
      await conversation.getTopics({ parentRefs: true, timeout: 5000 })
      expect(requests.map((r) => r.search)).toEqual(['?sentiment=true', '?limit=5', '?parentRefs=true'])
      const transcript = await conversation.getFormattedTranscript({ contentType: 'text/srt', timeout: 5000 })
      expect(transcript.transcript.contentType).toBe('text/srt')
    } finally {
      env.emu.core.handle = handle
    }
  })

  it('the body of getFormattedTranscript carries no signal or timeout', async () => {
    const bodies: string[] = []
    const symbl = env.client({
      fetch: async (input, init) => {
        // ky passes a Request.
        const request = new Request(input, init)
        if (request.url.includes('/transcript')) bodies.push(await request.clone().text())
        return globalThis.fetch(request)
      },
    })
    const conversation = await symbl.text.process({ messages }, fast)
    await conversation.getFormattedTranscript({
      contentType: 'text/markdown',
      createParagraphs: true,
      signal: new AbortController().signal,
      timeout: 5000,
    })
    expect(bodies.map((b) => JSON.parse(b))).toEqual([{ contentType: 'text/markdown', createParagraphs: true }])
  })
})

describe('the old positional signal (one release)', () => {
  it('telephony.stop(id, signal) still works and warns once per client; stop(id, { signal }) does not warn', async () => {
    const warn = vi.fn()
    const symbl = env.client({ logger: { warn } })
    const first = await symbl.telephony.startPstn({ phoneNumber: '14085550103' })
    const second = await symbl.telephony.startPstn({ phoneNumber: '14085550104' })
    const third = await symbl.telephony.startPstn({ phoneNumber: '14085550105' })
    expect(await symbl.telephony.stop(first.connectionId, new AbortController().signal)).toMatchObject({ connectionId: first.connectionId })
    expect(await symbl.telephony.stop(second.connectionId, new AbortController().signal)).toMatchObject({
      connectionId: second.connectionId,
    })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(/stop\(…, signal\) is deprecated.*\{ signal \}/)
    await symbl.telephony.stop(third.connectionId, { signal: new AbortController().signal })
    expect(warn).toHaveBeenCalledTimes(1)
    // The positional signal still aborts.
    const reason = new Error('stop aborted')
    await expect(symbl.telephony.stop(CONNECTION, AbortSignal.abort(reason))).rejects.toBe(reason)
  })

  it('stop(id, 5) and other values that are neither are a ValidationError, before any request', async () => {
    const symbl = env.client()
    const before = env.requests.length
    for (const bad of [5, 'signal', null, [], { signal: {} }, { timeout: 0 }, { timeout: '50' }]) {
      await expect(symbl.telephony.stop(CONNECTION, bad as never)).rejects.toBeInstanceOf(ValidationError)
    }
    await expect(symbl.telephony.stop(CONNECTION, 5 as never)).rejects.toThrow(/stop: options must be an object \{ signal, timeout \}/)
    expect(env.requests.slice(before)).toEqual([])
  })

  it('conversation.getJobStatus(signal) still works and warns once per client', async () => {
    const warn = vi.fn()
    const symbl = env.client({ logger: { warn } })
    const conversation = await symbl.text.process({ messages }, { wait: false })
    expect(await conversation.getJobStatus(new AbortController().signal)).toBeTypeOf('string')
    expect(await conversation.getJobStatus(new AbortController().signal)).toBeTypeOf('string')
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(/getJobStatus\(…, signal\) is deprecated/)
  })
})

describe('bad values are refused before anything is sent', () => {
  it.each([
    ['a negative timeout', { timeout: -1 }, /timeout must be a positive number of milliseconds/],
    ['a timeout above what a timer can wait', { timeout: 1e10 }, /timeout must be a positive number of milliseconds/],
    ['a string timeout', { timeout: '50' }, /timeout must be/],
    ['a signal that is not one', { signal: { aborted: false } }, /signal must be an AbortSignal/],
  ])('%s', async (_what, options, message) => {
    const symbl = env.client()
    const before = env.requests.length
    await expect(symbl.conversations.getMembers(CONVERSATION, options as never)).rejects.toThrow(message)
    await expect(symbl.conversations.getMessages(CONVERSATION, options as never)).rejects.toThrow(message)
    await expect(symbl.text.process({ messages }, options as never)).rejects.toThrow(message)
    await expect(symbl.telephony.pushSpeakerEvent(CONNECTION, { type: 'joined', user: {} }, options as never)).rejects.toThrow(message)
    await expect(symbl.telephony.startPstn({ phoneNumber: '14085550106', ...(options as object) })).rejects.toThrow(message)
    expect(env.requests.slice(before)).toEqual([])
  })
})
