// Questions, action items and follow-ups: rules over sentences. A sentence is an action item when a
// person commits or is asked to do something ("I'll send...", "Can you review...", "Let's...",
// "Vikram will draft..."); it is a follow-up instead when what is promised is itself a follow-up
// (call back, get back to, send an update, schedule a meeting...). Assignee and due date are taken
// only from what the text says; nothing is invented when it says nothing.

import { stableNumericId } from '../ids.js'
import type { Speaker, StoredMessage } from '../types.js'
import { findDates, type DateMention } from './dates.js'
import { splitSentences } from './sentences.js'

export type InsightType = 'question' | 'action_item' | 'follow_up'

export interface InsightEntity {
  type: 'person' | 'date'
  text: string
  offset: number
  value: unknown
}

export interface Insight {
  id: string
  type: InsightType
  text: string
  score: number
  messageId: string
  from: Speaker
  definitive: boolean
  assignee?: { id?: string; name: string; userId?: string; email?: string }
  dueBy?: string
  entities: InsightEntity[]
  phrases: Array<{ type: 'action_phrase'; text: string }>
}

const QUESTION_START =
  /^(who|what|when|where|why|how|which|whose|is|are|am|was|were|can|could|would|will|do|does|did|should|shall|may|have|has|had|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|couldn't)\b/i
const SUBJECT = `(I|we|you|he|she|they|[A-Z][a-z]+(?:\\s[A-Z][a-z]+)?)`
// Not `can`: "I think we can close this", "before we can move forward", "I can hardly hear" state an
// ability, not a commitment.
const MODAL = `(?:will|'ll|’ll|shall|am going to|'m going to|’m going to|are going to|'re going to|’re going to|is going to|need to|needs to|have to|has to|must|should)`
const COMMIT_RE = new RegExp(
  `(?:^|[\\s,;])${SUBJECT}(?:\\s+|(?=['’]))${MODAL}\\s+(?:(?:also|then|definitely|probably|just)\\s+)?([a-z][\\w'-]*(?:\\s+[^.!?]*)?)`,
  'u',
)
const REQUEST_RE = /\b(?:can|could|would|will) you\s+(?:please\s+)?([a-z][\w'-]*(?:\s+[^.!?]*)?)/i
const IMPERATIVE_RE =
  /(?:^|[\s,;])(?:please|kindly|let's|let us|make sure(?: to| that)?|don't forget to|remember to)\s+([a-z][\w'-]*(?:\s+[^.!?]*)?)/i
// Requests for information are questions (Symbl: "explicit questions or requests for information"),
// even when they are worded as a request to act: "Can you tell me...?", "Could you explain...?",
// "I was wondering whether...", "Do you know...?". Choice: such a sentence is listed as a question
// only, not also as an action item; the answer is expected in the conversation itself, so there is
// nothing to do afterwards. A request to do something ("Can you send me...?") is an action item only.
const INFO_VERB = `(?:tell|explain|describe|remind|clarify|confirm|let me know|walk me through|help me understand|give me (?:an? )?(?:quick |brief |rough )?(?:status|update|overview|idea|sense|rundown|summary))`
const INFO_REQUEST = new RegExp(
  `^(?:\\w+,\\s+)?(?:(?:can|could|would|will) (?:you|someone|somebody|anyone)|do you mind|would you mind|I was hoping you could|I was wondering if you could)\\s+(?:please\\s+)?(?:just\\s+)?${INFO_VERB}\\b`,
  'i',
)
const INDIRECT_QUESTION =
  /^(?:\w+,\s+)?(?:I was wondering|I'm wondering|I am wondering|I wonder|I(?:'d| would) like to know|I want to know|I(?:'d| would) love to know|I(?:'m| am) curious (?:about|whether|if|how|what|why))\b/i
const IMPERATIVE_START =
  /^(?:\w+,\s+)?(ask|send|forward|email|call|check|clear|restart|file|update|review|share|book|schedule|set up|sign|submit|install|open|fill out|reach out to|follow up with|remember to|don't forget to|make sure to)\b\s*([^.!?]*)/i
const LET_ME =
  /^(?:\w+,\s+)?let me\s+(?!know\b|see\b|think\b|explain\b|say\b|ask\b|be\b|tell\b|guess\b|just say\b)([a-z][\w'-]*(?:\s+[^.!?]*)?)/i
const NOT_A_TASK = /^(be|been|being|like|love|see|say|know|think|feel|seem|have been|happen)\b/i
const HEDGED = /\b(maybe|perhaps|might|could|should|probably|try to)\b/i
const FOLLOW_UP =
  /\b(follow[\s-]?up|get back to|circle back|reach out|touch base|check in|call (?:you|him|her|them|me) back|(?:send|email|share)\s+(?:you\s+|over\s+)?(?:an?\s+|the\s+)?(?:update|recap|summary|note|notes|follow[\s-]?up)|(?:schedule|set up|book)\s+(?:a|another|the|our)\s+(?:\w+\s+)?(?:call|meeting|demo|session))\b/i
const PHRASE_STOP = /\s+(?:by|before|on|until|at|tomorrow|today|tonight|next|this|end of|in the|after|so that|because)\b.*$/i
const NON_PERSON = new Set([
  'It',
  'This',
  'That',
  'There',
  'Here',
  'What',
  'Which',
  'Who',
  'How',
  'When',
  'Where',
  'Why',
  'The',
  'And',
  'But',
  'So',
  'Then',
  'If',
  'Maybe',
  'Perhaps',
  'Also',
  'Okay',
  'Yes',
  'No',
])

export interface InsightContext {
  conversationId: string
  members: Speaker[]
  /** Speaker of the next message by someone else (the likely addressee of "you"). */
  addressee?: (message: StoredMessage) => Speaker | undefined
}

function actionPhrase(raw: string): string {
  return raw
    .replace(PHRASE_STOP, '')
    .replace(/[,;:]+$/, '')
    .split(/\s+/)
    .slice(0, 8)
    .join(' ')
    .trim()
}

function findMember(ctx: InsightContext, name: string): Speaker | undefined {
  const lower = name.toLowerCase()
  return ctx.members.find((m) => m.name.toLowerCase() === lower || m.name.toLowerCase().split(/\s+/)[0] === lower)
}

export function insightsOf(message: StoredMessage, ctx: InsightContext): Insight[] {
  if (message.unrecognised) return []
  const out: Insight[] = []
  for (const sentence of splitSentences(message.text)) {
    const text = sentence.text
    const make = (type: InsightType, score: number, extra: Partial<Insight> = {}): Insight => ({
      id: stableNumericId(`${ctx.conversationId}:${type}:${message.id}:${sentence.offset}`),
      type,
      text,
      score,
      messageId: message.id,
      from: message.from,
      definitive: false,
      entities: [],
      phrases: [],
      ...extra,
    })
    const words = text.split(/\s+/).length
    const infoRequest = INFO_REQUEST.test(text) || INDIRECT_QUESTION.test(text)
    const isQuestion = infoRequest || text.endsWith('?') || (QUESTION_START.test(text) && words >= 3 && !text.endsWith('.'))
    const task = infoRequest ? undefined : taskOf(text, message, ctx)
    if (isQuestion && !task) out.push(make('question', text.endsWith('?') ? 0.95 : 0.62))
    if (!task) continue
    const dates = findDates(text, message.startMs)
    const entities: InsightEntity[] = []
    if (task.assignee && task.assigneeText !== undefined) {
      entities.push({
        type: 'person',
        text: task.assigneeText,
        offset: task.assigneeOffset ?? 0,
        value: { assignee: true, name: task.assignee.name },
      })
    }
    const due: DateMention | undefined = dates[0]
    for (const d of dates) entities.push({ type: 'date', text: d.text, offset: d.offset, value: d.value })
    const definitive = !HEDGED.test(text) && !isQuestion
    const score = Math.min(0.99, 0.78 + (definitive ? 0.12 : 0) + (task.assignee ? 0.04 : 0) + (due ? 0.04 : 0))
    const type: InsightType = FOLLOW_UP.test(text) ? 'follow_up' : 'action_item'
    out.push(
      make(type, Math.round(score * 10000) / 10000, {
        definitive,
        assignee: task.assignee,
        dueBy: due ? `${due.value}T00:00:00.000Z` : undefined,
        entities,
        phrases: task.phrase ? [{ type: 'action_phrase', text: task.phrase }] : [],
      }),
    )
  }
  return out
}

interface Task {
  phrase: string
  assignee?: Insight['assignee']
  assigneeText?: string
  assigneeOffset?: number
}

/** "Can you send it, Raj?" / "Raj, can you...": the person addressed by name, else the other party. */
function addressed(text: string, message: StoredMessage, ctx: InsightContext): Task['assignee'] {
  const named = /^([A-Z][a-z]+),\s/.exec(text) ?? /,\s*([A-Z][a-z]+)\s*[?.!]*$/.exec(text)
  if (named && !NON_PERSON.has(named[1])) {
    const member = findMember(ctx, named[1])
    if (member && member.id !== message.from.id) return member
    if (!member) return { name: named[1] }
  }
  return ctx.addressee?.(message)
}

function taskOf(text: string, message: StoredMessage, ctx: InsightContext): Task | undefined {
  const start = IMPERATIVE_START.exec(text)
  if (start) return { phrase: actionPhrase(`${start[1]} ${start[2]}`), assignee: addressed(text, message, ctx) }
  const letMe = LET_ME.exec(text)
  if (letMe && !NOT_A_TASK.test(letMe[1])) return { phrase: actionPhrase(letMe[1]), assignee: message.from }
  const commit = COMMIT_RE.exec(text)
  if (commit && !NOT_A_TASK.test(commit[2]) && !NON_PERSON.has(commit[1])) {
    const subject = commit[1]
    const subjectOffset = text.indexOf(subject, commit.index)
    const phrase = actionPhrase(commit[2])
    const lower = subject.toLowerCase()
    if (lower === 'i' || lower === 'we') return { phrase, assignee: message.from, assigneeText: subject, assigneeOffset: subjectOffset }
    if (lower === 'you') {
      const other = addressed(text, message, ctx)
      return other ? { phrase, assignee: other } : { phrase }
    }
    if (['he', 'she', 'they'].includes(lower)) return { phrase }
    const member = findMember(ctx, subject)
    return { phrase, assignee: member ?? { name: subject }, assigneeText: subject, assigneeOffset: subjectOffset }
  }
  const request = REQUEST_RE.exec(text)
  if (request && !NOT_A_TASK.test(request[1])) {
    const other = addressed(text, message, ctx)
    return { phrase: actionPhrase(request[1]), assignee: other }
  }
  const imperative = IMPERATIVE_RE.exec(text)
  if (imperative && !NOT_A_TASK.test(imperative[1])) {
    const lets = /\blet(?:'s| us)\b/i.test(imperative[0])
    return { phrase: actionPhrase(imperative[1]), assignee: lets ? message.from : ctx.addressee?.(message) }
  }
  return undefined
}
