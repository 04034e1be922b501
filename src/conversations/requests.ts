// The Conversation API's requests: the checks of each call's arguments and the request itself,
// loaded on the first call (calls.ts): a page that only reads `conversation.conversationId` (a
// live-captions page after `stop()`) does not download them.
import type { SymblClient } from '../client.js'
import { HttpError, NotFoundError, ValidationError } from '../errors.js'
import type { HttpMethod } from '../http/types.js'
import { describe, invalid, optionalObject } from '../http/check.js'
import { pathId, type Query } from '../http/url.js'
import { requestOptions, withoutRequestOptions } from '../http/request-options.js'
import type { RequestOptions } from '../http/types.js'
import type {
  ActionItemsResponse,
  AnalyticsResponse,
  ConversationInfo,
  EntitiesResponse,
  FollowUpsResponse,
  FormattedTranscriptOptions,
  MemberUpdate,
  MembersResponse,
  MessageResponse,
  MessagesOptions,
  MessagesResponse,
  MetadataResponse,
  ListConversationsOptions,
  ConversationListResponse,
  QuestionsResponse,
  SpeakerEventsParams,
  SummaryOptions,
  SummaryResponse,
  TopicsOptions,
  TopicsResponse,
  TrackersResponse,
  TranscriptResponse,
} from './types.js'

/** Boolean query parameters of the calls below (MessagesParams, TopicsParams, SummaryParams). */
const FLAGS = ['verbose', 'sentiment', 'parentRefs', 'customTopicVocabulary', 'refresh']

/**
 * The one request path of this area: validates and encodes the id, checks the params object and
 * takes `signal` and `timeout` out of it (`options`: a separate `RequestOptions`, for calls whose
 * last-but-one argument is a body).
 */
async function call<T>(
  client: SymblClient,
  method: HttpMethod,
  conversationId: string,
  suffix = '',
  query?: object,
  json?: unknown,
  idempotent?: boolean,
  options: unknown = query,
): Promise<T> {
  const path = `/v1/conversations/${pathId('conversationId', conversationId)}${suffix}`
  optionalObject('params', '{ sentiment: true }', query)
  const request = requestOptions(options === query ? 'params' : 'options', options)
  const params = withoutRequestOptions(query)
  // The documented query flags are booleans: `{ sentiment: 'yes' }` would reach the server as is.
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && FLAGS.includes(key) && typeof value !== 'boolean') invalid(`params.${key}`, 'true or false', value)
  }
  return client.http.request<T>({ method, path, query: params as Query, json, idempotent, ...request })
}

/**
 * The Conversation API's calls: every one but `list` takes the conversationId first (Python's
 * `symbl.Conversations`). `ConversationsApi` and `Conversation` (with its own id filled in) have
 * these methods, generated from the names in calls.ts, so each call is written, and shipped to
 * browsers, once.
 */
export class ConversationRequests {
  constructor(readonly client: SymblClient) {}

  /**
   * Lists the account's conversations (contract 4.1, `GET /v1/conversations`): `limit` (default 20),
   * `offset`, `order` on the start time, `sort`, `startTime`/`endTime` and an RSQL `filter` (at most
   * two clauses, no OR). The one method here without a conversationId, so `Conversation` skips it.
   */
  async list(options: ListConversationsOptions = {}): Promise<ConversationListResponse> {
    optionalObject('params', '{ limit: 20, order: "desc" }', options)
    const request = requestOptions('list: params', options)
    const params = withoutRequestOptions(options)!
    if (params.limit !== undefined && !(Number.isInteger(params.limit) && params.limit > 0))
      invalid('list: params.limit', 'a positive integer', params.limit)
    if (params.offset !== undefined && !(Number.isInteger(params.offset) && params.offset >= 0))
      invalid('list: params.offset', 'an integer of 0 or more', params.offset)
    if (params.order !== undefined && params.order !== 'asc' && params.order !== 'desc')
      invalid('list: params.order', "'asc' or 'desc'", params.order)
    return this.client.http.request({ method: 'GET', path: '/v1/conversations', query: params as Query, ...request })
  }

  getConversation(conversationId: string, options?: RequestOptions): Promise<ConversationInfo> {
    return call(this.client, 'GET', conversationId, '', undefined, undefined, undefined, options)
  }

  /** Replaces the conversation's metadata (contract 4.1: `PUT /v1/conversations/{id}`). */
  async putMetadata(conversationId: string, metadata: Record<string, unknown>, options?: RequestOptions): Promise<MetadataResponse> {
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata))
      invalid('putMetadata: metadata', 'an object, e.g. { label: "Business" }', metadata)
    return call(this.client, 'PUT', conversationId, '', undefined, { metadata }, undefined, options)
  }

  /** The transcript; `{ sentiment: true }` adds polarity, `{ verbose: true }` word timings. */
  getMessages(conversationId: string, params?: MessagesOptions): Promise<MessagesResponse> {
    return call(this.client, 'GET', conversationId, '/messages', params)
  }

  getMembers(conversationId: string, options?: RequestOptions): Promise<MembersResponse> {
    return call(this.client, 'GET', conversationId, '/members', undefined, undefined, undefined, options)
  }

  getQuestions(conversationId: string, options?: RequestOptions): Promise<QuestionsResponse> {
    return call(this.client, 'GET', conversationId, '/questions', undefined, undefined, undefined, options)
  }

  getActionItems(conversationId: string, options?: RequestOptions): Promise<ActionItemsResponse> {
    return call(this.client, 'GET', conversationId, '/action-items', undefined, undefined, undefined, options)
  }

  getFollowUps(conversationId: string, options?: RequestOptions): Promise<FollowUpsResponse> {
    return call(this.client, 'GET', conversationId, '/follow-ups', undefined, undefined, undefined, options)
  }

  async getTopics(conversationId: string, params?: TopicsOptions): Promise<TopicsResponse> {
    if (params?.sentiment && params.parentRefs) {
      throw new ValidationError('getTopics: `sentiment` and `parentRefs` cannot be combined (Symbl refuses it); make two calls')
    }
    return call(this.client, 'GET', conversationId, '/topics', params)
  }

  /** Needs a job submitted with `detectEntities: true`. */
  getEntities(conversationId: string, options?: RequestOptions): Promise<EntitiesResponse> {
    return call(this.client, 'GET', conversationId, '/entities', undefined, undefined, undefined, options)
  }

  /** `/trackers-detected` (DOCS22), not the deprecated `/trackers` that Python calls. */
  getTrackers(conversationId: string, options?: RequestOptions): Promise<TrackersResponse> {
    return call(this.client, 'GET', conversationId, '/trackers-detected', undefined, undefined, undefined, options)
  }

  getAnalytics(conversationId: string, options?: RequestOptions): Promise<AnalyticsResponse> {
    return call(this.client, 'GET', conversationId, '/analytics', undefined, undefined, undefined, options)
  }

  /** Beta; needs `enableSummary: true` on the job. A NotFoundError while the job is still running. */
  getSummary(conversationId: string, params?: SummaryOptions): Promise<SummaryResponse> {
    return call(this.client, 'GET', conversationId, '/summary', params)
  }

  /** The transcript as Markdown or SRT. A read, so it is retried like one even though it is a POST. */
  async getFormattedTranscript(conversationId: string, params: FormattedTranscriptOptions): Promise<TranscriptResponse> {
    const type = params?.contentType
    if (type !== 'text/markdown' && type !== 'text/srt') {
      throw new ValidationError(`getFormattedTranscript needs contentType 'text/markdown' or 'text/srt', got ${describe(type)}`)
    }
    if (type === 'text/srt' && params.phrases)
      throw new ValidationError('getFormattedTranscript: `phrases` highlighting works with text/markdown only')
    return call(this.client, 'POST', conversationId, '/transcript', undefined, withoutRequestOptions(params), true, params)
  }

  /** Renames a member (or sets its email); the change reaches every message and insight. */
  async putMembers(conversationId: string, memberId: string, params: MemberUpdate, options?: RequestOptions): Promise<MessageResponse> {
    const id = pathId('memberId', memberId)
    if (typeof params?.name !== 'string' || !params.name) invalid('putMembers: params.name', 'a non-empty string', params?.name)
    if (params.id !== undefined && params.id !== memberId)
      throw new ValidationError(`putMembers: params.id ${JSON.stringify(params.id)} differs from memberId ${JSON.stringify(memberId)}`)
    return call(this.client, 'PUT', conversationId, `/members/${id}`, undefined, { ...params, id: memberId }, undefined, options)
  }

  /** Attributes speech to speakers after the fact (contract 4.5). */
  async putSpeakersEvents(conversationId: string, params: SpeakerEventsParams, options?: RequestOptions): Promise<MessageResponse> {
    const events = params?.speakerEvents
    if (!Array.isArray(events) || events.length === 0)
      throw new ValidationError('putSpeakersEvents needs params.speakerEvents, a non-empty array')
    for (const [i, e] of events.entries()) {
      const nanos = e?.offset?.nanos
      if (
        (e?.type !== 'started_speaking' && e?.type !== 'stopped_speaking') ||
        !e.user ||
        !(e.offset?.seconds >= 0) ||
        !(nanos >= 0 && nanos <= 999_999_999)
      ) {
        throw new ValidationError(
          `speakerEvents[${i}] must be { type: 'started_speaking' | 'stopped_speaking', user, offset: { seconds >= 0, nanos 0–999999999 } }`,
        )
      }
    }
    return call(this.client, 'PUT', conversationId, '/speakers', undefined, params, undefined, options)
  }

  /** Deletes the conversation and everything derived from it. */
  async delete(conversationId: string, options?: RequestOptions): Promise<MessageResponse> {
    try {
      return await call<MessageResponse>(this.client, 'DELETE', conversationId, '', undefined, undefined, undefined, options)
    } catch (error) {
      // The status for an unknown id is not documented (contract 4.15); its text is. Report it as not found.
      if (
        error instanceof HttpError &&
        !(error instanceof NotFoundError) &&
        error.status === 400 &&
        /invalid or does not exist/.test(error.serverMessage ?? '')
      ) {
        throw new NotFoundError({ status: error.status, method: error.method, url: error.url, body: error.body })
      }
      throw error
    }
  }
}
