// What both socket kinds share: the options of reconnection and keep-alive (a streaming
// connection's `startConnection({ reconnect, keepAlive })`, a call's `telephony.socketOptions`),
// and the result frames both receive (contract 5.4: "as in streaming (6.5)"). Re-exported by
// src/streaming/types.ts, where the public API names them.

export interface ReconnectOptions {
  /** Failed attempts in a row before the connection gives up (0 or more).
   * @default 8
   */
  maxAttempts?: number | undefined
  /** Delay before the first attempt, doubled each time, with jitter, in ms (0 to 2 147 483 647).
   * @default 500
   */
  initialDelayMs?: number | undefined
  /** Cap on one delay, in ms (0 to 2 147 483 647).
   * @default 10000
   */
  maxDelayMs?: number | undefined
}

export interface KeepAliveOptions {
  /** How often `__PING__` is sent, in ms (above 0, at most 2 147 483 647); what Symbl's JS SDK does by default.
   * @default 30500
   */
  intervalMs?: number | undefined
  /** How long without any frame from the server after a ping before the socket counts as dead, in ms (above 0, at most 2 147 483 647).
   * @default 30000
   */
  timeoutMs?: number | undefined
}

export interface StreamingUser {
  id?: string
  userId?: string
  name?: string
}

export interface StreamingMessage {
  id: string
  from?: StreamingUser
  payload: { content: string; contentType?: string }
  channel?: { id: string }
  metadata?: { words?: string; [key: string]: unknown }
  dismissed?: boolean
  duration?: { startTime?: string; endTime?: string; timeOffset?: number; duration?: number }
  sentiment?: { polarity: { score: number }; suggested?: string }
  [key: string]: unknown
}

/** The wire frame; the SDK's events carry `MessageResponseFrame` (src/streaming/types.ts) (this plus `audioOffsetMs`). */
export interface MessageResponse {
  type: 'message_response'
  messages: StreamingMessage[]
  sequenceNumber?: number
  [key: string]: unknown
}

export interface StreamingInsight {
  id?: string
  type: string
  text?: string
  confidence?: number
  payload?: { content: string; contentType?: string }
  from?: StreamingUser
  assignee?: StreamingUser
  [key: string]: unknown
}

/** The wire frame; the SDK's events carry `InsightResponseFrame` (src/streaming/types.ts) (this plus `audioOffsetMs`). */
export interface InsightResponse {
  type: 'insight_response'
  insights: StreamingInsight[]
  sequenceNumber?: number
  [key: string]: unknown
}

/** The wire frame; the SDK's events carry `TopicResponseFrame` (src/streaming/types.ts) (this plus `audioOffsetMs`). */
export interface TopicResponse {
  type: 'topic_response'
  topics: Array<{ id?: string; type?: string; phrases: string; score?: number; [key: string]: unknown }>
  [key: string]: unknown
}
