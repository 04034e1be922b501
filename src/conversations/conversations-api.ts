import type { SymblClient } from '../client.js'

/** The Conversation API. */
export class ConversationsApi {
  constructor(readonly client: SymblClient) {}
}
