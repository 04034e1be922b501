// Telephony calls (contract 5). There is no phone network: a call is a conversation that plays a
// preloaded transcript (keyed by phone number, SIP URI or session name) in wall-clock time after
// connect, publishing transcript_response / message_response / insight_response / topic_response to
// /session/subscribe/{connectionId} subscribers. Without a preload the call is silent.

import { insightContext } from './analysis/index.js'
import { insightsOf } from './analysis/insights.js'
import { extractTopics } from './analysis/topics.js'
import type { EmulatorCore } from './core.js'
import { MAX_SPEAKER_EVENTS, pushBounded } from './json-limits.js'
import { numericId, uuid } from './ids.js'
import { placePreloaded } from './preload.js'
import type { Conversation, PreloadedMessage } from './types.js'
import { streamInsightView, streamMessageView, streamTopicView } from './views.js'

export interface Call {
  connectionId: string
  conversation: Conversation
  timers: Array<ReturnType<typeof setTimeout>>
  stopped: boolean
  speakerEvents: unknown[]
}

export class Telephony {
  readonly calls = new Map<string, Call>()

  constructor(private readonly core: EmulatorCore) {}

  start(conversation: Conversation, lookup: { phoneNumber?: string; uri?: string; name?: string }): Call {
    const connectionId = uuid()
    const call: Call = { connectionId, conversation, timers: [], stopped: false, speakerEvents: [] }
    this.calls.set(connectionId, call)
    // Bounded like the store: forget the oldest stopped calls.
    for (const [id, c] of this.calls) {
      if (this.calls.size <= 1000) break
      if (c.stopped) this.calls.delete(id)
    }
    const preload = this.core.preloads.find({ kind: 'telephony', connectionId, conversationId: conversation.id, ...lookup })
    if (preload) this.schedule(call, preload)
    return call
  }

  private schedule(call: Call, lines: PreloadedMessage[]): void {
    const c = call.conversation
    let sequence = 0
    let sentTopics = new Set<string>()
    for (const line of placePreloaded(lines)) {
      const later = (seconds: number, fn: () => void): void => {
        call.timers.push(this.core.timers.set(seconds * 1000, () => !call.stopped && fn(), { background: true }))
      }
      const words = line.text.split(/\s+/)
      later(line.start, () =>
        this.core.hub.publish(call.connectionId, {
          type: 'transcript_response',
          isFinal: false,
          payload: { content: words.slice(0, Math.ceil(words.length / 2)).join(' ') },
        }),
      )
      later(line.end, () => {
        const from = this.core.store.member(c, line.speaker ?? { name: 'Speaker 1' })
        const message = {
          id: numericId(),
          text: line.text,
          from,
          startMs: c.startMs + line.start * 1000,
          endMs: c.startMs + line.end * 1000,
          origin: 'fixture' as const,
        }
        c.messages.push(message)
        this.core.store.touch(c)
        const hub = this.core.hub
        hub.publish(call.connectionId, { type: 'transcript_response', isFinal: true, payload: { content: line.text } })
        hub.publish(call.connectionId, {
          type: 'message_response',
          messages: [streamMessageView(c, message, {})],
          sequenceNumber: sequence++,
        })
        const insights = insightsOf(message, insightContext(c)).filter((i) => i.score >= c.options.confidenceThreshold)
        if (insights.length)
          hub.publish(call.connectionId, {
            type: 'insight_response',
            insights: insights.map(streamInsightView),
            sequenceNumber: sequence++,
          })
        const fresh = extractTopics(c.id, c.messages).filter((t) => !sentTopics.has(t.id))
        sentTopics = new Set([...sentTopics, ...fresh.map((t) => t.id)])
        if (fresh.length) hub.publish(call.connectionId, { type: 'topic_response', topics: fresh.map((t) => streamTopicView(t)) })
      })
    }
  }

  /**
   * A speaker event (POST /v1/event/{id} or the events socket). Kept bounded, like every other store
   * here: only the latest MAX_SPEAKER_EVENTS per call and per conversation (800 MB of events once
   * held 877 MB). They are not applied to the call's messages (a call plays its preloaded lines, which
   * name their speakers); `PUT .../speakers` events are (speaker-events.ts), and these, with a
   * `timestamp` instead of an `offset`, are skipped there.
   */
  recordSpeakerEvent(call: Call, event: unknown): void {
    pushBounded(call.speakerEvents, [event], MAX_SPEAKER_EVENTS)
    pushBounded(call.conversation.speakerEvents, [event], MAX_SPEAKER_EVENTS)
  }

  /** The call if `scope` may reach it (the scope that started it; see tokens.ts). */
  visible(connectionId: string, scope: string | undefined): Call | undefined {
    const call = this.calls.get(connectionId)
    const owner = call?.conversation.owner
    return call && (owner === undefined || owner === scope) ? call : undefined
  }

  stop(connectionId: string): Call | undefined {
    const call = this.calls.get(connectionId)
    if (!call) return undefined
    call.stopped = true
    for (const t of call.timers) this.core.timers.clear(t)
    call.timers = []
    queueMicrotask(() => this.core.hub.closeAll(connectionId, 1000))
    return call
  }

  /** Playback timers are cancelled by the core's `timers.dispose()`; forget them here too. */
  /** The conversation was evicted or deleted: its calls end and are forgotten (they would keep it in memory). */
  forget(conversationId: string): void {
    for (const [id, call] of this.calls) {
      if (call.conversation.id !== conversationId) continue
      this.stop(id)
      this.calls.delete(id)
    }
  }

  dispose(): void {
    for (const call of this.calls.values()) call.timers = []
  }
}
