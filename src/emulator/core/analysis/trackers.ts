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

/**
 * Where each stem occurs in a message: stem -> the indexes of the sentences holding it (each once,
 * in order), and the number of sentences. Computed once per message, not once per phrase.
 */
interface StemIndex {
  sentences: number
  postings: Map<string, number[]>
}
type StemIndexOf = (message: StoredMessage) => StemIndex

function stemIndex(): StemIndexOf {
  const cache = new Map<StoredMessage, StemIndex>()
  return (message) => {
    let index = cache.get(message)
    if (!index) {
      const sentences = splitSentences(message.text)
      const postings = new Map<string, number[]>()
      sentences.forEach((sentence, i) => {
        for (const word of new Set(tokenize(sentence.text).map((t) => stem(t.word)))) {
          const list = postings.get(word)
          if (list) list.push(i)
          else postings.set(word, [i])
        }
      })
      cache.set(message, (index = { sentences: sentences.length, postings }))
    }
    return index
  }
}

// Hits per sentence for the phrase being matched, and the sentences touched (reset after each use).
let hits = new Int32Array(0)

/**
 * Is there one sentence holding most of `wanted` (all of one or two stems, else 3/4 of them; a stem
 * wanted twice counts twice)? Counted from the postings of the wanted stems, so a phrase costs what
 * its own words occur, not every sentence of the message: 1000 phrases against a message of 600 000
 * short sentences compared every sentence with every phrase (a 46 s blocked event loop).
 */
function fuzzy(index: StemIndex, wanted: string[]): boolean {
  if (!wanted.length) return false
  const needed = wanted.length <= 2 ? wanted.length : Math.ceil(wanted.length * 0.75)
  const weights = new Map<string, number>()
  for (const w of wanted) weights.set(w, (weights.get(w) ?? 0) + 1)
  if (hits.length < index.sentences) hits = new Int32Array(Math.max(index.sentences, hits.length * 2))
  const touched: number[] = []
  let found = false
  for (const [w, weight] of weights) {
    for (const i of index.postings.get(w) ?? []) {
      if (hits[i] === 0) touched.push(i)
      hits[i]! += weight
      if (hits[i]! >= needed) found = true
    }
    if (found) break
  }
  for (const i of touched) hits[i] = 0
  return found
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
  const indexOf = stemIndex()
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
        const offset = exact >= 0 ? exact : fuzzy(indexOf(message), wanted) ? -1 : -2
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
