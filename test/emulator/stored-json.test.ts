// Client JSON the emulator keeps is checked before it is stored (depth, size), and the stores it goes
// into stay bounded: nested metadata must not poison later answers, and telephony speaker events
// (REST and the events socket) must not accumulate forever.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CONVERSATION_MESSAGES, MAX_SPEAKER_EVENTS } from '../../src/emulator/core/json-limits.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, token } from './helpers.js'

let emu: RunningEmulator
let tok: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0 })
  tok = await token(emu)
})
afterAll(() => emu.close())

const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`

async function textConversation(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await api(emu, tok, 'POST', '/v1/process/text', { messages: [{ payload: { content: 'Hello there.' } }], ...extra })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  await emu.core.idle()
  return r.body.conversationId
}

describe('metadata is validated before it is stored', () => {
  it('PUT metadata nested 5000 deep is a 400 naming the problem, and the conversation list keeps answering', async () => {
    const id = await textConversation()
    const put = await api(emu, tok, 'PUT', `/v1/conversations/${id}`, `{"metadata":${deep(5000)}}`, { 'content-type': 'application/json' })
    expect(put.status).toBe(400)
    expect(put.body.message).toMatch(/more than 64 levels deep/)
    expect((await api(emu, tok, 'GET', '/v1/conversations')).status).toBe(200)
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}`)).body.metadata).toEqual({})
    // Ordinary nesting is fine.
    expect(
      (await api(emu, tok, 'PUT', `/v1/conversations/${id}`, `{"metadata":${deep(10)}}`, { 'content-type': 'application/json' })).status,
    ).toBe(200)
  })

  it('metadata deeper than the limit in a submission query string is a 400 and creates no conversation', async () => {
    const before = emu.core.store.conversations.size
    const r = await api(emu, tok, 'POST', `/v1/process/text?metadata=${encodeURIComponent(deep(200))}`, {
      messages: [{ payload: { content: 'Hi.' } }],
    })
    expect(r.status).toBe(400)
    expect(r.body.message).toMatch(/"metadata" nests objects or arrays more than 64 levels deep/)
    expect(emu.core.store.conversations.size).toBe(before)
  })

  it('metadata over 256 KiB is a 400, also when appends would merge it past the limit', async () => {
    const id = await textConversation()
    const big = { blob: 'x'.repeat(300 * 1024) }
    const put = await api(emu, tok, 'PUT', `/v1/conversations/${id}`, { metadata: big })
    expect(put.status).toBe(400)
    expect(put.body.message).toMatch(/"metadata" must be at most 262144 bytes/)
    const half = (k: string): Record<string, string> => ({ [k]: 'y'.repeat(150 * 1024) })
    const other = await textConversation({ metadata: half('one') })
    const append = await api(emu, tok, 'PUT', `/v1/process/text/${other}`, {
      messages: [{ payload: { content: 'More.' } }],
      metadata: half('two'),
    })
    expect(append.status).toBe(400)
    expect(Object.keys((await api(emu, tok, 'GET', `/v1/conversations/${other}`)).body.metadata)).toEqual(['one'])
  })

  it('PUT /speakers refuses an oversized event and more than MAX_SPEAKER_EVENTS at once, and keeps at most MAX_SPEAKER_EVENTS', async () => {
    const id = await textConversation()
    const huge = await api(emu, tok, 'PUT', `/v1/conversations/${id}/speakers`, {
      speakerEvents: [{ type: 'started_speaking', user: { name: 'x'.repeat(10_000) } }],
    })
    expect(huge.status).toBe(400)
    expect(huge.body.message).toMatch(/"speakerEvents\[0\]" is larger than 4096 bytes/)
    const events = Array.from({ length: MAX_SPEAKER_EVENTS + 50 }, (_, i) => ({
      type: 'started_speaking',
      user: { id: `u${i}`, name: 'Ann' },
      offset: { seconds: i, nanos: 0 },
    }))
    // One PUT of more than the limit is refused (only the latest would be kept: it would drop its own first events).
    const tooMany = await api(emu, tok, 'PUT', `/v1/conversations/${id}/speakers`, { speakerEvents: events })
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.message).toMatch(new RegExp(`${MAX_SPEAKER_EVENTS}`))
    // Over several PUTs, the latest MAX_SPEAKER_EVENTS are kept.
    for (const part of [events.slice(0, MAX_SPEAKER_EVENTS), events.slice(MAX_SPEAKER_EVENTS)])
      expect((await api(emu, tok, 'PUT', `/v1/conversations/${id}/speakers`, { speakerEvents: part })).status).toBe(200)
    const kept = emu.core.store.get(id)!.speakerEvents as Array<{ user: { id: string } }>
    expect(kept).toHaveLength(MAX_SPEAKER_EVENTS)
    expect(kept.at(-1)!.user.id).toBe(`u${MAX_SPEAKER_EVENTS + 49}`)
  })
})

describe('telephony speaker events are bounded', () => {
  it('keeps the latest MAX_SPEAKER_EVENTS per call and conversation, from REST and the events socket, and refuses oversized ones', async () => {
    const start = await api(emu, tok, 'POST', '/v1/endpoint:connect', {
      operation: 'start',
      endpoint: { type: 'pstn', phoneNumber: '15550001111' },
    })
    const { connectionId, conversationId, resultWebSocketUrl } = start.body
    const big = await api(emu, tok, 'POST', `/v1/event/${connectionId}`, {
      topic: 'speaker',
      type: 'joined',
      user: { name: 'x'.repeat(5000) },
    })
    expect(big.status).toBe(400)
    expect(big.body.message).toMatch(/"event" is larger than 4096 bytes/)
    const events = await connect(resultWebSocketUrl, { protocols: [tok] })
    for (let i = 0; i < MAX_SPEAKER_EVENTS + 100; i++)
      events.ws.send(JSON.stringify({ topic: 'speaker', type: 'started_speaking', user: { id: `u${i}` } }))
    events.ws.send(JSON.stringify({ topic: 'speaker', type: 'joined', user: { name: 'y'.repeat(5000) } }))
    const error = await events.next((f) => f.type === 'message' && f.message?.type === 'error', 'error frame')
    expect(error.message.details).toMatch(/larger than 4096 bytes/)
    expect(
      (await api(emu, tok, 'POST', `/v1/event/${connectionId}`, { topic: 'speaker', type: 'left', user: { id: 'last' } })).status,
    ).toBe(200)
    const call = emu.core.telephony.calls.get(connectionId)!
    expect(call.speakerEvents).toHaveLength(MAX_SPEAKER_EVENTS)
    expect(emu.core.store.get(conversationId)!.speakerEvents).toHaveLength(MAX_SPEAKER_EVENTS)
    expect((call.speakerEvents.at(-1) as { user: { id: string } }).user.id).toBe('last')
    events.ws.close()
    await api(emu, tok, 'POST', '/v1/endpoint:connect', { operation: 'stop', connectionId })
  })
})

describe('a conversation grown by appends is bounded', () => {
  it('refuses an append past MAX_CONVERSATION_MESSAGES with a 400, and the conversation stays as it was', async () => {
    const id = await textConversation()
    const many = Array.from({ length: MAX_CONVERSATION_MESSAGES }, () => ({ payload: { content: 'x' } }))
    const r = await api(emu, tok, 'PUT', `/v1/process/text/${id}`, { messages: many })
    expect(r.status).toBe(400)
    expect(r.body.message).toMatch(/at most 100000 messages \(this append would make 100001\): start a new conversation/)
    expect(emu.core.store.get(id)!.messages).toHaveLength(1)
    expect((await api(emu, tok, 'PUT', `/v1/process/text/${id}`, { messages: [{ payload: { content: 'More.' } }] })).status).toBe(201)
  })
})
