// Sentiment per message with the AFINN lexicon of the `sentiment` package. Its `comparative`
// (score per token, roughly -5..5) is squashed with tanh into Symbl's -1..1 polarity; the
// suggested label uses ±0.3, the cut the Symbl docs describe for positive/negative.

import Sentiment from 'sentiment'
import { round } from '../time.js'

export interface SentimentValue {
  polarity: { score: number }
  suggested: 'positive' | 'negative' | 'neutral'
}

let analyzer: Sentiment | undefined

export function sentimentOf(text: string): SentimentValue {
  analyzer ??= new Sentiment()
  const { comparative } = analyzer.analyze(text)
  const score = round(Math.tanh(comparative), 3)
  return { polarity: { score }, suggested: label(score) }
}

export const label = (score: number): SentimentValue['suggested'] => (score >= 0.3 ? 'positive' : score <= -0.3 ? 'negative' : 'neutral')

export function averageSentiment(values: SentimentValue[]): SentimentValue {
  const score = values.length ? round(values.reduce((s, v) => s + v.polarity.score, 0) / values.length, 3) : 0
  return { polarity: { score }, suggested: label(score) }
}
