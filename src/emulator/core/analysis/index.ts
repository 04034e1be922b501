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
  return {
    conversationId: conversation.id,
    members: conversation.members,
    addressee: (message: StoredMessage): Speaker | undefined => {
      const others = conversation.members.filter((m) => m.id !== message.from.id)
      if (others.length === 1) return others[0]
      const i = conversation.messages.indexOf(message)
      const after = conversation.messages.slice(i + 1).find((m) => m.from.id !== message.from.id)
      const before = conversation.messages.slice(0, Math.max(0, i)).reverse().find((m) => m.from.id !== message.from.id)
      return (after ?? before)?.from
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
