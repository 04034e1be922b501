// Public types of the Telephony API (contract 5).
import type { SymblError } from '../errors.js'
import type { RequestOptions } from '../http/types.js'
import type { InsightResponse, KeepAliveOptions, MessageResponse, ReconnectOptions, TopicResponse } from '../socket/types.js'

export interface TelephonyAction {
  invokeOn: 'start' | 'stop'
  name: string
  parameters?: Record<string, unknown> | undefined
}

/** What `startPstn` and `startSip` share. `signal` and `timeout` apply to the start request. */
export interface TelephonyStartOptions extends RequestOptions {
  /** One action or a list; always sent as a list.
   * @default []
   */
  actions?: TelephonyAction | TelephonyAction[] | undefined
  /** E.g. `{ session: { name: 'My meeting' } }`. */
  data?: Record<string, unknown> | undefined
  /** BCP-47 codes, e.g. `['en-US']` (a single string is accepted) or, as Symbl's JS SDK sends them, `[{ code: 'en-US' }]`; the first one is used. */
  languages?: string | Array<string | { code: string }> | undefined
  /** IANA time zone, e.g. `'US/Pacific'`. */
  timezone?: string | undefined
}

export interface PstnOptions extends TelephonyStartOptions {
  /** The number to dial, E.164 digits with or without the leading `+`, e.g. `'14082924837'`. */
  phoneNumber: string
  /** Keys to press after the call connects; `,` is a 500 ms pause, e.g. `',,85123456789#,,123456#'`. */
  dtmf?: string | undefined
}

export interface SipAudioConfig {
  encoding?: string | undefined
  sampleRate?: number | undefined
  sampleSize?: string | number | undefined
  payloadType?: number | undefined
}

export interface SipOptions extends TelephonyStartOptions {
  /** E.g. `'sip:555@your_sip_domain'`. */
  uri: string
  audioConfig?: SipAudioConfig | undefined
}

export interface TelephonySpeakerEvent {
  type: 'started_speaking' | 'stopped_speaking' | 'joined' | 'left'
  user: { userId?: string; name?: string; [key: string]: unknown }
  /** ISO time.
   * @default the time of the call (`new Date().toISOString()`)
   */
  timestamp?: string | undefined
}

/** The answer to a start (contract 5.1). */
export interface TelephonyStartResponse {
  connectionId: string
  conversationId?: string
  eventUrl?: string
  resultWebSocketUrl?: string
  [key: string]: unknown
}

/** The answer to a stop (contract 5.2). */
export interface TelephonyStopResponse {
  connectionId: string
  conversationId?: string
  summaryInfo?: Array<{ user?: Record<string, unknown>; url?: string }>
  [key: string]: unknown
}

export interface TranscriptResponseFrame {
  type: 'transcript_response'
  isFinal?: boolean
  payload: { content: string; [key: string]: unknown }
  [key: string]: unknown
}

/** Live events of a call, received over `/session/subscribe/{connectionId}`. */
export interface TelephonyEvents {
  transcript_response: (frame: TranscriptResponseFrame) => void
  message_response: (frame: MessageResponse) => void
  insight_response: (frame: InsightResponse) => void
  topic_response: (frame: TopicResponse) => void
  /** Malformed frames, server error frames, and a subscription that could not be (re)opened. Never thrown. */
  error: (error: SymblError) => void
  open: () => void
  close: (info: { code: number; reason: string }) => void
}

export type TelephonySubscription = { [K in keyof TelephonyEvents]?: TelephonyEvents[K] }

/**
 * `symbl.telephony.socketOptions`: the subscribe sockets of the calls started afterwards (checked
 * before a call is dialed).
 */
export interface SubscriptionOptions {
  /** Reopening the socket after a drop; `false` disables it.
   * @default {} (on, with the defaults of `ReconnectOptions`)
   */
  reconnect?: ReconnectOptions | false | undefined
  /** `__PING__` keep-alive that finds half-open sockets; `false` disables it.
   * @default {} (on, with the defaults of `KeepAliveOptions`)
   */
  keepAlive?: KeepAliveOptions | false | undefined
  /** Time allowed per attempt to get the token and complete the WebSocket handshake; then the attempt fails with a `TimeoutError`. In ms, above 0, at most 2 147 483 647.
   * @default 15000
   */
  openTimeoutMs?: number | undefined
  /** How long a socket must stay up, if it delivers no frame, before the count of failed attempts starts again. In ms, above 0, at most 2 147 483 647.
   * @default 5000
   */
  stableMs?: number | undefined
}
