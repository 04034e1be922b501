import type { SymblClient } from '../client.js'
import { BOUND_CALLS, defineCalls } from './calls.js'
import type { ConversationRequests } from './requests.js'

export type { BoundConversationCalls } from './calls.js'

/**
 * The Conversation API: every call takes the conversationId first (Python's `symbl.Conversations`);
 * `Conversation` has the same calls with its own id filled in. The calls are those of
 * `ConversationRequests` (requests.ts, their documentation and code), which a page downloads on
 * the first call.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the calls are defined on the prototype in the static block
export class ConversationsApi {
  constructor(readonly client: SymblClient) {}

  static {
    defineCalls(
      ConversationsApi.prototype,
      ['list', ...BOUND_CALLS],
      (self) => self.client,
      (_, given) => given,
    )
  }
}

/** The Conversation API calls: `list()`, `getMessages(conversationId)`, `getTopics(conversationId)`, `delete(conversationId)` and the rest. */
// Declaration merging on purpose: the calls generated in the static block above, typed.
export interface ConversationsApi extends ConversationRequests {}
