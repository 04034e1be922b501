// Topics by key-phrase extraction (RAKE: candidate phrases are runs of content words between
// stopwords and punctuation; a word scores degree/frequency, a phrase the sum of its words).
// Phrases are grouped by their stemmed form so "invoice"/"invoices" count as one topic.

import { stableNumericId } from '../ids.js'
import type { StoredMessage } from '../types.js'
import { STOPWORDS, normalize, stem } from './sentences.js'

export interface Topic {
  id: string
  text: string
  score: number
  messageIds: string[]
  /** Stems of the phrase, for parentRefs grouping. */
  stems: string[]
}

interface Candidate {
  words: string[]
  messageId: string
}

const MAX_WORDS = 3

function candidates(message: StoredMessage): Candidate[] {
  const out: Candidate[] = []
  let run: string[] = []
  const flush = (): void => {
    if (run.length) {
      // Long runs become their trailing MAX_WORDS words (the head noun is usually last in English).
      out.push({ words: run.slice(-MAX_WORDS), messageId: message.id })
      run = []
    }
  }
  for (const part of message.text.split(/([.,!?;:()"]|\s+)/)) {
    if (!part || /^\s+$/.test(part)) continue
    const word = normalize(part)
    const content = word.length > 2 && !STOPWORDS.has(word) && !/^\d/.test(word) && /[a-z]/.test(word) && !/'/.test(word)
    if (content) run.push(word)
    else flush()
  }
  flush()
  return out
}

export function extractTopics(conversationId: string, messages: StoredMessage[], max = 10): Topic[] {
  const recognised = messages.filter((m) => !m.unrecognised)
  const all = recognised.flatMap(candidates)
  const freq = new Map<string, number>()
  const degree = new Map<string, number>()
  for (const c of all) {
    for (const w of c.words) {
      const s = stem(w)
      freq.set(s, (freq.get(s) ?? 0) + 1)
      degree.set(s, (degree.get(s) ?? 0) + c.words.length)
    }
  }
  const phrases = new Map<string, { text: string; score: number; count: number; messageIds: Set<string>; stems: string[] }>()
  for (const c of all) {
    const stems = c.words.map(stem)
    const key = stems.join(' ')
    const wordScore = stems.reduce((s, st) => s + (degree.get(st) ?? 0) / (freq.get(st) ?? 1), 0)
    const entry = phrases.get(key) ?? { text: c.words.join(' '), score: wordScore, count: 0, messageIds: new Set<string>(), stems }
    entry.count++
    entry.messageIds.add(c.messageId)
    phrases.set(key, entry)
  }
  // A phrase said more than once, or a multi-word phrase, is a topic; single words said once are noise.
  const ranked = [...phrases.values()]
    .filter((p) => p.count > 1 || p.stems.length > 1 || (freq.get(p.stems[0]) ?? 0) > 1)
    .map((p) => ({ ...p, weight: p.score * Math.log2(1 + p.count) * (1 + Math.log2(1 + (freq.get(p.stems.at(-1) ?? '') ?? 0))) }))
    .sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text))
    .slice(0, max)
  const top = ranked[0]?.weight ?? 1
  return ranked.map((p) => ({
    id: stableNumericId(`${conversationId}:topic:${p.stems.join(' ')}`),
    text: p.text,
    score: Math.round((0.5 + 0.49 * (p.weight / top)) * 10000) / 10000,
    messageIds: [...p.messageIds],
    stems: p.stems,
  }))
}

/** parentRefs: a topic whose words include another, higher-ranked topic's head word hangs under it. */
export function parentOf(topic: Topic, topics: Topic[]): Topic | undefined {
  return topics.find(
    (t) => t !== topic && t.score > topic.score && t.stems.length <= topic.stems.length && t.stems.some((s) => topic.stems.includes(s)),
  )
}
