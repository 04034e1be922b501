// Sentiment per message with VADER (Hutto & Gilbert 2014) through the `vader-sentiment` package (the
// vaderSentiment project's JavaScript port, Apache-2.0; its lexicon is compiled into the bundle, so
// nothing is read from disk and it bundles for browsers). VADER is built for conversational text: it
// handles negation ("not bad" is positive, "isn't great" negative), intensifiers ("really", "very"),
// contrast ("…, but …" weighs the clause after `but` 1.5x and the one before 0.5x), capitals and "!",
// and its lexicon scores talk words ("frustrating", "annoying", "thanks", "sorry").
//
// polarity.score is VADER's `compound` (already -1..1). `suggested` uses VADER's published cut:
// compound >= 0.05 positive, <= -0.05 negative, neutral between. (Symbl's docs describe ±0.3 on their
// own model's scale; on VADER's scale ±0.3 would call "thanks, that works" neutral.)

import vader from 'vader-sentiment'
import { round } from '../time.js'

export interface SentimentValue {
  polarity: { score: number }
  suggested: 'positive' | 'negative' | 'neutral'
}

export const POSITIVE_AT = 0.05
export const NEGATIVE_AT = -0.05

export function sentimentOf(text: string): SentimentValue {
  const score = round(vader.SentimentIntensityAnalyzer.polarity_scores(text).compound, 3)
  return { polarity: { score }, suggested: label(score) }
}

export const label = (score: number): SentimentValue['suggested'] =>
  score >= POSITIVE_AT ? 'positive' : score <= NEGATIVE_AT ? 'negative' : 'neutral'

export function averageSentiment(values: SentimentValue[]): SentimentValue {
  const score = values.length ? round(values.reduce((s, v) => s + v.polarity.score, 0) / values.length, 3) : 0
  return { polarity: { score }, suggested: label(score) }
}
