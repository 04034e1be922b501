// Sentiment of long adversarial text stays linear and bounded (the probe after issue 11): a run of
// spaces after "although" made a rewrite backtrack quadratically, and a long comma-separated run turned
// into "but"s made vader-sentiment's "but" rule quadratic (100 KB: seconds; 1 MB: many minutes). The
// tests do not time anything: the inputs below would run far past the test timeout with quadratic work.

import { describe, expect, it } from 'vitest'
import {
  averageSentiment,
  MAX_SCORED_CHARS,
  MAX_SENTENCE_CHARS,
  sentimentOf,
  topicSentiment,
} from '../../src/emulator/core/analysis/sentiment.js'
import { api, sharedEmulator } from './helpers.js'

describe('sentimentOf on long adversarial text', () => {
  it('scores "although" followed by a million spaces', () => {
    expect(sentimentOf(`although${' '.repeat(1_000_000)}x`).suggested).toBe('neutral')
  })

  it('scores 2 MB of "x, x, …, although x" (contrast rewrites feeding VADER\'s "but" rule)', () => {
    expect(sentimentOf(`${'x, '.repeat(700_000)}, although x`).polarity.score).toBe(0)
    expect(sentimentOf('it is great, although it is bad, '.repeat(60_000)).suggested).toBeDefined()
  })

  it('keeps the reading of a long run-on text scored in pieces', () => {
    const run = 'the service is terrible and the support is awful and '.repeat(200)
    expect(run.length).toBeGreaterThan(MAX_SENTENCE_CHARS * 5)
    expect(sentimentOf(run).suggested).toBe('negative')
    expect(sentimentOf('the team is great and the product is wonderful and '.repeat(200)).suggested).toBe('positive')
    // A short sentence is scored as before.
    expect(sentimentOf('This is really frustrating.').suggested).toBe('negative')
  })

  it('scores only the first MAX_SCORED_CHARS of one message', () => {
    const opening = 'We love this product, it is wonderful. '.repeat(Math.ceil(MAX_SCORED_CHARS / 39))
    const tail = 'It is terrible and awful. '.repeat(200_000)
    expect(sentimentOf(opening + tail).suggested).toBe('positive')
    expect(sentimentOf(tail).suggested).toBe('negative')
  })
})

describe('GET …/messages?sentiment=true of adversarial long messages', () => {
  const shared = sharedEmulator()

  it('answers, then answers the next request', async () => {
    const r = await api(shared.emu, shared.tok, 'POST', '/v1/process/text', {
      messages: [
        { payload: { content: `Although${' '.repeat(1_000_000)}fine` }, from: { name: 'Ann' } },
        { payload: { content: `${'x, '.repeat(600_000)}although x` }, from: { name: 'Bob' } },
      ],
    })
    expect(r.status).toBe(201)
    await shared.emu.core.idle()
    const messages = await api(shared.emu, shared.tok, 'GET', `/v1/conversations/${r.body.conversationId}/messages?sentiment=true`)
    expect(messages.status).toBe(200)
    expect(messages.body.messages).toHaveLength(2)
    expect(messages.body.messages[0].sentiment.suggested).toBe('neutral')
    expect((await api(shared.emu, shared.tok, 'GET', '/v1/conversations')).status).toBe(200)
  })
})

describe('sentiment scores are remembered', () => {
  it('scores a text once: the next request for the same message does no VADER work, and gets its own copy', async () => {
    const { default: vader } = await import('vader-sentiment')
    const analyzer = vader.SentimentIntensityAnalyzer as { polarity_scores: (t: string) => { compound: number } }
    const original = analyzer.polarity_scores
    let calls = 0
    analyzer.polarity_scores = (t: string) => (calls++, original(t))
    try {
      const text = `${'The rollout went really well and the team is happy. '.repeat(400)}${Math.random()}`
      const first = sentimentOf(text)
      expect(calls).toBeGreaterThan(0)
      const scored = calls
      const again = sentimentOf(text)
      expect(calls).toBe(scored) // before: every GET …?sentiment=true scored every message again
      expect(again).toEqual(first)
      again.polarity.score = 99
      expect(sentimentOf(text).polarity.score).toBe(first.polarity.score)
    } finally {
      analyzer.polarity_scores = original
    }
  })

  it('topicSentiment averages the messages a topic names, as the per-message scores do', () => {
    const messages = [
      { id: 'a', text: 'This is really frustrating.' },
      { id: 'b', text: 'Thank you so much, that is wonderful!' },
      { id: 'c', text: 'The meeting is at noon.' },
    ]
    const expected = averageSentiment([sentimentOf(messages[0]!.text), sentimentOf(messages[1]!.text)])
    expect(topicSentiment(messages, ['b', 'a', 'x'])).toEqual(expected)
    expect(topicSentiment(messages, [])).toEqual(averageSentiment([]))
  })
})
