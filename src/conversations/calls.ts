// What `ConversationsApi` and `Conversation` need up front for the Conversation API: the names of
// its calls and the loader of their code (requests.ts), which a page downloads on the first call.
// A live-captions page that only reads `conversation.conversationId` after `stop()` never does.
import type { SymblClient } from '../client.js'
import { partLoader } from '../utils/load-part.js'
import type { ConversationRequests } from './requests.js'

/** The calls that take the conversationId first: every public method of ConversationRequests but `list`. */
export type BoundCallName = Exclude<keyof ConversationRequests, 'client' | 'list'>

/** The Conversation API calls for one conversation: the conversationId is already known. */
export type BoundConversationCalls = {
  [K in BoundCallName]: ConversationRequests[K] extends (conversationId: string, ...args: infer A) => infer R ? (...args: A) => R : never
}

// A record rather than a list so that the compiler checks it both ways: a call missing here, or a
// name that is not a call of ConversationRequests, fails the type check.
const BOUND: Record<BoundCallName, 0> = {
  getConversation: 0,
  putMetadata: 0,
  getMessages: 0,
  getMembers: 0,
  getQuestions: 0,
  getActionItems: 0,
  getFollowUps: 0,
  getTopics: 0,
  getEntities: 0,
  getTrackers: 0,
  getAnalytics: 0,
  getSummary: 0,
  getFormattedTranscript: 0,
  putMembers: 0,
  putSpeakersEvents: 0,
  delete: 0,
}

/** The names of the calls that take the conversationId first, in the order of ConversationRequests. */
export const BOUND_CALLS = Object.keys(BOUND) as BoundCallName[]

const loadRequests = partLoader('the Conversation API', () => import('./requests.js'))

/** Runs call `name` of the Conversation API, loading its code on first use. */
export async function runCall(client: SymblClient, name: BoundCallName | 'list', args: unknown[]): Promise<unknown> {
  const { ConversationRequests } = await loadRequests()
  return (new ConversationRequests(client)[name] as (...args: unknown[]) => Promise<unknown>)(...args)
}

/**
 * Defines the calls `names` on `prototype`, non-enumerable like written-out methods, each running
 * `runCall` with the arguments `args` makes of the caller's (`Conversation` puts its id first).
 */
export function defineCalls<T extends object>(
  prototype: T,
  names: Array<BoundCallName | 'list'>,
  client: (self: T) => SymblClient,
  args: (self: T, given: unknown[]) => unknown[],
): void {
  for (const name of names) {
    Object.defineProperty(prototype, name, {
      configurable: true,
      writable: true,
      value(this: T, ...given: unknown[]) {
        return runCall(client(this), name, args(this, given))
      },
    })
  }
}
