// A short extractive summary: sentences are scored by how many topic words they carry plus a bonus
// for sentences that are insights (decisions and tasks are what summaries keep); the best ones are
// returned in their original order. Nothing is paraphrased, so nothing is invented.

import { stableNumericId } from '../ids.js'
import type { StoredMessage } from '../types.js'
import type { Insight } from './insights.js'
import { splitSentences, stem, tokenize } from './sentences.js'
import type { Topic } from './topics.js'

export interface SummaryItem {
  id: string
  text: string
  messageRefs: Array<{ id: string }>
  startTime?: string
  endTime?: string
}

export function summarize(conversationId: string, messages: StoredMessage[], topics: Topic[], insights: Insight[]): SummaryItem[] {
  const topicStems = new Set(topics.flatMap((t) => t.stems))
  const insightTexts = new Set(insights.filter((i) => i.type !== 'question').map((i) => i.text))
  const scored: Array<{ text: string; message: StoredMessage; score: number; order: number }> = []
  let order = 0
  for (const message of messages) {
    if (message.unrecognised) continue
    for (const s of splitSentences(message.text)) {
      const words = tokenize(s.text)
      if (words.length < 4) continue
      const topical = words.filter((w) => topicStems.has(stem(w.word))).length
      const score = topical / Math.sqrt(words.length) + (insightTexts.has(s.text) ? 1 : 0) - (s.text.endsWith('?') ? 0.5 : 0)
      scored.push({ text: s.text, message, score, order: order++ })
    }
  }
  const keep = Math.min(5, Math.max(1, Math.ceil(scored.length / 5)))
  return scored
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, keep)
    .sort((a, b) => a.order - b.order)
    .map((s) => ({
      id: stableNumericId(`${conversationId}:summary:${s.message.id}:${s.order}`),
      text: s.text,
      messageRefs: [{ id: s.message.id }],
      startTime: new Date(s.message.startMs).toISOString(),
      endTime: new Date(s.message.endMs).toISOString(),
    }))
}
