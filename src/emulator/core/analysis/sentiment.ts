// Sentiment per message with VADER (Hutto & Gilbert 2014) through the `vader-sentiment` package (the
// vaderSentiment project's JavaScript port, Apache-2.0; its lexicon is compiled into the bundle, so
// nothing is read from disk and it bundles for browsers). VADER is built for conversational text: it
// handles negation ("not bad" is positive, "isn't great" negative), intensifiers ("really", "very"),
// contrast ("…, but …" weighs the clause after `but` 1.5x and the one before 0.5x), capitals and "!",
// and its lexicon scores talk words ("frustrating", "annoying", "thanks", "sorry").
//
// polarity.score is the magnitude-weighted mean of VADER's `compound` (-1..1) over the message's
// sentences, after the business-talk rewrites below; a question's score counts half. `suggested` cuts at ±0.3, the band Symbl's docs
// give for neutral (-0.3..0.3), rather than VADER's usual ±0.05: on conversational business talk the
// narrow band calls plain requests positive ("could you email me the ticket number" 0.08) and on the
// rule-writing part of test/fixtures/language-set.ts ±0.3 scores best (0.88 against 0.85 for ±0.05).

import vader from 'vader-sentiment'
import { round } from '../time.js'
import { TALK } from './sentiment-talk.js'

export interface SentimentValue {
  polarity: { score: number }
  suggested: 'positive' | 'negative' | 'neutral'
}

export const POSITIVE_AT = 0.3
export const NEGATIVE_AT = -0.3

/** A question's words name what is asked about, not the asker's feeling ("Is there a free trial?"):
 * its score counts half (set before measuring; on the rule-writing part 0.5–1 all score 0.95–0.96). "Why…?" questions are kept whole: they are mostly complaints. */
export const QUESTION_WEIGHT = 0.5

/**
 * Per-message sentiment: each sentence is scored on its own (VADER works per sentence) and the
 * message's score is their magnitude-weighted mean, so a neutral sentence does not dilute a
 * strong one ("The line drops. It is really frustrating." is negative) and one mild word does not
 * outweigh a strong sentence of the other sign.
 */
export function sentimentOf(text: string): SentimentValue {
  const scored = text.length > MAX_SCORED_CHARS ? text.slice(0, MAX_SCORED_CHARS) : text
  const known = scores.get(scored)
  if (known) return copy(known)
  const value = score(scored)
  remember(scored, value)
  return copy(value)
}

/**
 * Scores already computed, by the text scored: `?sentiment=true` on every read of a large
 * conversation (GET …/messages, topics, the call score) scored every message again, about 1.5 ms
 * per KB (a 20 MB conversation: seconds per request). Bounded by the characters of the texts kept,
 * oldest forgotten first.
 */
const scores = new Map<string, SentimentValue>()
const MAX_REMEMBERED_CHARS = 16 * 1024 * 1024
let rememberedChars = 0

function remember(text: string, value: SentimentValue): void {
  if (text.length > MAX_REMEMBERED_CHARS) return
  scores.set(text, value)
  rememberedChars += text.length
  for (const [oldest] of scores) {
    if (rememberedChars <= MAX_REMEMBERED_CHARS) break
    scores.delete(oldest)
    rememberedChars -= oldest.length
  }
}

// Answers are JSON-serialised views: each caller gets its own object, so none can change the one kept.
const copy = (v: SentimentValue): SentimentValue => ({ polarity: { score: v.polarity.score }, suggested: v.suggested })

/** The mean sentiment of the messages a topic refers to (topics answered with `sentiment=true`, REST and live). */
export function topicSentiment(messages: readonly { id: string; text: string }[], messageIds: readonly string[]): SentimentValue {
  // A set, not messageIds.includes per message: topics × messages × ids on a large conversation.
  const ids = new Set(messageIds)
  return averageSentiment(messages.filter((m) => ids.has(m.id)).map((m) => sentimentOf(m.text)))
}

function score(text: string): SentimentValue {
  const sentences = sentencesOf(text)
  const scores = sentences.map(sentenceScore)
  // VADER's "but" rule across sentences: a sentence opening with a contrast ("But…", "However,…")
  // weighs 1.5 and the one before it 0.5.
  const weights = sentences.map(() => 1)
  sentences.forEach((sentence, i) => {
    if (i > 0 && CONTRAST_OPENING.test(sentence)) {
      weights[i] = (weights[i] as number) * 1.5
      weights[i - 1] = (weights[i - 1] as number) * 0.5
    }
  })
  let num = 0
  let den = 0
  scores.forEach((c, i) => {
    const w = weights[i] as number
    num += w * c * Math.abs(c)
    den += w * Math.abs(c)
  })
  const score = den ? round(num / den, 3) : 0
  return { polarity: { score }, suggested: label(score) }
}

function sentenceScore(sentence: string): number {
  let t = sentence
  for (const [re, to] of TALK) t = t.replace(re, to)
  const c = vader.SentimentIntensityAnalyzer.polarity_scores(t).compound
  return /\?\s*$/.test(sentence) && !/^\W*(?:why|how come)\b/i.test(sentence) ? c * QUESTION_WEIGHT : c
}

const CONTRAST_OPENING = /^\W*(?:but|however|still|yet|that said|even so|nevertheless)\b/i

/**
 * How much of one message is scored: its first MAX_SCORED_CHARS characters (about 8 000 words). Scoring
 * costs about 1–2 ms per KB here; a message may be up to the 5 MiB JSON limit, and GET …/messages?
 * sentiment=true scores every message on each request, so an unbounded message blocked the emulator for
 * seconds. A message this long is a pasted document, whose opening sets its tone well enough.
 */
export const MAX_SCORED_CHARS = 50_000

/**
 * The longest piece of text scored at once. VADER and some rewrites are quadratic in the length of what
 * they get (vader-sentiment's "but" rule looks each word's score up with indexOf; the "although …, …"
 * rewrite backtracks over a long run of spaces): a 100 KB "sentence" took seconds, 400 KB tens of them.
 * A real sentence is far shorter, so a longer one (a run-on transcript, pasted text, an attack) is scored
 * in pieces of at most this many characters, cut at a space, and the pieces weigh like sentences.
 */
export const MAX_SENTENCE_CHARS = 1000

/** Sentences: ends at . ! ? followed by a space and a capital/quote/digit, or at the end; a longer one
 * than MAX_SENTENCE_CHARS in pieces. */
const sentencesOf = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+(?=["'“‘(]?[A-Z0-9])/)
    .flatMap(piecesOf)
    .map((s) => s.trim())
    .filter(Boolean)

function piecesOf(sentence: string): string[] {
  if (sentence.length <= MAX_SENTENCE_CHARS) return [sentence]
  const pieces: string[] = []
  let at = 0
  while (sentence.length - at > MAX_SENTENCE_CHARS) {
    const space = sentence.lastIndexOf(' ', at + MAX_SENTENCE_CHARS)
    const end = space > at ? space : at + MAX_SENTENCE_CHARS
    pieces.push(sentence.slice(at, end))
    at = end
  }
  pieces.push(sentence.slice(at))
  return pieces
}

export const label = (score: number): SentimentValue['suggested'] =>
  score >= POSITIVE_AT ? 'positive' : score <= NEGATIVE_AT ? 'negative' : 'neutral'

export function averageSentiment(values: SentimentValue[]): SentimentValue {
  const score = values.length ? round(values.reduce((s, v) => s + v.polarity.score, 0) / values.length, 3) : 0
  return { polarity: { score }, suggested: label(score) }
}
