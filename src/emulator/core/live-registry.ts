// Live streams by connectionId. A stream whose sockets all went away without stop_request waits
// `noConnectionTimeout` seconds (contract 6.2; default here 600) for a reconnect, then completes.
// Bounded: beyond `max` live streams, the oldest idle one is completed.

import { LiveStream, type LiveConfig } from './live.js'
import { checkAnalysisBounds } from './options.js'
import type { Preloads } from './preload.js'
import type { FrameSender, Hub } from './sockets.js'
import type { Store } from './store.js'
import type { Timers } from './time.js'

interface Entry {
  live: LiveStream
  senders: Set<FrameSender>
  timer?: ReturnType<typeof setTimeout>
}

export class LiveStreams {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly store: Store,
    private readonly preloads: Preloads,
    private readonly hub: Hub,
    private readonly timers: Timers,
    private readonly max = 1000,
  ) {}

  get size(): number {
    return this.entries.size
  }

  get(connectionId: string): LiveStream | undefined {
    return this.entries.get(connectionId)?.live
  }

  /** Whether a stream of this conversation has not completed yet. */
  hasLive(conversationId: string): boolean {
    for (const entry of this.entries.values()) if (entry.live.conversation.id === conversationId && !entry.live.completed) return true
    return false
  }

  attach(
    connectionId: string,
    sender: FrameSender,
    config: LiveConfig,
    name: string | undefined,
    noConnectionTimeout: number | undefined,
    owner?: string,
  ): LiveStream {
    const existing = this.entries.get(connectionId)
    // A reconnect continues the stream only for the scope that started it (the handshake refuses others).
    if (
      existing &&
      !existing.live.completed &&
      this.store.get(existing.live.conversation.id) &&
      (existing.live.conversation.owner === undefined || existing.live.conversation.owner === owner)
    ) {
      const c = existing.live.conversation
      const names = new Set(config.trackers.map((t) => t.name))
      const trackers = [...c.options.trackers.filter((t) => !names.has(t.name)), ...config.trackers]
      checkAnalysisBounds(trackers, []) // reconnects add trackers up: bounded like appends (checked before any change)
      this.timers.clear(existing.timer)
      existing.timer = undefined
      existing.senders.add(sender)
      existing.live.config = { ...config }
      existing.live.setFormat(config.encoding, config.sampleRate)
      c.options = { ...c.options, trackers }
      this.timeouts.set(connectionId, noConnectionTimeout)
      return existing.live
    }
    const conversation = this.store.createConversation(
      'streaming',
      {
        name,
        confidenceThreshold: config.confidenceThreshold,
        detectPhrases: false,
        detectEntities: true,
        enableAllTrackers: config.enableAllTrackers,
        trackers: config.trackers,
        entities: [],
        customVocabulary: [],
        languageCode: 'en-US',
      },
      undefined,
      owner,
    )
    const preload = this.preloads.find({ kind: 'streaming', connectionId, name, conversationId: conversation.id })
    const senders = new Set<FrameSender>([sender])
    const live = new LiveStream(
      connectionId,
      conversation,
      config,
      this.store,
      (frame) => {
        for (const s of senders) s.json(frame)
        this.hub.publish(connectionId, frame)
      },
      preload,
      (frame) => {
        for (const s of senders) s.json(frame)
      },
    )
    this.entries.set(connectionId, { live, senders })
    this.timeouts.set(connectionId, noConnectionTimeout)
    this.evict()
    return live
  }

  private readonly timeouts = new Map<string, number | undefined>()

  detach(connectionId: string, sender: FrameSender): void {
    const entry = this.entries.get(connectionId)
    if (!entry) return
    entry.senders.delete(sender)
    if (entry.senders.size) return
    const seconds = this.timeouts.get(connectionId) ?? 600
    entry.timer = this.timers.set(seconds * 1000, () => this.complete(connectionId, false), { background: true })
  }

  /**
   * A socket kept open after stop_request (disconnectOnStopRequest:false) closed, by the client or
   * the disconnectOnStopRequestTimeout: without another socket on the id, the conversation is final.
   */
  releaseStopped(connectionId: string, sender: FrameSender): void {
    const entry = this.entries.get(connectionId)
    if (!entry) return
    entry.senders.delete(sender)
    if (!entry.senders.size) this.complete(connectionId, false)
  }

  /** Finalises the stream. `keep`: disconnectOnStopRequest:false, the conversation can restart. */
  complete(connectionId: string, keep: boolean): void {
    const entry = this.entries.get(connectionId)
    if (!entry) return
    entry.live.finish()
    if (keep) return
    entry.live.completed = true
    this.timers.clear(entry.timer)
    this.entries.delete(connectionId)
    this.timeouts.delete(connectionId)
    // Subscribers get the final frames first (the caller broadcasts them), then a clean close.
    queueMicrotask(() => this.hub.closeAll(connectionId, 1000))
  }

  dispose(): void {
    for (const entry of this.entries.values()) this.timers.clear(entry.timer)
    this.entries.clear()
    this.timeouts.clear()
  }

  private evict(): void {
    if (this.entries.size <= this.max) return
    for (const [id, entry] of this.entries) {
      if (!entry.senders.size) {
        this.complete(id, false)
        if (this.entries.size <= this.max) return
      }
    }
  }
}
