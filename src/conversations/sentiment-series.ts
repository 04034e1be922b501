import { ValidationError } from '../errors.js'
import type { Message, MessagesResponse } from './types.js'
import type { SentimentPoint, SpeakerSentiment } from './types.js'

export type { SentimentPoint, SpeakerSentiment }

/**
 * Turns messages fetched with `{ sentiment: true }` into one polarity-over-time series per
 * speaker, in order of first appearance (the diarized-recording flow of Symbl's sentiment blog).
 * A message's time is its `startTime` relative to the earliest message, or its `timeOffset` when
 * it has no parsable `startTime`. Messages without sentiment are skipped.
 */
export function speakerSentiment(messages: Message[] | MessagesResponse): SpeakerSentiment[] {
  const list = Array.isArray(messages) ? messages : messages?.messages
  if (!Array.isArray(list)) throw new ValidationError('speakerSentiment needs the messages array (or the getMessages answer)')
  const starts = list.map((m) => Date.parse(m?.startTime))
  const t0 = Math.min(...starts.filter((t) => !Number.isNaN(t)))
  const series = new Map<string, SentimentPoint[]>()
  let scored = 0
  list.forEach((m, i) => {
    const polarity = m?.sentiment?.polarity?.score
    if (typeof polarity !== 'number') return
    scored++
    const time = Number.isNaN(starts[i]) ? (m.timeOffset ?? 0) : (starts[i] - t0) / 1000
    const speaker = m.from?.name || m.from?.userId || m.from?.email || m.from?.id || 'Unknown speaker'
    let points = series.get(speaker)
    if (!points) series.set(speaker, (points = []))
    points.push({ time, polarity })
  })
  if (list.length > 0 && scored === 0) {
    throw new ValidationError('None of the messages has a sentiment: fetch them with getMessages({ sentiment: true })')
  }
  return [...series].map(([speaker, points]) => ({ speaker, points: points.sort((a, b) => a.time - b.time) }))
}
