// Conversation API (contract 4). Analysis is computed on demand from the stored messages and cached
// per revision. Before the job completes, data is partial (what is published so far) and summary is 404.

import { analyse, invalidateAnalysis } from '../analysis/index.js'
import { topicSentiment } from '../analysis/sentiment.js'
import { parentOf } from '../analysis/topics.js'
import { formatTranscript } from '../analysis/transcript.js'
import type { EmulatorCore } from '../core.js'
import { ApiError, badRequest, notFound } from '../errors.js'
import { stableUuid } from '../ids.js'
import { listConversations } from '../list.js'
import { MAX_SPEAKER_EVENTS, speakerEventProblem } from '../json-limits.js'
import { checkMetadata, toBool } from '../options.js'
import { applySpeakerEvents, checkSpeakerEvent, storeSpeakerEvents } from '../speaker-events.js'
import type { Conversation } from '../types.js'
import { conversationView, insightView, messageView, speakerView } from '../views.js'
import { ok, type Route, type RouteContext } from './route.js'

const P = '^/v1/conversations/(?<id>[^/]+)'

function conv(ctx: RouteContext): Conversation {
  // Another app's conversation is answered like an unknown one (404), not 403: its id says nothing.
  const c = ctx.core.store.visible(ctx.params.id, ctx.scope)
  if (!c) throw notFound()
  return c
}

const flag = (ctx: RouteContext, name: string): boolean => toBool(ctx.query.get(name) ?? undefined, name) ?? false

function get(path: string, handler: (c: Conversation, ctx: RouteContext) => unknown): Route {
  return { method: 'GET', pattern: new RegExp(`${P}${path}$`), handler: (ctx) => ok(handler(conv(ctx), ctx)) }
}

/** `refresh=true` (topics, summary; 4.9/4.13): the analysis is computed again. */
function refresh(c: Conversation, ctx: RouteContext): void {
  if (flag(ctx, 'refresh')) invalidateAnalysis(c)
}

/**
 * Status of the conversation's insights / call score processing (4.16; status values not
 * documented): the latest job's status; for streaming and telephony conversations (no job) a stable
 * id per conversation, `in_progress` while the session runs, then `completed`.
 */
function processingStatus(core: EmulatorCore, c: Conversation): { jobId: string; status: string } {
  const job = c.lastJobId ? core.store.jobs.get(c.lastJobId) : undefined
  if (job) return { jobId: job.id, status: job.status }
  return { jobId: stableUuid(`${c.id}:insights`), status: c.pendingJobs > 0 || core.isLive(c.id) ? 'in_progress' : 'completed' }
}

export const conversationRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v1\/conversations$/,
    handler: ({ core, query, scope }) => ok({ conversations: listConversations(core.store.visibleTo(scope), query).map(conversationView) }),
  },
  get('', (c) => conversationView(c)),
  {
    method: 'PUT',
    pattern: new RegExp(`${P}$`),
    async handler(ctx) {
      const c = conv(ctx)
      const body = await ctx.json()
      // Checked before it is stored: metadata that cannot be serialised would break every later list answer.
      checkMetadata(body.metadata)
      // Replaces the metadata (merge semantics are not documented).
      c.metadata = { ...body.metadata }
      return ok({ id: c.id, metadata: c.metadata })
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${P}$`),
    handler(ctx) {
      if (!ctx.core.store.visible(ctx.params.id, ctx.scope) || !ctx.core.store.delete(ctx.params.id)) throw notFound()
      return ok({ message: 'successfully deleted the conversation' })
    },
  },
  get('/messages', (c, ctx) => {
    const a = c.options.detectPhrases ? analyse(c) : undefined
    return {
      messages: c.messages.map((m) =>
        messageView(c, m, { verbose: flag(ctx, 'verbose'), sentiment: flag(ctx, 'sentiment'), phrases: a?.insights }),
      ),
    }
  }),
  get('/members', (c) => ({ members: c.members.map(speakerView) })),
  {
    method: 'PUT',
    pattern: new RegExp(`${P}/members/(?<memberId>[^/]+)$`),
    async handler(ctx) {
      const c = conv(ctx)
      const body = await ctx.json()
      if (typeof body.id !== 'string' || !body.id) throw badRequest('"id" is required')
      if (typeof body.name !== 'string' || !body.name) throw badRequest('"name" is required')
      if (body.email !== undefined && typeof body.email !== 'string') throw badRequest('"email" must be a string')
      const member = c.members.find((m) => m.id === ctx.params.memberId)
      if (!member) throw new ApiError(404, { message: `Member with id: ${ctx.params.memberId} does not exist in conversationId: ${c.id}` })
      member.name = body.name
      if (typeof body.email === 'string') member.email = body.email
      ctx.core.store.touch(c)
      return ok({
        message: `Member with id: ${member.id} for conversationId: ${c.id} updated successfully! The update should be reflected in all messages and insights along with this conversation`,
      })
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`${P}/speakers$`),
    async handler(ctx) {
      const c = conv(ctx)
      const body = await ctx.json()
      if (!Array.isArray(body.speakerEvents)) throw badRequest('"speakerEvents" must be an array')
      // The latest MAX_SPEAKER_EVENTS are kept across PUTs; more in one request would drop the request's
      // own first events without a word (the real limit is not documented: ours).
      if (body.speakerEvents.length > MAX_SPEAKER_EVENTS)
        throw badRequest(
          `"speakerEvents" has ${body.speakerEvents.length} events; at most ${MAX_SPEAKER_EVENTS} are kept per conversation: send the events of one stretch of the conversation`,
        )
      for (const [i, e] of (body.speakerEvents as unknown[]).entries()) {
        const ev = e as Record<string, unknown> | null
        if (!ev || !['started_speaking', 'stopped_speaking'].includes(ev.type as string))
          throw badRequest(`"speakerEvents[${i}].type" must be one of [started_speaking, stopped_speaking]`)
      }
      for (const [i, e] of (body.speakerEvents as unknown[]).entries()) {
        const problem = speakerEventProblem(e, `speakerEvents[${i}]`)
        if (problem) throw badRequest(problem)
        checkSpeakerEvent(e, `speakerEvents[${i}]`, c.members)
      }
      // Kept (bounded: the latest MAX_SPEAKER_EVENTS) and applied to the messages (speaker-events.ts).
      storeSpeakerEvents(c, body.speakerEvents as object[])
      applySpeakerEvents(ctx.core.store, c)
      return ok({
        message: `Speaker events associated for conversationId: ${c.id} successfully! The update should be reflected in all messages and insights along with this conversation`,
      })
    },
  },
  get('/questions', (c) => ({
    questions: analyse(c)
      .insights.filter((i) => i.type === 'question')
      .map(insightView),
  })),
  get('/action-items', (c) => ({
    actionItems: analyse(c)
      .insights.filter((i) => i.type === 'action_item')
      .map(insightView),
  })),
  get('/follow-ups', (c) => ({
    followUps: analyse(c)
      .insights.filter((i) => i.type === 'follow_up')
      .map(insightView),
  })),
  get('/insights', (c) => ({ insights: analyse(c).insights.map(insightView) })),
  get('/topics', (c, ctx) => {
    refresh(c, ctx)
    const topics = analyse(c).topics
    const withSentiment = flag(ctx, 'sentiment')
    const withParents = flag(ctx, 'parentRefs')
    return {
      topics: topics.map((t) => ({
        id: t.id,
        text: t.text,
        type: 'topic',
        score: t.score,
        messageIds: t.messageIds,
        ...(withSentiment ? { sentiment: topicSentiment(c.messages, t.messageIds) } : {}),
        ...(withParents ? { parentRefs: ((p) => (p ? [{ type: 'topic', text: p.text }] : []))(parentOf(t, topics)) } : {}),
      })),
    }
  }),
  // Contract 4.10: entities require detectEntities=true; otherwise an empty list.
  get('/entities', (c) => ({ entities: c.options.detectEntities ? analyse(c).entities() : [] })),
  // Both paths (contract 9): the PY SDK calls /trackers, DOCS22 documents /trackers-detected. Bare array.
  get('/trackers-detected', (c) => analyse(c).trackers),
  get('/trackers', (c) => analyse(c).trackers),
  get('/analytics', (c) => analyse(c).analytics),
  get('/summary', (c, ctx) => {
    if (c.pendingJobs > 0) throw notFound('Summary is not available until the job is completed.')
    refresh(c, ctx)
    return { summary: analyse(c).summary() }
  }),
  // Call score (4.16): an emulator heuristic over measured features, see analysis/callscore.ts.
  get('/callscore', (c, ctx) => {
    if (c.pendingJobs > 0 || ctx.core.isLive(c.id)) throw notFound('Call score is not available until the conversation is processed.')
    refresh(c, ctx)
    return analyse(c).callScore()
  }),
  get('/callscore/status', (c, ctx) => processingStatus(ctx.core, c)),
  get('/lm-insights/status', (c, ctx) => processingStatus(ctx.core, c)),
  {
    method: 'POST',
    pattern: new RegExp(`${P}/transcript$`),
    async handler(ctx) {
      const c = conv(ctx)
      const body = await ctx.json()
      const contentType = body.contentType
      if (contentType !== 'text/markdown' && contentType !== 'text/srt')
        throw badRequest('"contentType" must be one of [text/markdown, text/srt]')
      const phrases = (body.phrases ?? {}) as Record<string, unknown>
      const highlightAll = toBool(phrases.highlightAllKeyPhrases, 'highlightAllKeyPhrases') ?? false
      const highlightInsights = toBool(phrases.highlightOnlyInsightKeyPhrases, 'highlightOnlyInsightKeyPhrases') ?? false
      const a = highlightAll || highlightInsights ? analyse(c) : undefined
      const highlight = [
        ...(highlightInsights || highlightAll ? (a?.insights.flatMap((i) => i.phrases.map((p) => p.text)) ?? []) : []),
        ...(highlightAll ? (a?.topics.map((t) => t.text) ?? []) : []),
      ]
      const payload = formatTranscript(c.messages, c.startMs, {
        contentType,
        createParagraphs: toBool(body.createParagraphs, 'createParagraphs'),
        showSpeakerSeparation: toBool(body.showSpeakerSeparation, 'showSpeakerSeparation'),
        highlight,
      })
      return ok({ transcript: { payload, contentType } })
    },
  },
]
