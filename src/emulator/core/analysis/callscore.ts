// Call score (contract 4.16, PY/GO 2024). The real service's scoring model is not documented: this
// is an EMULATOR HEURISTIC computed only from measurable features of the conversation, so the same
// conversation always gets the same score and every number can be traced to what was said:
//   Communication     talk-time balance: 100 while the busiest speaker has <= 50 % of the talk time,
//                     minus 2 points per percent above (100 % = 0; a single speaker scores 0).
//   Question Handling questions asked (target: one per 4 recognised messages, 40 %) and answered by
//                     another speaker in the next message (60 %).
//   Sentiment         mean message polarity (-1..1, VADER compound) mapped to 0..100.
//   Next Steps        no action item/follow-up: 20; otherwise 60 + 20 x share with an assignee
//                     + 20 x share with a due date.
// Criteria that need words (all but Communication) are left out when nothing was recognised (audio
// without a preloaded transcript); the overall score is the rounded mean of the criteria given.

import type { Conversation, StoredMessage } from '../types.js'
import type { Analytics } from './analytics.js'
import type { Insight } from './insights.js'
import { sentimentOf } from './sentiment.js'

export interface Criterion {
  name: string
  score: number
  summary: string
  feedback: { positive: { summary: string }; negative: { summary: string } }
}

export interface CallScore {
  score: number
  summary: string
  criteria: Criterion[]
}

const clamp = (n: number): number => Math.max(0, Math.min(100, Math.round(n)))
const pct = (n: number): string => `${Math.round(n)} %`

function criterion(name: string, score: number, summary: string, positive: string, negative: string): Criterion {
  return { name, score: clamp(score), summary, feedback: { positive: { summary: positive }, negative: { summary: negative } } }
}

function communication(analytics: Analytics): Criterion {
  const shares = analytics.members.map((m) => ({ name: String(m.name), share: (m.talkTime as { percentage: number }).percentage }))
  if (shares.length < 2) {
    const who = shares[0]?.name ?? 'one speaker'
    return criterion(
      'Communication',
      0,
      `Only ${who} was heard: there was no exchange.`,
      'The speaker was heard clearly.',
      'Nobody else spoke; a call needs both sides talking.',
    )
  }
  const top = shares.reduce((a, b) => (b.share > a.share ? b : a))
  const score = 100 - 2 * Math.max(0, top.share - 50)
  const balanced = top.share <= 60
  return criterion(
    'Communication',
    score,
    `${top.name} had ${pct(top.share)} of the talk time among ${shares.length} speakers.`,
    balanced
      ? 'Talk time was well balanced between the speakers.'
      : `The other speakers still had ${pct(100 - top.share)} of the talk time.`,
    balanced ? 'No speaker dominated the conversation.' : `${top.name} dominated the conversation; leave more room for the others.`,
  )
}

function questionHandling(messages: StoredMessage[], insights: Insight[]): Criterion {
  const recognised = messages.filter((m) => !m.unrecognised)
  const questions = insights.filter((i) => i.type === 'question')
  const answered = questions.filter((q) => {
    const i = recognised.findIndex((m) => m.id === q.messageId)
    const next = recognised[i + 1]
    return i >= 0 && next !== undefined && next.from.id !== q.from.id
  })
  const target = Math.max(1, recognised.length / 4)
  const asked = Math.min(1, questions.length / target)
  const answerRate = questions.length ? answered.length / questions.length : 0
  return criterion(
    'Question Handling',
    100 * (0.4 * asked + 0.6 * answerRate),
    questions.length
      ? `${questions.length} question(s) asked in ${recognised.length} messages; ${answered.length} answered by another speaker right after.`
      : `No questions were asked in ${recognised.length} messages.`,
    questions.length
      ? `${answered.length} of ${questions.length} questions got an immediate answer.`
      : 'The conversation stayed on statements.',
    questions.length === answered.length && questions.length
      ? 'Every question was answered.'
      : questions.length
        ? 'Some questions were left without an answer.'
        : 'Ask questions to engage the other side.',
  )
}

function sentiment(messages: StoredMessage[]): Criterion {
  const scores = messages.filter((m) => !m.unrecognised).map((m) => sentimentOf(m.text).polarity.score)
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length
  const positive = scores.filter((s) => s >= 0.3).length
  const negative = scores.filter((s) => s <= -0.3).length
  return criterion(
    'Sentiment',
    50 + 50 * mean,
    `Mean polarity ${mean.toFixed(2)} over ${scores.length} messages (${positive} positive, ${negative} negative).`,
    positive ? `${positive} message(s) were clearly positive.` : 'No message was clearly positive.',
    negative ? `${negative} message(s) were clearly negative.` : 'No message was clearly negative.',
  )
}

function nextSteps(insights: Insight[]): Criterion {
  const tasks = insights.filter((i) => i.type === 'action_item' || i.type === 'follow_up')
  if (!tasks.length)
    return criterion(
      'Next Steps',
      20,
      'No action items or follow-ups were agreed.',
      'None.',
      'End the call with clear next steps, an owner and a date.',
    )
  const owned = tasks.filter((t) => t.assignee).length
  const dated = tasks.filter((t) => t.dueBy).length
  return criterion(
    'Next Steps',
    60 + (20 * owned) / tasks.length + (20 * dated) / tasks.length,
    `${tasks.length} next step(s): ${owned} with an owner, ${dated} with a due date.`,
    `${tasks.length} next step(s) were agreed.`,
    owned === tasks.length && dated === tasks.length
      ? 'Every next step has an owner and a date.'
      : 'Give every next step an owner and a due date.',
  )
}

export function callScore(c: Conversation, analytics: Analytics, insights: Insight[]): CallScore {
  if (!c.messages.length) return { score: 0, summary: 'Nothing was said in this conversation: there is nothing to score.', criteria: [] }
  const criteria = [communication(analytics)]
  const hasWords = c.messages.some((m) => !m.unrecognised)
  if (hasWords) criteria.push(questionHandling(c.messages, insights), sentiment(c.messages), nextSteps(insights))
  const score = clamp(criteria.reduce((s, k) => s + k.score, 0) / criteria.length)
  const best = criteria.reduce((a, b) => (b.score > a.score ? b : a))
  const worst = criteria.reduce((a, b) => (b.score < a.score ? b : a))
  const summary = `Emulator heuristic score ${score}/100 from ${criteria.length} measured criteria${hasWords ? '' : ' (no recognised words: only talk time was scored)'}. Strongest: ${best.name} (${best.score}); weakest: ${worst.name} (${worst.score}).`
  return { score, summary, criteria }
}
