// One long message (or very many) must not hang the emulator: the analyses are linear passes, and
// compromise (entities) runs on bounded chunks within a per-conversation budget. The test does not
// time anything: it shows that a 500 KB message is analysed by every endpoint and that the server
// answers the next request, on a run that would take minutes (and gigabytes) with unbounded work.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findDates } from '../../src/emulator/core/analysis/dates.js'
import { chunks, extractEntities, NLP_BUDGET_CHARS, REF_WINDOW_CHARS } from '../../src/emulator/core/analysis/entities.js'
import type { StoredMessage } from '../../src/emulator/core/types.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, token } from './helpers.js'

describe('bounded analysis helpers', () => {
  it('chunks cover the text exactly, each at most the size, cut at sentence ends or spaces', () => {
    const text = 'Jane met Bob in Paris. '.repeat(500) + 'x'.repeat(5000)
    const parts = chunks(text, 2000)
    expect(parts.map((p) => p.text).join('')).toBe(text)
    for (const p of parts) {
      expect(p.text.length).toBeLessThanOrEqual(2000)
      expect(text.slice(p.offset, p.offset + p.text.length)).toBe(p.text)
    }
    expect(parts[0].text.endsWith('Paris.')).toBe(true)
  })

  it('findDates finds every one of 50,000 mentions, without overlaps', () => {
    const text = 'today tomorrow '.repeat(25_000)
    const found = findDates(text, Date.UTC(2024, 0, 1))
    expect(found).toHaveLength(50_000)
    expect(found[1]).toEqual({ text: 'tomorrow', offset: 6, value: '2024-01-02' })
    expect(new Set(found.map((f) => f.offset)).size).toBe(50_000)
  })

  // Each name position used to be compared with every person found before it in the message: 40 000
  // took 5 s, so these 200 000 ran past the test timeout (a 1 MB message blocked the emulator 15 s).
  it('people in name positions: 200,000 in one 3 MB message, and one inside a member name is not a person of its own', () => {
    const text = `${'thanks Xavier. '.repeat(200_000)}${'with Ann and Bo. '.repeat(1000)}`
    const message: StoredMessage = { id: 'm1', text, from: { id: 's1', name: 'Jane' }, startMs: 0, endMs: 1000, origin: 'text' }
    const entities = extractEntities([message], [], ['Ann and Bo'])
    const people = new Map(entities.filter((e) => e.type === 'person').map((e) => [e.value, e.messageRefs]))
    expect([...people.keys()].sort()).toEqual(['Ann and Bo', 'Xavier'])
    expect(people.get('Xavier')).toHaveLength(200_000)
    expect(people.get('Ann and Bo')).toHaveLength(1000)
    const last = people.get('Xavier')!.at(-1)!
    expect(last.text.slice(last.offset).startsWith('Xavier')).toBe(true)
  })
})

describe('a 500 KB message', () => {
  let emu: RunningEmulator
  let tok: string
  let id: string
  beforeAll(async () => {
    emu = await startEmulator({ jobDelayMs: 0 })
    tok = await token(emu)
    const line = 'Jane Smith from Acme Corp will send the report to Bob in Paris and we paid $300 for 12 widgets, can you review it? '
    const text = `${line.repeat(Math.ceil(500_000 / line.length))}Let us meet tomorrow.`
    const r = await api(emu, tok, 'POST', '/v1/process/text', {
      detectEntities: true,
      trackers: [{ name: 'Report', vocabulary: ['send the report', 'price of the widgets'] }],
      entities: [{ customType: 'Product', text: 'widgets' }],
      messages: [
        { payload: { content: text }, from: { name: 'Jane Smith' } },
        { payload: { content: 'Sure, I will.' }, from: { name: 'Bob' } },
      ],
    })
    expect(r.status).toBe(201)
    id = r.body.conversationId
    await emu.core.idle()
  })
  afterAll(() => emu.close())

  it('answers /entities (people from the bounded NLP pass, dates and custom entities from all of it), then the next request', async () => {
    const r = await api(emu, tok, 'GET', `/v1/conversations/${id}/entities`)
    expect(r.status).toBe(200)
    const entities = r.body.entities as Array<{
      type: string
      value: string
      customType?: string
      messageRefs: Array<{ text: string; offset: number }>
    }>
    const person = entities.find((e) => e.type === 'person' && e.value === 'Jane Smith')!
    expect(person.messageRefs.length).toBeGreaterThan(4000) // members' names: all the text
    // compromise saw at most the budget: organisations come from its first characters only.
    const orgRefs = entities.filter((e) => e.type === 'organization').flatMap((e) => e.messageRefs)
    expect(orgRefs.length).toBeGreaterThan(0)
    expect(orgRefs.length).toBeLessThanOrEqual(Math.ceil(NLP_BUDGET_CHARS / 100))
    // Refs of a long message carry a window of text around the mention, not 500 KB each.
    for (const ref of person.messageRefs) {
      expect(ref.text.length).toBeLessThanOrEqual(2 * REF_WINDOW_CHARS + 'Jane Smith'.length)
      expect(ref.text.slice(ref.offset).startsWith('Jane Smith')).toBe(true)
    }
    const date = entities.find((e) => e.type === 'date')!
    expect(date.messageRefs.some((ref) => ref.text.endsWith('Let us meet tomorrow.') && ref.text.slice(ref.offset) === 'tomorrow.')).toBe(
      true,
    )
    const custom = entities.find((e) => e.customType === 'Product')!
    expect(custom.messageRefs.length).toBeGreaterThan(4000)
    expect((await api(emu, tok, 'GET', '/v1/conversations')).status).toBe(200)
  })

  it('answers every other analysis of it', async () => {
    for (const path of [
      'questions',
      'action-items',
      'follow-ups',
      'topics?sentiment=true',
      'trackers',
      'analytics',
      'summary',
      'callscore',
      'messages?sentiment=true&verbose=true',
    ]) {
      const r = await api(emu, tok, 'GET', `/v1/conversations/${id}/${path}`)
      expect(r.status, path).toBe(200)
    }
    const transcript = await api(emu, tok, 'POST', `/v1/conversations/${id}/transcript`, {
      contentType: 'text/markdown',
      phrases: { highlightAllKeyPhrases: true },
    })
    expect(transcript.status).toBe(200)
    expect(transcript.body.transcript.payload).toContain('<mark>')
    const tracked = await api(emu, tok, 'GET', `/v1/conversations/${id}/trackers`)
    expect(tracked.body[0].name).toBe('Report')
  })
})

describe('very many messages', () => {
  it('analyses 30,000 one-line messages (insights with addressees, analytics over many speakers)', async () => {
    const emu = await startEmulator({ jobDelayMs: 0, maxJsonBytes: 20 * 1024 * 1024 })
    try {
      const tok = await token(emu)
      const messages = Array.from({ length: 30_000 }, (_, i) => ({
        payload: { content: 'Can you send the report tomorrow?' },
        from: { name: i % 1000 === 999 ? `Guest ${i}` : 'Ann' },
      }))
      const r = await api(emu, tok, 'POST', '/v1/process/text', { messages })
      await emu.core.idle()
      const items = await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/action-items`)
      expect(items.status).toBe(200)
      expect(items.body.actionItems).toHaveLength(30_000)
      expect(items.body.actionItems[0].assignee.name).toBe('Guest 999')
      const transcript = await api(emu, tok, 'POST', `/v1/conversations/${r.body.conversationId}/transcript`, {
        contentType: 'text/markdown',
        phrases: { highlightAllKeyPhrases: true },
      })
      expect(transcript.status).toBe(200)
      const analytics = await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/analytics`)
      expect(analytics.body.members).toHaveLength(31)
    } finally {
      await emu.close()
    }
  })
})

describe('bounded tracker phrases and custom entities', () => {
  it('refuses more than 1000 tracker phrases or custom entities, per request and after appends, naming the limit', async () => {
    const emu = await startEmulator({ jobDelayMs: 0 })
    try {
      const tok = await token(emu)
      const vocabulary = (n: number): string[] => Array.from({ length: n }, (_, i) => `phrase ${i}`)
      const messages = [{ payload: { content: 'Hello.' } }]
      const tooMany = await api(emu, tok, 'POST', '/v1/process/text', { messages, trackers: [{ name: 'A', vocabulary: vocabulary(1001) }] })
      expect(tooMany.status).toBe(400)
      expect(tooMany.body.message).toMatch(/at most 1000 vocabulary phrases in all \(got 1001\)/)
      const entities = Array.from({ length: 1001 }, (_, i) => ({ customType: 'T', text: `e${i}` }))
      expect((await api(emu, tok, 'POST', '/v1/process/text', { messages, entities })).body.message).toMatch(/at most 1000 custom entities/)
      const first = await api(emu, tok, 'POST', '/v1/process/text', { messages, trackers: [{ name: 'A', vocabulary: vocabulary(600) }] })
      expect(first.status).toBe(201)
      const append = await api(emu, tok, 'PUT', `/v1/process/text/${first.body.conversationId}`, {
        messages,
        trackers: [{ name: 'B', vocabulary: vocabulary(600) }],
      })
      expect(append.status).toBe(400)
      expect(emu.core.store.get(first.body.conversationId)!.options.trackers.map((t) => t.name)).toEqual(['A'])
    } finally {
      await emu.close()
    }
  })
})
