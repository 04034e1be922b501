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

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const exactRe = (phrase: string): RegExp => new RegExp(`(?<![\\w])${escapeRegExp(phrase.trim())}(?![\\w])`, 'i')

function exactOffset(text: string, phrase: string | RegExp): number {
  const m = (typeof phrase === 'string' ? exactRe(phrase) : phrase).exec(text)
  return m ? m.index : -2
}

function contentStems(text: string): string[] {
  const words = tokenize(text).map((t) => normalize(t.word))
  const content = words.filter((w) => w && !STOPWORDS.has(w))
  // A phrase made only of stopwords ("I like it") keeps all its words.
  return (content.length ? content : words.filter(Boolean)).map(stem)
}

/** The stems of each sentence of a message: computed once per message, not once per phrase. */
type SentenceStems = (message: StoredMessage) => Array<Set<string>>

function sentenceStems(): SentenceStems {
  const cache = new Map<StoredMessage, Array<Set<string>>>()
  return (message) => {
    let sets = cache.get(message)
    if (!sets) cache.set(message, (sets = splitSentences(message.text).map((s) => new Set(tokenize(s.text).map((t) => stem(t.word))))))
    return sets
  }
}

function fuzzy(sentences: Array<Set<string>>, wanted: string[]): boolean {
  if (!wanted.length) return false
  for (const have of sentences) {
    const hits = wanted.filter((w) => have.has(w)).length
    const needed = wanted.length <= 2 ? wanted.length : Math.ceil(wanted.length * 0.75)
    if (hits >= needed) return true
  }
  return false
}

export function matchTrackers(
  conversationId: string,
  trackers: TrackerSpec[],
  messages: StoredMessage[],
  insights: Insight[],
): TrackerResult[] {
  const out: TrackerResult[] = []
  // Linear in messages x phrases, with each phrase's regex and stems and each message's sentence
  // stems and insights computed once (phrases are bounded: options.ts MAX_TRACKER_PHRASES).
  const stemsOf = sentenceStems()
  const insightsByMessage = new Map<string, Insight[]>()
  for (const insight of insights) {
    const list = insightsByMessage.get(insight.messageId)
    if (list) list.push(insight)
    else insightsByMessage.set(insight.messageId, [insight])
  }
  for (const tracker of trackers) {
    const matches: TrackerMatch[] = []
    for (const value of tracker.vocabulary) {
      const match: TrackerMatch = { type: 'vocabulary', value, messageRefs: [], insightRefs: [] }
      const re = exactRe(value)
      const wanted = contentStems(value)
      for (const message of messages) {
        if (message.unrecognised) continue
        const exact = exactOffset(message.text, re)
        const offset = exact >= 0 ? exact : fuzzy(stemsOf(message), wanted) ? -1 : -2
        if (offset < -1) continue
        match.messageRefs.push({ id: message.id, text: message.text, offset })
        for (const insight of insightsByMessage.get(message.id) ?? []) {
          const io = exactOffset(insight.text, re)
          match.insightRefs.push({ id: insight.id, type: insight.type, text: insight.text, offset: io >= 0 ? io : -1 })
        }
      }
      if (match.messageRefs.length) matches.push(match)
    }
    if (matches.length) out.push({ id: stableNumericId(`${conversationId}:tracker:${tracker.name}`), name: tracker.name, matches })
  }
  return out
}
