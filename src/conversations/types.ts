// Conversation API responses (contract section 4), typed from the contract's examples. Where the
// sources disagree the type is the union; fields seen in only some sources are optional.
import type { WaitOptions } from '../async/types.js'
import type { RequestOptions } from '../http/types.js'

/** The ids of a `Conversation`: `jobId` when it came from the Async API. */
export interface ConversationIds {
  conversationId: string
  jobId?: string | undefined
}

/** Polling settings a conversation keeps for later `wait()` calls and callbacks. */
export type ConversationWaitDefaults = Pick<WaitOptions, 'pollInterval' | 'waitTimeout'>

/**
 * A person. Three shapes exist: `{id, name, userId}` (insights, analytics), `{name, email}`
 * (DOCS22 messages and members) and `{id, name}` (GO), so every field is optional.
 */
export interface Speaker {
  id?: string
  name?: string
  userId?: string
  email?: string
}

export interface Sentiment {
  polarity: { score: number }
  suggested?: 'positive' | 'negative' | 'neutral'
}

export interface Phrase {
  type: string
  text: string
}

export interface Word {
  word: string
  startTime: string
  endTime: string
  score?: number
  timeOffset?: number
  duration?: number
  speakerTag?: number
}

export interface Message {
  id: string
  text: string
  from?: Speaker
  startTime: string
  endTime: string
  /** Seconds from the first message of the conversation. */
  timeOffset?: number
  /** Seconds. */
  duration?: number
  conversationId?: string
  /** Only when the job had `detectPhrases`. */
  phrases?: Phrase[]
  /** Only with `sentiment: true`. */
  sentiment?: Sentiment
  /** Only with `verbose: true`. */
  words?: Word[]
}

export interface MessagesResponse {
  messages: Message[]
}

export interface ConversationInfo {
  id: string
  type?: string
  name?: string
  startTime?: string
  endTime?: string
  members?: Speaker[]
  metadata?: Record<string, unknown>
}

/** The answer to `putMetadata`. */
export interface MetadataResponse {
  id: string
  metadata: Record<string, unknown>
}

export interface ListConversationsParams {
  /** Conversations per page (a positive integer).
   * @default 20
   */
  limit?: number | undefined
  /** Conversations to skip (0 or more).
   * @default 0
   */
  offset?: number | undefined
  /** Order on `sort`. */
  order?: 'asc' | 'desc' | undefined
  /** The field to sort on.
   * @default 'conversation.startTime'
   */
  sort?: string | undefined
  startTime?: string | undefined
  endTime?: string | undefined
  /** RSQL, at most two clauses joined by `;` (no OR), e.g. `name==Weekly*;startTime=gt=2021-01-01T00:00:00Z`. */
  filter?: string | undefined
}

export interface ConversationListResponse {
  conversations: ConversationInfo[]
}

export interface Member {
  id: string
  name?: string
  email?: string
  userId?: string
}

export interface MembersResponse {
  members: Member[]
}

/** The `{ message }` answer of PUT and DELETE calls. */
export interface MessageResponse {
  message: string
}

export interface InsightEntity {
  type: string
  text: string
  offset?: number
  /** `{assignee, name}` for a person, an ISO date for a date. */
  value?: unknown
  /** For `datetimerange`. */
  start?: string
  end?: string
}

export interface Insight {
  id: string
  text: string
  type: string
  score?: number
  messageIds?: string[]
  from?: Speaker
  entities?: InsightEntity[]
  phrases?: Phrase[]
  definitive?: boolean
  /** May be `{}`. */
  assignee?: Speaker
  /** Only when a date was detected. */
  dueBy?: string
}

export interface QuestionsResponse {
  questions: Insight[]
}

export interface ActionItemsResponse {
  actionItems: Insight[]
}

export interface FollowUpsResponse {
  followUps: Insight[]
}

export interface Topic {
  id: string
  text: string
  type: string
  score?: number
  messageIds?: string[]
  /** With `sentiment: true`. */
  sentiment?: Sentiment
  /** With `parentRefs: true`. */
  parentRefs?: Array<{ type: string; text: string }>
}

export interface TopicsResponse {
  topics: Topic[]
}

export interface MessageRef {
  id: string
  text?: string
  offset?: number
  startTime?: string
  endTime?: string
}

/** DOCS22 / PY shape (the `symbl_rest` model). */
export interface Entity {
  type: string
  customType?: string
  value?: string
  text?: string
  start?: string
  end?: string
  messageRefs?: MessageRef[]
}

/** GO 2024 shape. */
export interface GroupedEntity {
  type: string
  subType?: string
  category?: string
  matches: Array<{ detectedValue: string; messageRefs: MessageRef[] }>
}

export interface EntitiesResponse {
  /** Which shape the final server sent is not documented: check for `matches`. */
  entities: Array<Entity | GroupedEntity>
}

export interface TrackerMatch {
  type: string
  value: string
  /** offset −1: a fuzzy match; ≥0: the position of an exact match in the text. */
  messageRefs: MessageRef[]
  insightRefs?: Array<MessageRef & { type: string }>
}

export interface Tracker {
  id: string
  name: string
  matches: TrackerMatch[]
}

/** `/trackers-detected` answers a bare array. */
export type TrackersResponse = Tracker[]

export interface AnalyticsMetric {
  type: 'total_silence' | 'total_talk_time' | 'total_overlap' | (string & {})
  percent: number
  seconds: number
}

export interface AnalyticsMember extends Speaker {
  pace?: { wpm: number }
  /** `percentage` here, `percent` in metrics: the server's spelling. */
  talkTime?: { percentage: number; seconds: number }
  listenTime?: { percentage: number; seconds: number }
  /** Empty for Async and Telephony conversations. */
  overlap?: { overlapDuration?: number; overlappingMembers?: Array<Speaker & { percent: number; seconds: number }> }
}

export interface AnalyticsResponse {
  metrics: AnalyticsMetric[]
  members: AnalyticsMember[]
}

export interface SummaryItem {
  id: string
  text: string
  messageRefs?: Array<{ id: string }>
  startTime?: string
  endTime?: string
  bookmarkReference?: { id: string }
}

export interface SummaryResponse {
  summary: SummaryItem[]
}

export interface TranscriptResponse {
  transcript: {
    /** A string (GO, emulator) or, for SRT in DOCS22, an object. */
    payload: string | { content: string; contentType?: string }
    contentType: 'text/markdown' | 'text/srt' | (string & {})
  }
}

// Request parameters.

export interface MessagesParams {
  /** Adds `words` with per-word scores. */
  verbose?: boolean | undefined
  /** Adds `sentiment`. */
  sentiment?: boolean | undefined
}

export interface TopicsParams {
  /** Cannot be combined with `parentRefs` (DOCS22). */
  sentiment?: boolean | undefined
  parentRefs?: boolean | undefined
  customTopicVocabulary?: boolean | undefined
  refresh?: boolean | undefined
}

export interface SummaryParams {
  /** Regenerates the summary. */
  refresh?: boolean | undefined
}

export interface MemberUpdate {
  /** Defaults to the memberId argument; must equal it when given. */
  id?: string | undefined
  name: string
  /** Lets the server merge duplicates after appends. */
  email?: string | undefined
}

export interface SpeakerEvent {
  type: 'started_speaking' | 'stopped_speaking'
  user: Speaker
  /** `nanos` 0–999 999 999. */
  offset: { seconds: number; nanos: number }
}

export interface SpeakerEventsParams {
  speakerEvents: SpeakerEvent[]
}

export interface FormattedTranscriptParams {
  contentType: 'text/markdown' | 'text/srt'
  createParagraphs?: boolean | undefined
  /** Markdown only. */
  phrases?: { highlightOnlyInsightKeyPhrases?: boolean; highlightAllKeyPhrases?: boolean } | undefined
  showSpeakerSeparation?: boolean | undefined
}

// What the calls take: the parameters above plus `signal` and `timeout` (RequestOptions), in one
// object. The SDK takes `signal` and `timeout` out before sending the rest.

/** `conversations.list(options)`. */
export interface ListConversationsOptions extends ListConversationsParams, RequestOptions {}

/** `getMessages(options)`. */
export interface MessagesOptions extends MessagesParams, RequestOptions {}

/** `getTopics(options)`. */
export interface TopicsOptions extends TopicsParams, RequestOptions {}

/** `getSummary(options)`. */
export interface SummaryOptions extends SummaryParams, RequestOptions {}

/** `getFormattedTranscript(options)`. */
export interface FormattedTranscriptOptions extends FormattedTranscriptParams, RequestOptions {}

// speakerSentiment (sentiment-series.ts).

export interface SentimentPoint {
  /** Seconds from the start of the first message. */
  time: number
  /** −1 (negative) to 1 (positive). */
  polarity: number
}

export interface SpeakerSentiment {
  speaker: string
  points: SentimentPoint[]
}
