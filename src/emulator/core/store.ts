// In-memory state with a size bound: Maps keep insertion order, so the oldest conversation is the
// first key. Evicting (or deleting) a conversation tells the `onEvict` listeners (the core ends its
// telephony calls). Jobs are bounded on their own (`maxJobs`); cached analysis is keyed weakly by
// the conversation object, so it goes with it.

import { numericId, secretKey, uuid } from './ids.js'
import type { Conversation, ConversationOptions, ConversationSource, Job, Speaker } from './types.js'

export interface StoreOptions {
  /** Max conversations kept (default 1000); the oldest are evicted first. */
  maxConversations?: number
  /** Max jobs kept (default 10 x maxConversations). */
  maxJobs?: number
}

export class Store {
  readonly conversations = new Map<string, Conversation>()
  readonly jobs = new Map<string, Job>()
  private readonly maxConversations: number
  private readonly maxJobs: number
  private readonly evictListeners: Array<(id: string) => void> = []

  constructor(options: StoreOptions = {}) {
    this.maxConversations = Math.max(1, options.maxConversations ?? 1000)
    this.maxJobs = Math.max(1, options.maxJobs ?? this.maxConversations * 10)
  }

  onEvict(fn: (conversationId: string) => void): void {
    this.evictListeners.push(fn)
  }

  /** `owner`: the token scope creating it (see tokens.ts); only that scope will see it. */
  createConversation(source: ConversationSource, options: ConversationOptions, startMs = Date.now(), owner?: string): Conversation {
    const id = numericId()
    const conversation: Conversation = {
      id,
      // Contract 3.2: the name defaults to the conversationId.
      name: options.name ?? id,
      type: 'meeting',
      source,
      createdMs: Date.now(),
      startMs,
      metadata: {},
      members: [],
      messages: [],
      options,
      audio: [],
      pendingJobs: 0,
      revision: 0,
      speakerEvents: [],
      owner,
      pageKey: secretKey(),
    }
    this.conversations.set(id, conversation)
    while (this.conversations.size > this.maxConversations) {
      const oldest = this.conversations.keys().next().value as string
      this.delete(oldest)
    }
    return conversation
  }

  get(id: string): Conversation | undefined {
    return this.conversations.get(id)
  }

  /** The conversation if `scope` may see it (its owner, or no owner); otherwise undefined, as for an unknown id. */
  visible(id: string, scope: string | undefined): Conversation | undefined {
    const c = this.conversations.get(id)
    return c && (c.owner === undefined || c.owner === scope) ? c : undefined
  }

  /** Every conversation `scope` may see, oldest first. */
  *visibleTo(scope: string | undefined): Iterable<Conversation> {
    for (const c of this.conversations.values()) if (c.owner === undefined || c.owner === scope) yield c
  }

  /** The job if `scope` may see it. */
  visibleJob(id: string, scope: string | undefined): Job | undefined {
    const j = this.jobs.get(id)
    return j && (j.owner === undefined || j.owner === scope) ? j : undefined
  }

  delete(id: string): boolean {
    const existed = this.conversations.delete(id)
    if (existed) for (const fn of this.evictListeners) fn(id)
    return existed
  }

  addJob(conversationId: string, webhookUrl?: string, owner?: string): Job {
    const job: Job = { id: uuid(), conversationId, status: 'scheduled', createdMs: Date.now(), webhookUrl, owner }
    this.jobs.set(job.id, job)
    while (this.jobs.size > this.maxJobs) this.jobs.delete(this.jobs.keys().next().value as string)
    return job
  }

  /** Finds or adds a member by userId/email, then by name. */
  member(conversation: Conversation, who: { name?: string; userId?: string; email?: string } | undefined): Speaker {
    const userId = who?.userId ?? who?.email
    const name = who?.name ?? userId ?? `Speaker ${conversation.members.length + 1}`
    const found = conversation.members.find((m) => (userId ? m.userId === userId : !m.userId && m.name === name))
    if (found) return found
    const speaker: Speaker = { id: uuid(), name }
    if (userId) speaker.userId = userId
    const email = who?.email ?? (userId?.includes('@') ? userId : undefined)
    if (email) speaker.email = email
    conversation.members.push(speaker)
    return speaker
  }

  touch(conversation: Conversation): void {
    conversation.revision++
  }
}
