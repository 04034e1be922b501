import type { SymblClient } from '../client.js'

export interface ConversationIds {
  conversationId: string
  jobId?: string
}

/**
 * One conversation: its ids and every Conversation API call for it. Returned by the Async API,
 * by a streaming connection's `stop()`, and by telephony.
 */
export class Conversation {
  readonly conversationId: string
  readonly jobId: string | undefined

  constructor(
    readonly client: SymblClient,
    ids: ConversationIds,
  ) {
    this.conversationId = ids.conversationId
    this.jobId = ids.jobId
  }

  /** Python SDK parity. */
  getConversationId(): string {
    return this.conversationId
  }

  /** Python SDK parity. */
  getJobId(): string | undefined {
    return this.jobId
  }
}
