// Sentiment per message with VADER (Hutto & Gilbert 2014) through the `vader-sentiment` package (the
// vaderSentiment project's JavaScript port, Apache-2.0; its lexicon is compiled into the bundle, so
// nothing is read from disk and it bundles for browsers). VADER is built for conversational text: it
// handles negation ("not bad" is positive, "isn't great" negative), intensifiers ("really", "very"),
// contrast ("…, but …" weighs the clause after `but` 1.5x and the one before 0.5x), capitals and "!",
// and its lexicon scores talk words ("frustrating", "annoying", "thanks", "sorry").
//
// polarity.score is VADER's `compound` (already -1..1). `suggested` cuts at ±0.3, the band Symbl's docs
// give for neutral (-0.3..0.3), rather than VADER's usual ±0.05: on conversational business talk the
// narrow band calls plain requests positive ("could you email me the ticket number" 0.08) and on the
// rule-writing part of test/fixtures/language-set.ts ±0.3 scores best (0.88 against 0.85 for ±0.05).

import vader from 'vader-sentiment'
import { round } from '../time.js'

export interface SentimentValue {
  polarity: { score: number }
  suggested: 'positive' | 'negative' | 'neutral'
}

export const POSITIVE_AT = 0.3
export const NEGATIVE_AT = -0.3

// Business-talk readings VADER's lexicon (built on social-media text) gets wrong, rewritten before
// scoring only: politeness markers and "share" carry no feeling in a request ("please forward the
// invoice"), "pretty" before a word is an intensifier not praise ("pretty unhappy"), and a few
// negative talk words are missing from the lexicon.
const TALK: Array<[RegExp, string]> = [
  [/\bplease\b/gi, ''],
  [/\bwould you mind\b/gi, 'can you'],
  [/\b(?:would|'d|’d) like to\b/gi, 'want to'],
  [/\b(?:had|have|get|got) a chance to\b/gi, 'got to'],
  [/\bshar(?:e|es|ed|ing)\b/gi, 'send'],
  [/\bworks? best\b/gi, 'works'],
  [/\bmake sure\b/gi, 'remember'],
  [/\bpretty\s+(?=[a-z])/gi, 'quite '],
  [/\brough\b/gi, 'bad'],
  [/\bslow\b/gi, 'hard'],
]

export function sentimentOf(text: string): SentimentValue {
  let t = text
  for (const [re, to] of TALK) t = t.replace(re, to)
  const score = round(vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, 3)
  return { polarity: { score }, suggested: label(score) }
}

export const label = (score: number): SentimentValue['suggested'] =>
  score >= POSITIVE_AT ? 'positive' : score <= NEGATIVE_AT ? 'negative' : 'neutral'

export function averageSentiment(values: SentimentValue[]): SentimentValue {
  const score = values.length ? round(values.reduce((s, v) => s + v.polarity.score, 0) / values.length, 3) : 0
  return { polarity: { score }, suggested: label(score) }
}
