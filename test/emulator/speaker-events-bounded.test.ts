// PUT /v1/conversations/{id}/speakers on the largest conversation the emulator keeps (100 000 messages)
// with the most events it keeps (1 000): every turn may overlap every message (1 000 users starting at
// once). Before, each PUT took ~10 s of blocked event loop on this input (a Map of per-user sums for
// every message); the test does not time anything: four such PUTs ran past the test timeout.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applySpeakerEvents, storeSpeakerEvents } from '../../src/emulator/core/speaker-events.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, token } from './helpers.js'

const started = (name: string, seconds: number) => ({ type: 'started_speaking', user: { name }, offset: { seconds, nanos: 0 } })
const stopped = (name: string, seconds: number) => ({ type: 'stopped_speaking', user: { name }, offset: { seconds, nanos: 0 } })

describe('PUT …/speakers with 1 000 users starting at once on 100 000 messages', () => {
  let emu: RunningEmulator
  let tok: string
  let id: string
  beforeAll(async () => {
    emu = await startEmulator({ jobDelayMs: 0 })
    tok = await token(emu)
    const messages = Array.from({ length: 100_000 }, () => ({ payload: { content: 'hi' }, from: { name: 'A' } }))
    const r = await api(emu, tok, 'POST', '/v1/process/text', { messages })
    expect(r.status).toBe(201)
    id = r.body.conversationId
    await emu.core.idle()
  })
  afterAll(() => emu.close())

  it('applies each PUT and answers the next request', async () => {
    for (const prefix of ['U', 'V', 'W', 'X']) {
      const events = Array.from({ length: 1000 }, (_, i) => started(`${prefix}${i}`, 0))
      const r = await api(emu, tok, 'PUT', `/v1/conversations/${id}/speakers`, { speakerEvents: events })
      expect(r.status).toBe(200)
    }
    // The latest 1 000 events are kept: X0…X999 all start at 0 and never stop; on a tie the turn that
    // started first (in event order) takes the message.
    const first = await api(emu, tok, 'GET', `/v1/conversations/${id}/messages?limit=1`)
    expect(first.body.messages[0].from.name).toBe('X0')
    expect((await api(emu, tok, 'GET', '/v1/conversations')).status).toBe(200)
  })
})

describe('applySpeakerEvents', () => {
  const store = {
    member(c: { members: Array<Record<string, unknown>> }, u: Record<string, unknown>) {
      const m = { id: `m${c.members.length}`, ...u }
      c.members.push(m)
      return m
    },
    touch() {},
  }
  const conversation = (messages: Array<[number, number]>, events: object[]) => {
    const c = {
      startMs: 1000,
      members: [{ id: 'orig', name: 'orig' }],
      speakerEvents: [],
      messages: messages.map(([s, e], i) => ({ id: `${i}`, startMs: 1000 + s, endMs: 1000 + e, from: { id: 'orig', name: 'orig' } })),
    }
    storeSpeakerEvents(c as never, events)
    return c
  }
  const names = (c: { messages: Array<{ from: { name?: string } }> }) => c.messages.map((m) => m.from.name)

  it('gives a message across turns to the user covering most of it, a message inside one turn to that turn', () => {
    const c = conversation(
      [
        [0, 1000],
        [1500, 4500],
        [4600, 4600],
        [9000, 9500],
      ],
      [started('Ann', 0), started('Bob', 2), stopped('Bob', 5), started('Cy', 8)],
    )
    applySpeakerEvents(store as never, c as never)
    expect(names(c)).toEqual(['Ann', 'Bob', 'Bob', 'Cy'])
  })

  it('on overlapping turns and a tie, the turn that started first wins; untouched messages keep their speaker', () => {
    const c = conversation(
      [
        [0, 500],
        [1000, 3000],
        [6000, 7000],
      ],
      [started('Bob', 1), started('Ann', 1), stopped('Ann', 3), stopped('Bob', 5), started('Ann', 2), stopped('Ann', 3)],
    )
    applySpeakerEvents(store as never, c as never)
    expect(names(c)).toEqual(['orig', 'Bob', 'orig'])
  })

  it('500 overlapping turns and 100 000 messages across all of them', () => {
    const events = Array.from({ length: 500 }, (_, i) => [started(`U${i}`, i), stopped(`U${i}`, 2000)]).flat()
    const c = conversation(
      Array.from({ length: 100_000 }, () => [0, 2_000_000] as [number, number]),
      events,
    )
    applySpeakerEvents(store as never, c as never)
    // U0 covers 2000 s, the others less.
    expect(new Set(names(c))).toEqual(new Set(['U0']))
  })
})

describe('telephony speaker events in the same conversation', () => {
  it('a pushed event with an offset and no user does not break PUT …/speakers (it answered 500 from then on)', async () => {
    const emu = await startEmulator({ jobDelayMs: 0 })
    try {
      const tok = await token(emu)
      const call = await api(emu, tok, 'POST', '/v1/endpoint:connect', {
        operation: 'start',
        endpoint: { type: 'pstn', phoneNumber: '15550002222' },
      })
      const { connectionId, conversationId } = call.body
      const pushed = [
        { type: 'started_speaking', offset: {} },
        { type: 'started_speaking', offset: null, user: { name: 'Tel' } },
        { type: 'started_speaking', user: { name: 'Tel' }, offset: { seconds: 0 }, timestamp: '2021-02-04T20:34:59.029Z' },
      ]
      for (const event of pushed) expect((await api(emu, tok, 'POST', `/v1/event/${connectionId}`, event)).status).toBe(200)
      const put = await api(emu, tok, 'PUT', `/v1/conversations/${conversationId}/speakers`, {
        speakerEvents: [started('Ann', 0)],
      })
      expect(put.status).toBe(200)
      // The pushed events are kept (bounded) but not applied: no member "Tel".
      const members = await api(emu, tok, 'GET', `/v1/conversations/${conversationId}/members`)
      expect(members.body.members.map((m: { name: string }) => m.name)).not.toContain('Tel')
    } finally {
      await emu.close()
    }
  })
})

describe('PUT …/speakers with more events than are kept', () => {
  it("answers 400 naming the limit instead of dropping the request's own first events", async () => {
    const emu = await startEmulator({ jobDelayMs: 0 })
    try {
      const tok = await token(emu)
      const r = await api(emu, tok, 'POST', '/v1/process/text', { messages: [{ payload: { content: 'hi' }, from: { name: 'A' } }] })
      const events = Array.from({ length: 1001 }, (_, i) => started(`U${i}`, i))
      const put = await api(emu, tok, 'PUT', `/v1/conversations/${r.body.conversationId}/speakers`, { speakerEvents: events })
      expect(put.status).toBe(400)
      expect(put.body.message).toContain('at most 1000')
      const ok = await api(emu, tok, 'PUT', `/v1/conversations/${r.body.conversationId}/speakers`, { speakerEvents: events.slice(1) })
      expect(ok.status).toBe(200)
    } finally {
      await emu.close()
    }
  })
})
