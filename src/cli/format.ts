// Readable text for what the Conversation API answers: what `symbl process` prints when a job is
// done, and what `symbl conversation <id> <part>` prints without --json.
import type { AnalyticsResponse, Entity, EntitiesResponse, GroupedEntity, Insight, Message, Speaker, SummaryItem, Topic } from '../node.js'
import { formatDuration } from './progress.js'

/** How a speaker is named in output: name, else user id, else email, else id. */
export function speakerName(from: Speaker | undefined): string {
  return from?.name || from?.userId || from?.email || from?.id || 'Unknown speaker'
}

/** A message's start in seconds into the conversation: its timeOffset, else from startTime. */
function offsetOf(message: Message, t0: number): number | undefined {
  if (typeof message.timeOffset === 'number') return message.timeOffset
  const t = Date.parse(message.startTime)
  return Number.isNaN(t) ? undefined : (t - t0) / 1000
}

export function formatMessages(messages: Message[]): string[] {
  const t0 = Math.min(...messages.map((m) => Date.parse(m.startTime)).filter((t) => !Number.isNaN(t)))
  return messages.map((m) => {
    const at = offsetOf(m, t0)
    const polarity = m.sentiment?.polarity?.score
    const mood = typeof polarity === 'number' ? `  (${polarity >= 0 ? '+' : ''}${polarity.toFixed(2)})` : ''
    return `${at === undefined ? '' : `[${formatDuration(at)}] `}${speakerName(m.from)}: ${m.text}${mood}`
  })
}

export function formatInsights(kind: string, insights: Insight[]): string[] {
  if (insights.length === 0) return [`${kind}: none`]
  return [
    `${kind} (${insights.length}):`,
    ...insights.map((i) => {
      const who = i.assignee && speakerName(i.assignee) !== 'Unknown speaker' ? ` → ${speakerName(i.assignee)}` : ''
      const due = i.dueBy ? ` (due ${i.dueBy})` : ''
      return `  - ${i.text}${who}${due}`
    }),
  ]
}

export function formatTopics(topics: Topic[]): string[] {
  if (topics.length === 0) return ['Topics: none']
  return [
    `Topics (${topics.length}):`,
    ...topics.map((t) => `  - ${t.text}${typeof t.score === 'number' ? ` (${t.score.toFixed(2)})` : ''}`),
  ]
}

export function formatEntities(entities: EntitiesResponse['entities']): string[] {
  if (entities.length === 0) return ['Entities: none']
  return [
    `Entities (${entities.length}):`,
    ...entities.map((e) =>
      'matches' in e
        ? `  - ${(e as GroupedEntity).category ? `${(e as GroupedEntity).category}/` : ''}${e.type}${(e as GroupedEntity).subType ? `/${(e as GroupedEntity).subType}` : ''}: ${(e as GroupedEntity).matches.map((m) => m.detectedValue).join(', ')}`
        : `  - ${e.type}${(e as Entity).customType ? `/${(e as Entity).customType}` : ''}: ${(e as Entity).text ?? (e as Entity).value ?? ''}`,
    ),
  ]
}

export function formatAnalytics(analytics: AnalyticsResponse): string[] {
  const lines = ['Analytics:']
  for (const m of analytics.metrics) lines.push(`  ${m.type.replace(/_/g, ' ')}: ${formatDuration(m.seconds)} (${m.percent.toFixed(1)} %)`)
  for (const member of analytics.members) {
    const talk = member.talkTime ? `talks ${formatDuration(member.talkTime.seconds)} (${member.talkTime.percentage.toFixed(1)} %)` : ''
    const pace = member.pace ? `, ${member.pace.wpm} words/min` : ''
    lines.push(`  ${speakerName(member)}: ${talk}${pace}`)
  }
  return lines
}

export function formatSummaryItems(summary: SummaryItem[]): string[] {
  return summary.length ? ['Summary:', ...summary.map((s) => `  ${s.text}`)] : ['Summary: none']
}

/** Each speaker's talk time: the analytics' when it has members, else the messages' durations. */
export function talkTimes(messages: Message[], analytics: AnalyticsResponse | undefined): Array<{ speaker: string; seconds: number }> {
  if (analytics?.members.some((m) => m.talkTime))
    return analytics.members.map((m) => ({ speaker: speakerName(m), seconds: m.talkTime?.seconds ?? 0 }))
  const totals = new Map<string, number>()
  for (const m of messages) {
    const start = Date.parse(m.startTime)
    const end = Date.parse(m.endTime)
    const seconds = typeof m.duration === 'number' ? m.duration : Number.isNaN(start) || Number.isNaN(end) ? 0 : (end - start) / 1000
    const name = speakerName(m.from)
    totals.set(name, (totals.get(name) ?? 0) + Math.max(0, seconds))
  }
  return [...totals].map(([speaker, seconds]) => ({ speaker, seconds }))
}

/** What `symbl process` found in a conversation, for the readable summary and `--json`. */
export interface ConversationDigest {
  conversationId: string
  jobId: string | undefined
  messages: number
  speakers: Array<{ speaker: string; seconds: number }>
  questions: Insight[]
  actionItems: Insight[]
  followUps: Insight[]
  topics: Topic[]
}

export function formatDigest(d: ConversationDigest): string[] {
  const total = d.speakers.reduce((n, s) => n + s.seconds, 0)
  return [
    `Conversation ${d.conversationId}${d.jobId ? ` (job ${d.jobId})` : ''}: ${d.messages} message${d.messages === 1 ? '' : 's'}`,
    d.speakers.length
      ? `Speakers (${d.speakers.length}):`
      : 'Speakers: none (no speech was recognised; for a recording of several people, try --speakers N)',
    ...d.speakers.map(
      (s) => `  - ${s.speaker}: ${formatDuration(s.seconds)} talk time${total > 0 ? ` (${Math.round((100 * s.seconds) / total)} %)` : ''}`,
    ),
    ...formatInsights('Questions', d.questions),
    ...formatInsights('Action items', d.actionItems),
    ...formatInsights('Follow-ups', d.followUps),
    ...formatTopics(d.topics),
  ]
}
