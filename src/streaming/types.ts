// Public types of the Streaming API: the options of `startConnection`, the frames the server sends
// (contract 6.5; only attested fields are typed, the rest passes through) and the typed events.
import type { SymblError } from '../errors.js'
import type { CaptureEvent, MicrophoneOptions, SampleFormat } from '../audio/types.js'
import type { RequestOptions } from '../http/types.js'
import type { InsightResponse, KeepAliveOptions, MessageResponse, ReconnectOptions, StreamingUser, TopicResponse } from '../socket/types.js'

export type AudioEncoding = 'LINEAR16' | 'FLAC' | 'MULAW' | 'Opus' | 'OPUS'

export interface SpeechRecognition {
  /** The audio encoding; `LINEAR16` is raw signed 16-bit little-endian mono PCM.
   * @default 'LINEAR16'
   */
  encoding?: AudioEncoding | undefined
  /** The sample rate in Hz.
   * @default 16000
   */
  sampleRateHertz?: number | undefined
}

/** `start_request.config` (contract 6.2). Unknown keys are sent as given. */
export interface StreamingConfig {
  confidenceThreshold?: number | undefined
  languageCode?: string | undefined
  timezoneOffset?: number | undefined
  meetingTitle?: string | undefined
  sentiment?: boolean | undefined
  detectEntities?: boolean | undefined
  trackers?: { interimResults?: boolean; enableAllTrackers?: boolean } | undefined
  speechRecognition?: SpeechRecognition | undefined
  [key: string]: unknown
}

export interface StreamingSpeaker {
  userId?: string | undefined
  name?: string | undefined
}

export interface StreamingTracker {
  name: string
  vocabulary: string[]
}

export type { KeepAliveOptions, ReconnectOptions } from '../socket/types.js'
// The result frames, the same on a call's subscription (contract 5.4: "as in streaming").
export type { InsightResponse, MessageResponse, StreamingInsight, StreamingMessage, StreamingUser, TopicResponse } from '../socket/types.js'

/** What `sendAudio` does when its queue is full (it holds at most `maxQueueSeconds` of audio). */
export type QueueFullPolicy = 'wait' | 'drop-oldest' | 'error'

export interface StreamingOptions extends RequestOptions {
  /** The connection id (`^[a-zA-Z0-9-]{6,64}$`). Reusing one rejoins that conversation.
   * @default a new UUID (`crypto.randomUUID()`)
   */
  id?: string | undefined
  speaker?: StreamingSpeaker | undefined
  insightTypes?: string[] | undefined
  config?: StreamingConfig | undefined
  trackers?: StreamingTracker[] | undefined
  customVocabulary?: string[] | undefined
  /** Seconds (0–1800) the server keeps the conversation open for a reconnect after an unexpected drop. */
  noConnectionTimeout?: number | undefined
  disconnectOnStopRequest?: boolean | undefined
  disconnectOnStopRequestTimeout?: number | undefined
  /** Aborts the start; aborting later closes the connection at once (no `stop_request`). */
  signal?: AbortSignal | undefined
  /**
   * The time allowed to start, as `startTimeoutMs` (give one or the other); `false` or `Infinity`: no limit.
   * @default 15000
   */
  timeout?: number | false | undefined
  /** Listeners added before the socket opens (so even `open` is seen). Same shape as `subscribe`. */
  events?: StreamingSubscription | undefined

  /** Time allowed per attempt (the first and each reconnect) to get a token, open the socket and have the server start
   * the conversation; then it fails with a `TimeoutError` (a tokenProvider that hangs included). In ms, above 0, at most 2 147 483 647.
   * @default 15000
   */
  startTimeoutMs?: number | undefined
  /** Time allowed to `stop()` (flush, `stop_request`, `conversation_completed`) and to `modify()` (until `session_modified`),
   * in ms (above 0, at most 2 147 483 647). A call's own `timeout` (`stop({ timeout })`, `modify(change, { timeout })`) overrides it.
   * @default 30000
   */
  stopTimeoutMs?: number | undefined
  /** Bound of the send queue, in seconds of audio at the current format. Audio sent while the socket is down waits here.
   * LINEAR16 and MULAW are bounded exactly (to the sample). Opus is bounded in seconds too, by each packet's own duration
   * (from its TOC byte, whatever its bit rate), the same durations `bufferedSeconds` and `stats()` count. FLAC, whose
   * frames do not say how long they last, is bounded in bytes as if it were 16-bit PCM at the declared rate, so the queue
   * holds more seconds of it.
   * @default 10
   */
  maxQueueSeconds?: number | undefined
  /** What `sendAudio` does when the queue is full: `wait` (its promise resolves once the audio fits),
   * `drop-oldest` (never waits; the oldest queued audio is dropped and counted in `stats().droppedBytes` and
   * `droppedSeconds`; the bound is exact, even under one 8192-byte frame, for LINEAR16 and MULAW; Opus loses its oldest
   * whole packets, so `maxQueueSeconds` must hold the longest one, 0.12 s, and FLAC one whole 8192-byte frame, else
   * `startConnection` and `modify` throw a `ValidationError` naming the minimum),
   * `error` (rejects with `QueueFullError` saying what is queued and the bound, in seconds for Opus; nothing is queued).
   * @default 'wait'
   */
  onQueueFull?: QueueFullPolicy | undefined
  /** Audio re-sent after a reconnect, because the protocol never acknowledges audio. With keep-alive on, each
   * `__PONG__` acknowledges what was sent before its ping (a ping goes out whenever `resendTailMs` of audio is
   * unacknowledged), and the tail is all unacknowledged audio plus `resendTailMs` before it. With keep-alive off:
   * what was sent in the last `resendTailMs` of wall-clock time, and at least the last `resendTailMs` of audio.
   * In ms, 0 to 2 147 483 647; 0 disables.
   * @default 2000
   */
  resendTailMs?: number | undefined
  /** Memory cap of the resend tail. Sending much faster than real time fills it (2 s of a fast upload is many MB);
   * audio in flight beyond it could be lost in a drop. In bytes.
   * @default 8388608 (8 MiB)
   */
  maxResendBytes?: number | undefined
  /** Automatic reconnection after an unexpected drop; `false` disables it.
   * @default {} (on, with the defaults of `ReconnectOptions`)
   */
  reconnect?: ReconnectOptions | false | undefined
  /** Keep-alive that detects idle and half-open sockets; `false` disables it.
   * @default {} (on, with the defaults of `KeepAliveOptions`)
   */
  keepAlive?: KeepAliveOptions | false | undefined
  /** Opus (`config.speechRecognition.encoding: 'OPUS'`): who encodes it and at what bit rate. See `OpusOptions`.
   * @default {} (the browser encodes in browsers, the app elsewhere; 32000 bit/s)
   */
  opus?: OpusOptions | undefined
  /** Bytes the socket may buffer before `sendAudio`'s queue stops handing it more.
   * @default 262144 (256 KiB)
   */
  highWaterMark?: number | undefined
  /**
   * Opens the microphone together with the connection (browsers): capture starts at once, in parallel with the
   * token, the socket and the `start_request`, and what is captured before the session started is sent right after
   * it. `true` for the default device, or the options of `sendAudioFromMic` plus `maxEarlySeconds`. The handle is
   * `connection.microphone`; `startConnection` rejects with the `MicrophoneError` if the microphone cannot be opened
   * (and closes the connection). Needs LINEAR16 (the default encoding).
   * @default undefined (no microphone; call `sendAudioFromMic` later)
   */
  microphone?: boolean | StartMicrophoneOptions | undefined
  /** Emits a `stats` event (`connection.stats()`) every this many ms, from 100 to 2 147 483 647.
   * @default undefined (no event; `stats()` can always be called)
   */
  statsIntervalMs?: number | undefined
}

/** How much audio a connection that failed did not deliver: the fields of an `AudioNotDeliveredError`. */
export interface UndeliveredAudio {
  /** Audio the app gave to `sendAudio` that never reached a socket. */
  undeliveredBytes: number
  undeliveredMs: number
  /** Audio handed to the socket shortly before the loss that the server may not have received (the resend tail). */
  unconfirmedBytes: number
  unconfirmedMs: number
}

/** Added by the SDK to every frame it emits (not on the wire). See `StreamingConnection.audioOffsetMs`. */
export interface SdkFields {
  audioOffsetMs: number
}

export interface WordTime {
  seconds: string
  nanos: string
}

export interface RecognitionWord {
  word: string
  startTime?: WordTime
  endTime?: WordTime
  [key: string]: unknown
}

/** The wrapped lifecycle/caption frame: `{ type: 'message', message: { type, ... } }`. */
export interface MessageFrame extends SdkFields {
  type: 'message'
  message: {
    type:
      | 'conversation_created'
      | 'started_listening'
      | 'recognition_started'
      | 'recognition_result'
      | 'recognition_stopped'
      | 'conversation_completed'
      | 'session_modified'
      | (string & {})
    isFinal?: boolean
    data?: { conversationId?: string; [key: string]: unknown }
    conversationId?: string
    summaryUrl?: string
    payload?: { raw?: { alternatives?: Array<{ words?: RecognitionWord[]; transcript?: string; confidence?: number }> } }
    punctuated?: { transcript?: string }
    user?: StreamingUser
    [key: string]: unknown
  }
  timeOffset?: number
  [key: string]: unknown
}

export type MessageResponseFrame = MessageResponse & SdkFields

export type InsightResponseFrame = InsightResponse & SdkFields

export type TopicResponseFrame = TopicResponse & SdkFields

/** The wire frame; the SDK's events carry `TrackerResponseFrame` (this plus `audioOffsetMs`). */
export interface TrackerResponse {
  type: 'tracker_response'
  isFinal?: boolean
  sequenceNumber?: number
  trackers: Array<{ id?: string; name: string; matches: Array<{ type: string; value: string; [key: string]: unknown }> }>
  [key: string]: unknown
}
export type TrackerResponseFrame = TrackerResponse & SdkFields

/** The wire frame; the SDK's events carry `EntityResponseFrame` (this plus `audioOffsetMs`). */
export interface EntityResponse {
  type: 'entity_response'
  entities: Array<Record<string, unknown>>
  sequenceNumber?: number
  [key: string]: unknown
}
export type EntityResponseFrame = EntityResponse & SdkFields

export interface CloseInfo {
  code: number
  reason: string
}

export interface ReconnectingInfo {
  /** 1 for the first attempt after a drop. */
  attempt: number
  delayMs: number
  /** Why: the close code of the lost socket, or the error of the failed attempt. */
  closeCode?: number
  reason: string
}

export interface ReconnectedInfo {
  attempt: number
  /** Bytes of audio sent before the drop and sent again (the resend tail). */
  resentBytes: number
  /** Where the new server session starts in the connection's audio (see `audioOffsetMs`). */
  audioOffsetMs: number
}

/**
 * Opus on a streaming connection (`encoding: 'OPUS'`, at 16000, 24000 or 48000 Hz): raw Opus packets (RFC 6716, no
 * Ogg), one per binary message, as Symbl's own web SDK sends them.
 */
export interface OpusOptions {
  /**
   * Who makes the packets. `'browser'`: `sendAudioFromMic()` encodes the microphone with the browser's WebCodecs
   * `AudioEncoder` (20 ms mono frames). It is checked when the connection starts: where the browser cannot encode
   * Opus (no `AudioEncoder`, an insecure page, no Opus support), the connection sends LINEAR16 at 16 kHz instead,
   * decided before its `start_request` so the server is told what really comes; a `fallback` event and
   * `connection.encoding` say so. `'app'`: your code encodes (a telephony bridge, a WebRTC track, a Node service)
   * and hands each packet to `sendAudio(packet)`; the connection is never changed, on any runtime. Runtimes that
   * cannot capture a microphone (Node, Bun, Deno, Workers) take only `'app'`.
   * @default 'browser' in browsers, 'app' on Node, Bun, Deno and Workers
   */
  encoder?: 'browser' | 'app' | undefined
  /** Target bit rate of the browser's encoder, in bit/s, 6000 to 510000 (variable around it).
   * @default 32000
   */
  bitrate?: number | undefined
}

/** The `fallback` event: the connection sends `to` instead of `from` because the browser cannot encode Opus (`reason`). */
export interface EncodingFallback {
  from: { encoding: AudioEncoding; sampleRateHertz: number }
  to: { encoding: AudioEncoding; sampleRateHertz: number }
  reason: string
}

/** Events of a streaming connection, with the Python SDK's wire names. */
export interface StreamingEvents {
  /** Lifecycle frames and live captions (`recognition_result`, `isFinal`). */
  message: (frame: MessageFrame) => void
  message_response: (frame: MessageResponseFrame) => void
  insight_response: (frame: InsightResponseFrame) => void
  topic_response: (frame: TopicResponseFrame) => void
  tracker_response: (frame: TrackerResponseFrame) => void
  entity_response: (frame: EntityResponseFrame) => void
  /** Server error frames (both forms), malformed frames, and the final failure. Never thrown. */
  error: (error: SymblError) => void
  /** A socket opened (once per session: again after each reconnect). */
  open: () => void
  close: (info: CloseInfo) => void
  reconnecting: (info: ReconnectingInfo) => void
  reconnected: (info: ReconnectedInfo) => void
  /** The browser cannot encode Opus: the connection sends LINEAR16 instead, decided before its `start_request` (see `OpusOptions`). */
  fallback: (info: EncodingFallback) => void
  /** Early microphone audio dropped (see `StartMicrophoneOptions.maxEarlySeconds`), said once, when the start lets the rest go. */
  dropped: (info: DroppedInfo) => void
  /** The microphone's capture events (device lost/recovered, interrupted/resumed, silence/audible, stalled…), as on its handle. */
  capture: (event: CaptureEvent) => void
  /** `connection.stats()` every `statsIntervalMs` (off by default). */
  stats: (stats: StreamingStats) => void
}

/** `connection.subscribe({...})`: a callback per event name, as in the Python SDK. */
export type StreamingSubscription = { [K in keyof StreamingEvents]?: StreamingEvents[K] }

/**
 * `connection.stats()`: what the connection is doing, as numbers. Times are in ms from the
 * `startConnection` call, undefined until the thing has happened; seconds are of audio.
 */
export interface StreamingStats {
  /** The first socket open (the token and the handshake). */
  socketOpenMs: number | undefined
  /** The server started the conversation (`recognition_started`): `startConnection` resolves about then. */
  startedMs: number | undefined
  /** The first audio frame handed to the socket. */
  firstAudioSentMs: number | undefined
  /** The first interim (`isFinal` not true) and the first final `recognition_result`. */
  firstInterimMs: number | undefined
  firstFinalMs: number | undefined
  /** Audio the microphone of `startConnection({ microphone })` or `sendAudioFromMic` delivered (silence sent for a device gap included). */
  capturedSeconds: number
  /** Audio handed to the socket, replayed tails included. */
  sentSeconds: number
  /** Audio waiting: in the send queue, and captured before the start and not yet queued. */
  bufferedSeconds: number
  /** Audio dropped: by the `drop-oldest` policy, and the oldest early audio beyond `microphone.maxEarlySeconds`. */
  droppedSeconds: number
  /** Audio sent again after reconnects (the resend tails). */
  replayedSeconds: number
  reconnects: number
  /** Audio bytes handed to the socket, resent tails included. */
  sentBytes: number
  resentBytes: number
  /** Audio bytes dropped by the `drop-oldest` policy. */
  droppedBytes: number
  /** Highest number of audio bytes ever waiting in the queue. */
  maxQueuedBytes: number
}

/** The `dropped` event: early audio lost because the start took longer than `microphone.maxEarlySeconds`. */
export interface DroppedInfo {
  /** Audio dropped, in ms (the oldest captured before the session started). */
  droppedMs: number
  /** Audio kept and sent right after the `start_request`, in ms. */
  keptMs: number
  reason: 'early-buffer-full'
}

/**
 * `startConnection({ microphone })`: the microphone opens with the call, in parallel with the token,
 * the socket and the `start_request`; the audio captured meanwhile is sent right after the start.
 * Those of `sendAudioFromMic`, plus the bound of that early audio.
 */
export interface StartMicrophoneOptions extends SendAudioFromMicOptions {
  /** Seconds of audio captured before the session started that are kept (the oldest beyond it are dropped, and a
   * `dropped` event says how much); 0 keeps none. From 0 to 600.
   * @default 15
   */
  maxEarlySeconds?: number | undefined
}

/** `connection.state`: where a streaming connection is in its life. */
export type StreamingState = 'connecting' | 'open' | 'reconnecting' | 'stopping' | 'closed'

/** @deprecated The same type, exported as `StreamingState`. */
export type ConnectionState = StreamingState

// Sending audio (audio-input.ts, the connection's sendAudio* methods).

export interface SendAudioOptions {
  /**
   * Send at the pace of the audio itself, as a live source would (false: as fast as the
   * connection takes it, awaiting each `sendAudio`, so at most `maxQueueSeconds` is buffered).
   * @default false
   */
  realtime?: boolean | undefined
  /** Duration of each chunk handed to `sendAudio`, 10–1000 ms (never above 8192 bytes).
   * @default 100
   */
  chunkMs?: number | undefined
  /** Stops sending; the call then rejects with the signal's reason. The connection stays open. */
  signal?: AbortSignal | undefined
}

/**
 * `sendAudioFromMic` options: those of `captureMicrophone` except the output rate (the connection's)
 * and `onChunk` (the connection's `sendAudio`).
 */
export type SendAudioFromMicOptions = Omit<MicrophoneOptions, 'onChunk' | 'targetSampleRate'>

export interface SendAudioStreamOptions extends SendAudioOptions {
  /** The source's sample rate in Hz (required). */
  sampleRate: number
  /** Sample encoding of the source.
   * @default 's16le'
   */
  format?: SampleFormat | undefined
  /** Interleaved channels in the source; they are mixed down to mono.
   * @default 1
   */
  channels?: number | undefined
}

/** What was sent: the duration of the LINEAR16 audio at the connection's rate, and its bytes. */
export interface SendAudioSummary {
  durationMs: number
  bytesSent: number
}

/** Anything `sendAudioStream` reads: Node Readable, web ReadableStream, async generator, array of chunks, one buffer. */
export type AudioByteSource =
  | AsyncIterable<Uint8Array | ArrayBuffer | ArrayBufferView>
  | Iterable<Uint8Array | ArrayBuffer | ArrayBufferView>
  | ReadableStream<Uint8Array>
  | ArrayBuffer
  | ArrayBufferView
