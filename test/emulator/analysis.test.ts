// The analysis on conversations written for the tests: every expectation comes from the text.

import { describe, expect, it } from 'vitest'
import { analyse } from '../../src/emulator/core/analysis/index.js'
import { sentimentOf } from '../../src/emulator/core/analysis/sentiment.js'
import { findDates } from '../../src/emulator/core/analysis/dates.js'
import { formatTranscript } from '../../src/emulator/core/analysis/transcript.js'
import { Store } from '../../src/emulator/core/store.js'
import { parseOptions } from '../../src/emulator/core/options.js'
import type { Conversation } from '../../src/emulator/index.js'

const T0 = Date.UTC(2024, 4, 6, 10, 0, 0) // Monday 2024-05-06

function conversation(lines: Array<[string, string, number, number]>, extra: Record<string, unknown> = {}): Conversation {
  const store = new Store()
  const c = store.createConversation('text', parseOptions({ detectEntities: true, ...extra }), T0)
  for (const [who, text, start, end] of lines) {
    c.messages.push({
      id: String(c.messages.length + 1),
      text,
      from: store.member(c, { name: who, userId: `${who.toLowerCase()}@example.com` }),
      startMs: T0 + start * 1000,
      endMs: T0 + end * 1000,
      origin: 'text',
    })
  }
  return c
}

const call = conversation(
  [
    ['Lucy', 'Good morning Vikram. Did you get a chance to look at the hackathon budget?', 0, 4],
    ['Vikram', 'Yes, I reviewed it yesterday and the numbers look great.', 5, 9],
    ['Lucy', 'Vikram will draft the hackathon plan for customers by Friday.', 8, 12],
    ['Vikram', 'Sure. I will also follow up with Acme Corporation about the venue in Paris tomorrow.', 13, 18],
    ['Lucy', 'This delay is terrible and the vendor was awful to us.', 20, 24],
    ['Vikram', 'What is the price of the premium package?', 25, 28],
  ],
  {
    trackers: [
      { name: 'Pricing', vocabulary: ['premium package', 'the package price'] },
      { name: 'Absent', vocabulary: ['kubernetes'] },
    ],
    entities: [{ customType: 'Event', text: 'hackathon' }],
  },
)

describe('emulator analysis', () => {
  const a = analyse(call)

  it('finds questions by punctuation and interrogatives', () => {
    const questions = a.insights.filter((i) => i.type === 'question').map((i) => i.text)
    expect(questions).toEqual(['Did you get a chance to look at the hackathon budget?', 'What is the price of the premium package?'])
  })

  it('finds action items with assignee and due date from the text', () => {
    const items = a.insights.filter((i) => i.type === 'action_item')
    expect(items).toHaveLength(1)
    expect(items[0].text).toBe('Vikram will draft the hackathon plan for customers by Friday.')
    expect(items[0].assignee?.name).toBe('Vikram')
    expect(items[0].dueBy).toBe('2024-05-10T00:00:00.000Z') // the Friday after Monday 6 May 2024
    expect(items[0].phrases[0].text).toBe('draft the hackathon plan for customers')
  })

  it('classifies a promised follow-up as follow_up with the speaker as assignee', () => {
    const follow = a.insights.filter((i) => i.type === 'follow_up')
    expect(follow).toHaveLength(1)
    expect(follow[0].assignee?.name).toBe('Vikram')
    expect(follow[0].dueBy).toBe('2024-05-07T00:00:00.000Z') // tomorrow
  })

  it('gives sentiment the sign of the words', () => {
    expect(sentimentOf('Yes, I reviewed it yesterday and the numbers look great.').suggested).toBe('positive')
    expect(sentimentOf('This delay is terrible and the vendor was awful to us.').suggested).toBe('negative')
    expect(sentimentOf('The meeting is on Tuesday.').suggested).toBe('neutral')
  })

  it('extracts people, organisations, places, dates and custom entities', () => {
    const ents = a.entities()
    const has = (type: string, value: string): boolean =>
      ents.some((e) => e.type === type && e.value.toLowerCase().includes(value.toLowerCase()))
    expect(has('person', 'Vikram')).toBe(true)
    expect(has('organization', 'Acme')).toBe(true)
    expect(has('location', 'Paris')).toBe(true)
    expect(has('date', '2024-05-07')).toBe(true)
    const custom = ents.find((e) => e.type === 'custom')
    expect(custom?.customType).toBe('Event')
    expect(custom?.messageRefs.map((r) => r.id)).toEqual(['1', '3'])
    expect(custom?.messageRefs[0].offset).toBe('Good morning Vikram. Did you get a chance to look at the '.length)
  })

  it('matches trackers exactly (offset) and fuzzily (offset -1)', () => {
    expect(a.trackers.map((t) => t.name)).toEqual(['Pricing'])
    const [exact, fuzzy] = a.trackers[0].matches
    expect(exact.value).toBe('premium package')
    expect(exact.messageRefs[0]).toMatchObject({ id: '6', offset: 'What is the price of the '.length })
    expect(exact.insightRefs[0].type).toBe('question')
    expect(fuzzy.value).toBe('the package price')
    expect(fuzzy.messageRefs.every((r) => r.offset === -1)).toBe(true)
  })

  it('computes analytics whose percentages add up', () => {
    const m = Object.fromEntries(a.analytics.metrics.map((x) => [x.type, x]))
    // Span 0..28 s; talk = union of [0,4] [5,12] [13,18] [20,24] [25,28] = 4+7+5+4+3 = 23 s; overlap [8,9] = 1 s.
    expect(m.total_talk_time.seconds).toBe(23)
    expect(m.total_silence.seconds).toBe(5)
    expect(m.total_overlap.seconds).toBe(1)
    expect(m.total_talk_time.percent + m.total_silence.percent).toBe(100)
    for (const member of a.analytics.members as any[]) {
      expect(member.talkTime.percentage + member.listenTime.percentage).toBeCloseTo(100, 9)
      expect(member.talkTime.seconds + member.listenTime.seconds).toBeCloseTo(23, 9)
      expect(member.overlap.overlapDuration).toBe(1)
    }
    const lucy = (a.analytics.members as any[]).find((x) => x.name === 'Lucy')
    expect(lucy.talkTime.seconds).toBe(12) // [0,4] [8,12] [20,24]
    expect(lucy.pace.wpm).toBe(Math.round((14 + 10 + 11) / (12 / 60)))
  })

  it('summarises extractively with sentences of the conversation', () => {
    const summary = a.summary()
    expect(summary.length).toBeGreaterThan(0)
    const all = call.messages.map((m) => m.text).join(' ')
    for (const s of summary) expect(all).toContain(s.text)
  })

  it('finds topics from repeated key phrases', () => {
    expect(a.topics.map((t) => t.text)).toContain('hackathon plan')
    expect(a.topics.every((t) => t.score > 0 && t.score < 1)).toBe(true)
  })

  it('resolves dates relative to the message time', () => {
    expect(findDates('by end of the month', T0)[0].value).toBe('2024-05-31')
    expect(findDates('on June 22nd', T0)[0].value).toBe('2024-06-22')
  })

  it('formats SRT and markdown transcripts', () => {
    const srt = formatTranscript(call.messages.slice(0, 2), T0, { contentType: 'text/srt' })
    expect(srt.startsWith('1\n00:00:00,000 --> 00:00:04,000\nLucy: Good morning')).toBe(true)
    expect(srt).toContain('2\n00:00:05,000 --> 00:00:09,000\nVikram: ')
    const md = formatTranscript(call.messages.slice(0, 2), T0, { contentType: 'text/markdown', highlight: ['hackathon budget'] })
    expect(md).toContain('<mark>hackathon budget</mark>')
    expect(md.split('<br/><br/>')).toHaveLength(2)
  })
})
