import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { AuthError, ConnectionError, NotFoundError, ValidationError } from '../../../src/errors.js'
import { MalformedFrameError } from '../../../src/streaming/errors.js'
import { TelephonyConnection } from '../../../src/telephony/telephony-connection.js'
import { FakeServer } from '../streaming/fake-server.js'
import { client, until } from '../streaming/helpers.js'

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

describe('startPstn / startSip', () => {
  it('starts a PSTN call with actions always as a list, and returns a connection with ids and the conversation', async () => {
    const symbl = client(server)
    const connection = await symbl.telephony.startPstn({
      phoneNumber: '14082924837',
      dtmf: ',,85123456789#,,123456#',
      actions: { invokeOn: 'stop', name: 'sendSummaryEmail', parameters: { emails: ['user@example.com'] } },
      data: { session: { name: 'My Meeting' } },
      languages: 'en-US',
      timezone: 'US/Pacific',
    })
    expect(server.rest[0]).toEqual({
      method: 'POST',
      path: '/v1/endpoint:connect',
      auth: 'token-1',
      body: {
        operation: 'start',
        endpoint: { type: 'pstn', phoneNumber: '14082924837', dtmf: ',,85123456789#,,123456#' },
        actions: [{ invokeOn: 'stop', name: 'sendSummaryEmail', parameters: { emails: ['user@example.com'] } }],
        data: { session: { name: 'My Meeting' } },
        languages: ['en-US'],
        timezone: 'US/Pacific',
      },
    })
    expect(connection).toBeInstanceOf(TelephonyConnection)
    expect(connection.connectionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(connection.conversationId).toBe(server.telephony.get(connection.connectionId)!.conversationId)
    expect(connection.eventUrl).toBe(`${server.url}/v1/event/${connection.connectionId}`)
    expect(connection.resultWebSocketUrl).toMatch(/\/events\//)
    expect(connection.conversation).toBeInstanceOf(Conversation)
    expect(connection.conversation!.conversationId).toBe(connection.conversationId)
    // Nothing listens: no subscribe socket was opened.
    expect(server.handshakes).toHaveLength(0)
  })

  it('starts a SIP call, sending an empty action list when none is given', async () => {
    const connection = await client(server).telephony.startSip({
      uri: 'sip:555@example.com',
      audioConfig: { encoding: 'PCMU', sampleRate: 16000, sampleSize: '16' },
    })
    expect(server.rest[0].body).toEqual({
      operation: 'start',
      endpoint: { type: 'sip', uri: 'sip:555@example.com', audioConfig: { encoding: 'PCMU', sampleRate: 16000, sampleSize: '16' } },
      actions: [],
    })
    expect(connection.connectionId).toBeTruthy()
  })

  it.each([
    ['startPstn', undefined, /startPstn takes an options object/],
    ['startPstn', {}, /phoneNumber must be an E.164 number/],
    ['startPstn', { phoneNumber: 14082924837 }, /phoneNumber must be .* got number/],
    ['startPstn', { phoneNumber: '+1 408 292' }, /phoneNumber/],
    ['startPstn', { phoneNumber: '14082924837', dtmf: 'abc!' }, /dtmf must be/],
    ['startPstn', { phoneNumber: '14082924837', actions: [{ name: 'sendSummaryEmail' }] }, /each action must be like/],
    ['startPstn', { phoneNumber: '14082924837', languages: [1] }, /languages must be a non-empty list/],
    ['startPstn', { phoneNumber: '14082924837', data: 'x' }, /data must be an object/],
    ['startPstn', { phoneNumber: '14082924837', timezone: 5 }, /timezone must be/],
    ['startSip', { uri: 'http://example.com' }, /uri must be a SIP URI/],
    ['startSip', { uri: 'sip:1@x', audioConfig: { sampleRate: 'fast' } }, /audioConfig.sampleRate/],
  ] as const)('%s refuses bad arguments with a clear error: %j', async (method, options, message) => {
    const error = await (client(server).telephony[method] as (o: unknown) => Promise<unknown>)(options).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
    expect(server.rest).toHaveLength(0)
  })

  it('maps a refused token to AuthError', async () => {
    server.badTokens.add('token-1')
    await expect(client(server).telephony.startPstn({ phoneNumber: '14082924837' })).rejects.toThrow(AuthError)
  })
})

describe('stop', () => {
  it('stops by id (POST operation stop) and returns the summary info', async () => {
    const symbl = client(server)
    const connection = await symbl.telephony.startPstn({ phoneNumber: '+14082924837' })
    const result = await symbl.telephony.stop(connection.connectionId)
    expect(server.rest[1].body).toEqual({ operation: 'stop', connectionId: connection.connectionId })
    expect(result.conversationId).toBe(connection.conversationId)
    expect(result.summaryInfo?.[0].url).toMatch(/^https:/)
    expect(server.telephony.get(connection.connectionId)!.stopped).toBe(true)
  })

  it('connection.stop() stops once, and an unknown id is a NotFoundError', async () => {
    const symbl = client(server)
    const connection = await symbl.telephony.startSip({ uri: 'sip:555@example.com' })
    expect(connection.stop()).toBe(connection.stop())
    await connection.stop()
    expect(server.rest.filter((r) => (r.body as { operation?: string }).operation === 'stop')).toHaveLength(1)
    await expect(symbl.telephony.stop('00000000-0000-0000-0000-000000000000')).rejects.toThrow(NotFoundError)
    await expect(symbl.telephony.stop('' as string)).rejects.toThrow(ValidationError)
  })
})

describe('live events over the subscribe socket', () => {
  it('opens /session/subscribe/{connectionId} in the background on the first listener and delivers each event type', async () => {
    const symbl = client(server)
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    const seen: string[] = []
    connection.subscribe({
      transcript_response: (f) => seen.push(`transcript:${f.payload.content}:${f.isFinal}`),
      message_response: (f) => seen.push(`message:${f.messages[0].payload.content}`),
      insight_response: (f) => seen.push(`insight:${f.insights[0].type}`),
    })
    await until(() => (server.subscribers.get(connection.connectionId)?.length ?? 0) === 1, 'subscriber')
    expect(server.handshakes[0]).toMatchObject({ path: `/session/subscribe/${connection.connectionId}`, token: 'token-1', status: 101 })
    const ws = server.subscribers.get(connection.connectionId)![0]
    server.send(ws, { type: 'transcript_response', isFinal: false, payload: { content: 'so the next' } })
    server.send(ws, { type: 'message_response', messages: [{ id: '1', payload: { content: 'So the next step is.' } }] })
    server.send(ws, { type: 'insight_response', insights: [{ type: 'action_item', payload: { content: 'x' } }] })
    server.send(ws, { type: 'topic_response', topics: [{ phrases: 'next step' }] })
    await until(() => seen.length === 3, 'events')
    // topic_response came before anyone listened: kept for the first listener.
    const topics: string[] = []
    connection.on('topic_response', (f) => topics.push(f.topics[0].phrases))
    await until(() => topics.length === 1, 'replayed topic')
    expect(seen).toEqual(['transcript:so the next:false', 'message:So the next step is.', 'insight:action_item'])
    expect(topics).toEqual(['next step'])
    const closed = new Promise((r) => connection.once('close', r))
    await connection.stop()
    await closed
  })

  it('reports malformed and error frames as typed errors without closing, and reopens a dropped socket', async () => {
    const symbl = client(server)
    symbl.telephony.socketOptions = { reconnect: { initialDelayMs: 1, maxDelayMs: 2 } }
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    const errors: Error[] = []
    connection.on('error', (e) => errors.push(e))
    await until(() => (server.subscribers.get(connection.connectionId)?.length ?? 0) === 1, 'subscriber')
    const ws = server.subscribers.get(connection.connectionId)![0]
    server.send(ws, 'not json')
    server.send(ws, Buffer.from([0]))
    server.send(ws, { type: 'message', message: { type: 'error', message: 'call failed' } })
    await until(() => errors.length === 3, 'errors')
    expect(errors[0]).toBeInstanceOf(MalformedFrameError)
    expect(errors[1]).toBeInstanceOf(MalformedFrameError)
    expect(errors[2]).toBeInstanceOf(ConnectionError)
    expect(errors[2].message).toMatch(/call failed/)
    ws.terminate()
    await until(() => (server.subscribers.get(connection.connectionId)?.length ?? 0) === 2, 'reopened subscriber')
    const frames: unknown[] = []
    connection.on('message_response', (f) => frames.push(f))
    server.send(server.subscribers.get(connection.connectionId)![1], { type: 'message_response', messages: [] })
    await until(() => frames.length === 1, 'frame on the new socket')
    await connection.stop()
  })

  it('pushes speaker events over REST (contract 5.3) and validates them', async () => {
    const symbl = client(server)
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    await connection.pushSpeakerEvent({
      type: 'started_speaking',
      user: { userId: 'john@example.com', name: 'John' },
      timestamp: '2021-02-04T20:34:59.029Z',
    })
    expect(server.rest.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v1/event/${connection.connectionId}`,
      body: {
        topic: 'speaker',
        type: 'started_speaking',
        user: { userId: 'john@example.com', name: 'John' },
        timestamp: '2021-02-04T20:34:59.029Z',
      },
    })
    await connection.pushSpeakerEvent({ type: 'left', user: { name: 'John' } })
    expect(Date.parse((server.rest.at(-1)!.body as { timestamp: string }).timestamp)).not.toBeNaN()
    await expect(connection.pushSpeakerEvent({ type: 'talking' as never, user: {} })).rejects.toThrow(/speaker event needs type/)
    await expect(connection.pushSpeakerEvent({ type: 'joined' } as never)).rejects.toThrow(/needs user/)
  })
})

describe('review fixes', () => {
  it('accepts languages in both shapes of contract 5.1 and sends them as given', async () => {
    const symbl = client(server)
    await symbl.telephony.startPstn({ phoneNumber: '14082924837', languages: [{ code: 'es-US' }] })
    expect((server.rest[0].body as { languages: unknown }).languages).toEqual([{ code: 'es-US' }])
    await symbl.telephony.startPstn({ phoneNumber: '14082924837', languages: ['es-US'] })
    expect((server.rest[1].body as { languages: unknown }).languages).toEqual(['es-US'])
    await expect(symbl.telephony.startPstn({ phoneNumber: '14082924837', languages: [{ code: '' }] as never })).rejects.toThrow(
      /languages must be/,
    )
    await expect(symbl.telephony.startPstn({ phoneNumber: '14082924837', languages: [{}] as never })).rejects.toThrow(ValidationError)
  })

  it('reports frames named like its own events and transcript frames without payload.content, instead of emitting them', async () => {
    const symbl = client(server)
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    const errors: Error[] = []
    const closes: unknown[] = []
    const transcripts: unknown[] = []
    connection.on('error', (e) => errors.push(e))
    connection.on('close', (info) => closes.push(info))
    connection.on('transcript_response', (f) => transcripts.push(f.payload.content))
    await until(() => (server.subscribers.get(connection.connectionId)?.length ?? 0) === 1, 'subscriber')
    const ws = server.subscribers.get(connection.connectionId)![0]
    server.send(ws, { type: 'close', code: 4000 })
    server.send(ws, { type: 'open' })
    server.send(ws, { type: 'transcript_response', isFinal: true })
    server.send(ws, { type: 'message_response' })
    server.send(ws, { type: 'transcript_response', isFinal: true, payload: { content: 'ok' } })
    await until(() => transcripts.length === 1, 'the valid transcript')
    expect(closes).toEqual([])
    expect(errors).toHaveLength(4)
    for (const e of errors) expect(e).toBeInstanceOf(MalformedFrameError)
    expect(errors[2].message).toMatch(/transcript_response frame without a string `payload.content`/)
    await connection.stop()
    expect(closes).toEqual([{ code: 1000, reason: 'closed' }])
  })

  it('stopping a call while its subscribe socket is being opened does not crash (the still-connecting socket is closed quietly)', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let calls = 0
    const symbl = client(server, { accessToken: undefined, tokenProvider: async () => (calls++ ? (await gate, 'token-1') : 'token-1') })
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    symbl.tokens.invalidate('token-1')
    connection.on('transcript_response', () => {})
    const stopped = connection.stop()
    release()
    await stopped
    // The socket was created after the stop and abandoned at once; `ws` emits an error for it on the
    // next tick, which used to be thrown for want of a listener (an uncaught exception).
    await new Promise((r) => setTimeout(r, 100))
    expect(server.subscribers.get(connection.connectionId) ?? []).toEqual([])
  })
})
