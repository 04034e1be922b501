// Trackers: each vocabulary phrase is matched against every message. An exact match (case-
// insensitive, on word boundaries) reports its character offset; a fuzzy match reports offset -1,
// as the contract says (4.11). Fuzzy = most of the phrase's content words appear, stemmed, in one
// sentence of the message, in any order ("I like it" ~ "I really like how it works").

import { stableNumericId } from '../ids.js'
import type { StoredMessage, TrackerSpec } from '../types.js'
import type { Insight } from './insights.js'
import { STOPWORDS, normalize, splitSentences, stem, tokenize } from './sentences.js'

export interface TrackerMatch {
  type: 'vocabulary'
  value: string
  messageRefs: Array<{ id: string; text: string; offset: number }>
  insightRefs: Array<{ id: string; type: string; text: string; offset: number }>
}

export interface TrackerResult {
  id: string
  name: string
  matches: TrackerMatch[]
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function exactOffset(text: string, phrase: string): number {
  const re = new RegExp(`(?<![\\w])${escape(phrase.trim())}(?![\\w])`, 'i')
  const m = re.exec(text)
  return m ? m.index : -2
}

function contentStems(text: string): string[] {
  const words = tokenize(text).map((t) => normalize(t.word))
  const content = words.filter((w) => w && !STOPWORDS.has(w))
  // A phrase made only of stopwords ("I like it") keeps all its words.
  return (content.length ? content : words.filter(Boolean)).map(stem)
}

function fuzzy(text: string, phrase: string): boolean {
  const wanted = contentStems(phrase)
  if (!wanted.length) return false
  for (const sentence of splitSentences(text)) {
    const have = new Set(tokenize(sentence.text).map((t) => stem(t.word)))
    const hits = wanted.filter((w) => have.has(w)).length
    const needed = wanted.length <= 2 ? wanted.length : Math.ceil(wanted.length * 0.75)
    if (hits >= needed) return true
  }
  return false
}

export function matchTrackers(conversationId: string, trackers: TrackerSpec[], messages: StoredMessage[], insights: Insight[]): TrackerResult[] {
  const out: TrackerResult[] = []
  for (const tracker of trackers) {
    const matches: TrackerMatch[] = []
    for (const value of tracker.vocabulary) {
      const match: TrackerMatch = { type: 'vocabulary', value, messageRefs: [], insightRefs: [] }
      for (const message of messages) {
        if (message.unrecognised) continue
        const exact = exactOffset(message.text, value)
        const offset = exact >= 0 ? exact : fuzzy(message.text, value) ? -1 : -2
        if (offset < -1) continue
        match.messageRefs.push({ id: message.id, text: message.text, offset })
        for (const insight of insights) {
          if (insight.messageId !== message.id) continue
          const io = exactOffset(insight.text, value)
          match.insightRefs.push({ id: insight.id, type: insight.type, text: insight.text, offset: io >= 0 ? io : -1 })
        }
      }
      if (match.messageRefs.length) matches.push(match)
    }
    if (matches.length) out.push({ id: stableNumericId(`${conversationId}:tracker:${tracker.name}`), name: tracker.name, matches })
  }
  return out
}
