// Runs every analysis over a conversation once per revision and caches the result, so repeated
// GETs (and 1,000-job benches) do not redo the work.

import type { Conversation, Speaker, StoredMessage } from '../types.js'
import { computeAnalytics, type Analytics } from './analytics.js'
import { callScore, type CallScore } from './callscore.js'
import { extractEntities, type Entity } from './entities.js'
import { insightsOf, type Insight, type InsightContext } from './insights.js'
import { summarize, type SummaryItem } from './summary.js'
import { extractTopics, type Topic } from './topics.js'
import { matchTrackers, type TrackerResult } from './trackers.js'

export interface Analysis {
  insights: Insight[]
  topics: Topic[]
  trackers: TrackerResult[]
  analytics: Analytics
  entities: () => Entity[]
  summary: () => SummaryItem[]
  callScore: () => CallScore
}

const cache = new WeakMap<Conversation, { revision: number; analysis: Analysis }>()

/** "you" is addressed to the other party: the next message by someone else, else the previous one. */
export function insightContext(conversation: Conversation): InsightContext {
  // Linear, not quadratic, in the number of messages: the next/previous message by someone else is
  // found once for all (a search per insight made 20,000 one-speaker messages take 5 s).
  let near: { index: Map<StoredMessage, number>; next: Int32Array; prev: Int32Array } | undefined
  const nearest = (): NonNullable<typeof near> => {
    const list = conversation.messages
    const next = new Int32Array(list.length).fill(-1)
    const prev = new Int32Array(list.length).fill(-1)
    // Same speaker as the neighbour: the neighbour's answer is this one's too.
    for (let i = list.length - 2; i >= 0; i--) next[i] = list[i + 1].from.id !== list[i].from.id ? i + 1 : next[i + 1]
    for (let i = 1; i < list.length; i++) prev[i] = list[i - 1].from.id !== list[i].from.id ? i - 1 : prev[i - 1]
    return { index: new Map(list.map((m, i) => [m, i])), next, prev }
  }
  return {
    conversationId: conversation.id,
    members: conversation.members,
    addressee: (message: StoredMessage): Speaker | undefined => {
      const others = conversation.members.filter((m) => m.id !== message.from.id)
      if (others.length === 1) return others[0]
      if (!near || near.next.length !== conversation.messages.length) near = nearest()
      const i = near.index.get(message)
      if (i === undefined) return undefined
      const j = near.next[i] >= 0 ? near.next[i] : near.prev[i]
      return j >= 0 ? conversation.messages[j].from : undefined
    },
  }
}

/** Members' full and first names (capitalised ones): mentions of them are person entities. */
export function memberNames(conversation: Conversation): string[] {
  return [...new Set(conversation.members.flatMap((m) => [m.name, m.name.split(/\s+/)[0]]))].filter((n) => /^[A-Z]/.test(n))
}

export function analyse(conversation: Conversation): Analysis {
  const hit = cache.get(conversation)
  if (hit && hit.revision === conversation.revision) return hit.analysis
  const messages = conversation.messages
  const ctx = insightContext(conversation)
  const threshold = conversation.options.confidenceThreshold
  const insights = messages.flatMap((m) => insightsOf(m, ctx)).filter((i) => i.score >= threshold)
  const topics = extractTopics(conversation.id, messages)
  const trackers = matchTrackers(conversation.id, conversation.options.trackers, messages, insights)
  let entities: Entity[] | undefined
  let summary: SummaryItem[] | undefined
  let score: CallScore | undefined
  const analytics = computeAnalytics(messages, conversation.members)
  const analysis: Analysis = {
    insights,
    topics,
    trackers,
    analytics,
    // compromise is the slowest part: entities only run when asked for.
    entities: () => (entities ??= extractEntities(messages, conversation.options.entities, memberNames(conversation))),
    summary: () => (summary ??= summarize(conversation.id, messages, topics, insights)),
    callScore: () => (score ??= callScore(conversation, analytics, insights)),
  }
  cache.set(conversation, { revision: conversation.revision, analysis })
  return analysis
}

/** `refresh=true` (topics, summary): drop the cached analysis so it is computed again. */
export function invalidateAnalysis(conversation: Conversation): void {
  cache.delete(conversation)
}
