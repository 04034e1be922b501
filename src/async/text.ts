import type { SymblClient } from '../client.js'
import type { Conversation } from '../conversations/conversation.js'
import { loadSubmissions } from './media-api.js'
import type { TextOptions, TextPayload } from './types.js'

export type { TextOptions }

/** The Text API: Python's `symbl.Text`. The checks of the messages load with the first call (submissions.ts). */
export class TextApi {
  constructor(readonly client: SymblClient) {}

  /** Starts a job for a conversation given as messages (`POST /v1/process/text`). */
  async process(payload: TextPayload, options?: TextOptions): Promise<Conversation> {
    return (await loadSubmissions()).text(this.client, false, payload, undefined, options)
  }

  /** Adds messages to an existing conversation (`PUT /v1/process/text/{conversationId}`). */
  async append(payload: TextPayload, conversationId: string, options?: TextOptions): Promise<Conversation> {
    return (await loadSubmissions()).text(this.client, true, payload, conversationId, options)
  }
}
