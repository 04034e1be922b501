// Wire shapes of stored data: REST (section 4) and streaming (section 6.5) views.

import type { Insight } from './analysis/insights.js'
import type { Topic } from './analysis/topics.js'
import { sentimentOf } from './analysis/sentiment.js'
import { tokenize } from './analysis/sentences.js'
import { iso, protoDuration, round } from './time.js'
import type { Conversation, Speaker, StoredMessage } from './types.js'

/** Marker text of detected-but-unrecognised speech; also flagged in `metadata.unrecognised`. */
export const UNRECOGNISED_TEXT = '[unrecognised speech]'

export function speakerView(
  s: Speaker | { name: string; id?: string; userId?: string; email?: string } | undefined,
): Record<string, string> {
  if (!s) return {}
  const out: Record<string, string> = {}
  if (s.id) out.id = s.id
  out.name = s.name
  if (s.userId) out.userId = s.userId
  if (s.email) out.email = s.email
  return out
}

/** Word timings: the message's real span shared out by word length (text has no word times). */
export function wordsOf(m: StoredMessage, conversationStartMs: number): Array<Record<string, unknown>> {
  if (m.unrecognised) return []
  const tokens = tokenize(m.text)
  const totalChars = tokens.reduce((s, t) => s + t.word.length, 0) || 1
  const span = m.endMs - m.startMs
  let at = m.startMs
  return tokens.map((t) => {
    const length = (span * t.word.length) / totalChars
    const word = {
      word: t.word,
      startTime: iso(at),
      endTime: iso(at + length),
      // Text and fixtures are given, not recognised: full confidence.
      score: 1,
      timeOffset: round((at - conversationStartMs) / 1000, 2),
      duration: round(length / 1000, 2),
    }
    at += length
    return word
  })
}

export function conversationView(c: Conversation): Record<string, unknown> {
  // A loop, not Math.max(...ends): spreading 100k+ messages overflows the stack.
  const end = c.messages.reduce((x, m) => Math.max(x, m.endMs), -Infinity)
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    startTime: iso(c.startMs),
    endTime: iso(c.messages.length ? end : c.startMs),
    members: c.members.map(speakerView),
    metadata: c.metadata,
  }
}

export function messageView(
  c: Conversation,
  m: StoredMessage,
  opts: { verbose?: boolean; sentiment?: boolean; phrases?: Insight[] },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: m.id,
    text: m.text,
    from: speakerView(m.from),
    startTime: iso(m.startMs),
    endTime: iso(m.endMs),
    timeOffset: round((m.startMs - c.startMs) / 1000, 2),
    duration: round((m.endMs - m.startMs) / 1000, 2),
    conversationId: c.id,
    phrases: c.options.detectPhrases ? (opts.phrases ?? []).filter((i) => i.messageId === m.id).flatMap((i) => i.phrases) : [],
  }
  if (opts.sentiment) out.sentiment = m.unrecognised ? { polarity: { score: 0 }, suggested: 'neutral' } : sentimentOf(m.text)
  if (opts.verbose) out.words = wordsOf(m, c.startMs)
  if (m.unrecognised) out.metadata = { unrecognised: true, origin: m.origin }
  return out
}

export function insightView(i: Insight): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: i.id,
    text: i.text,
    type: i.type,
    score: i.score,
    messageIds: [i.messageId],
    from: speakerView(i.from),
  }
  if (i.type === 'question') return out
  out.entities = i.entities
  out.phrases = i.phrases
  out.definitive = i.definitive
  out.assignee = i.assignee ? speakerView(i.assignee) : {}
  if (i.dueBy) out.dueBy = i.dueBy
  return out
}

// ---- streaming shapes (6.5) ----

export function streamMessageView(
  c: Conversation,
  m: StoredMessage,
  opts: { sentiment?: boolean; timezoneOffset?: number },
): Record<string, unknown> {
  const words = wordsOf(m, c.startMs).map((w) => ({ word: w.word, startTime: w.startTime, endTime: w.endTime }))
  const out: Record<string, unknown> = {
    id: m.id,
    from: speakerView(m.from),
    payload: { content: m.text, contentType: 'text/plain' },
    channel: { id: 'realtime-api' },
    metadata: {
      disablePunctuation: true,
      timezoneOffset: opts.timezoneOffset ?? 0,
      originalContent: m.text,
      words: JSON.stringify(words),
      originalMessageId: m.id,
      ...(m.unrecognised ? { unrecognised: true } : {}),
    },
    dismissed: false,
    duration: {
      startTime: iso(m.startMs),
      endTime: iso(m.endMs),
      timeOffset: round((m.startMs - c.startMs) / 1000, 2),
      duration: round((m.endMs - m.startMs) / 1000, 2),
    },
  }
  if (opts.sentiment) out.sentiment = m.unrecognised ? { polarity: { score: 0 }, suggested: 'neutral' } : sentimentOf(m.text)
  return out
}

export function streamInsightView(i: Insight): Record<string, unknown> {
  return {
    id: i.id,
    type: i.type,
    confidence: i.score,
    hints: [{ key: 'confidenceScore', value: String(i.score) }],
    // Both shapes (contract 6.5): older clients read `text`, newer `payload.content`.
    text: i.text,
    payload: { content: i.text, contentType: 'text/plain' },
    from: speakerView(i.from),
    ...(i.assignee ? { assignee: speakerView(i.assignee) } : {}),
    ...(i.dueBy ? { dueBy: { value: i.dueBy } } : {}),
    tags: i.entities.map((e) => ({ type: e.type, text: e.text, beginOffset: e.offset, value: { value: e.value } })),
    dismissed: false,
    entities: null,
    messageReference: { id: i.messageId },
  }
}

/** A topic of a streaming/telephony `topic_response` (contract 6.5: `phrases` is a string here). */
export function streamTopicView(t: Topic, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: t.id,
    type: 'topic',
    phrases: t.text,
    score: t.score,
    rootWords: t.stems.map((s) => ({ text: s })),
    messageReferences: t.messageIds.map((id) => ({ id, relation: 'text instance' })),
    ...extra,
  }
}

export function recognitionResult(
  text: string,
  isFinal: boolean,
  startSec: number,
  endSec: number,
  user: Record<string, string>,
  unrecognised: boolean,
): Record<string, unknown> {
  const tokens = unrecognised ? [] : tokenize(text)
  const per = tokens.length ? (endSec - startSec) / tokens.length : 0
  return {
    type: 'message',
    message: {
      type: 'recognition_result',
      isFinal,
      payload: {
        raw: {
          alternatives: [
            {
              words: tokens.map((t, i) => ({
                word: t.word,
                startTime: protoDuration(startSec + i * per),
                endTime: protoDuration(startSec + (i + 1) * per),
              })),
              transcript: text,
              // No recognizer: confidence 0 for unrecognised speech, 1 for fixture text.
              confidence: unrecognised ? 0 : 1,
            },
          ],
        },
      },
      punctuated: { transcript: text },
      user,
      ...(unrecognised ? { metadata: { unrecognised: true } } : {}),
    },
    timeOffset: Math.round(startSec * 1000),
  }
}
