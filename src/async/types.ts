// Public types of the Async API: the call options (submission, upload, job waiting) and, below, the
// API options of contract table 3.2, typed. File endpoints send them in the query string
// (lists and objects as one JSON string each, booleans as "true"/"false"); URL and text endpoints
// send them in the JSON body. Names are the wire names. check-parameters.ts checks every value before
// a submission: an unknown name, a wrong type or a value out of the ranges below is a ValidationError.

import type { RequestOptions } from '../http/types.js'

/**
 * What `processFile`/`appendFile` take. Everywhere: a `Blob`/`File`, an `ArrayBuffer`, a typed
 * array (Node `Buffer` included) or a web `ReadableStream`. On Node also a file path and a Node
 * `Readable` (any async iterable of bytes works too).
 */
export type UploadInput = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | string

export interface UploadProgress {
  /** Bytes handed to the network so far. */
  sentBytes: number
  /** The file size, when known. */
  totalBytes: number | undefined
  /** sentBytes / totalBytes (0–1), when the size is known. */
  fraction: number | undefined
}

/** Contract 3.4. Unknown values are passed on as they come. */
export type JobStatus = 'scheduled' | 'in_progress' | 'completed' | 'failed'

export interface JobStatusResponse {
  id: string
  status: JobStatus
}

export interface PollInterval {
  /** First delay between status calls, in ms (above 0, at most 2 147 483 647).
   * @default 1000
   */
  initialMs?: number | undefined
  /** Longest delay, in ms (from `initialMs` to 2 147 483 647).
   * @default 10000
   */
  maxMs?: number | undefined
  /** Growth per poll (1 or more).
   * @default 1.5
   */
  factor?: number | undefined
}

/**
 * `conversation.wait(options)`, and the waiting part of every submission. `signal` stops waiting
 * (and polling, once nobody else waits) with the signal's reason; `timeout` is the timeout of each
 * status call (not of the whole wait: that is `waitTimeout`).
 */
export interface WaitOptions extends RequestOptions {
  /** Delays between status calls: they start short and grow.
   * @default { initialMs: 1000, maxMs: 10000, factor: 1.5 }
   */
  pollInterval?: PollInterval | undefined
  /**
   * Gives up with a `JobError` (code `job_timeout`) after this many ms (above 0, at most
   * 2 147 483 647, about 24.8 days); `false` or `Infinity` waits forever.
   * One hour by default: not documented by Symbl; recordings may last 4 h, and jobs usually take a
   * fraction of their length, so an hour means something is wrong rather than slow.
   * @default 3600000
   */
  waitTimeout?: number | false | undefined
  /** Called with each new job status (for progress displays). */
  onStatus?: ((status: JobStatus) => void) | undefined
}

/**
 * Options of every submit and append call. `signal` aborts the submission (and the waiting after
 * it); `timeout` applies to the submission request (to an upload as its stall timeout) and to each
 * status call while waiting.
 */
export interface SubmitOptions<P> extends WaitOptions {
  /** Options of contract table 3.2. */
  parameters?: P | undefined
  /**
   * true (as in Python): resolve once the job has completed. false: resolve right after
   * submission; then use `conversation.wait()`, `onComplete`/`onError` or `onStatus`.
   * @default true
   */
  wait?: boolean | undefined
}

export interface FileSubmitOptions<P> extends SubmitOptions<P> {
  /** The media type.
   * @default inferred from the file name or `File.type`
   */
  contentType?: string | undefined
  /** Called as the upload advances. */
  onUploadProgress?: ((progress: UploadProgress) => void) | undefined
  /** The byte length of a stream input, if you know it (sent as Content-Length). */
  size?: number | undefined
}

/** `audio.processFile`/`appendFile` (and video's). */
export type MediaFileOptions = FileSubmitOptions<MediaParameters>
/** `audio.processUrl`/`appendUrl` (and video's): the API options may also sit next to `url` in the payload. */
export type MediaUrlOptions = SubmitOptions<Omit<UrlPayload, 'url'>>
/** `text.process`/`append`. */
export type TextOptions = SubmitOptions<TextParameters>

export interface CustomEntity {
  customType: string
  text: string
  value?: string | undefined
}

export interface TrackerDefinition {
  name: string
  vocabulary: string[]
}

export interface ChannelMetadata {
  channel: number
  speaker: { name?: string; email?: string }
}

/** Options every Async endpoint takes. */
export interface CommonParameters {
  /** Conversation (meeting) name.
   * @default the conversationId
   */
  name?: string | undefined
  /** Receives a POST `{ jobId, status }` on every job status change: an absolute http(s) URL. */
  webhookUrl?: string | undefined
  /**
   * Minimum score for insights, 0.5–1.0 (DOCS22; older docs said 0–1, so the SDK refuses only values
   * outside 0–1).
   * @default 0.5
   */
  confidenceThreshold?: number | undefined
  /** Adds action phrases to messages (`phrases`). */
  detectPhrases?: boolean | undefined
  /** Enables the entities endpoint. */
  detectEntities?: boolean | undefined
  /** Custom entities to detect. */
  entities?: CustomEntity[] | undefined
  /** Trackers to detect (beta). */
  trackers?: TrackerDefinition[] | undefined
  /** Use every tracker of the account (Management API). */
  enableAllTrackers?: boolean | undefined
  /** Enables the Summary API. */
  enableSummary?: boolean | undefined
}

/** Options of the audio and video endpoints (file and URL). */
export interface MediaParameters extends CommonParameters {
  /** ASR hints. */
  customVocabulary?: string[] | undefined
  /** BCP-47 code such as "en-US".
   * @default "en-US"
   */
  languageCode?: string | undefined
  /** `phone` for ~8 kHz telephone audio. */
  mode?: 'phone' | 'default' | undefined
  /** One speaker per channel (billed per channel). */
  enableSeparateRecognitionPerChannel?: boolean | undefined
  /** Speakers of each channel (channel numbers from 1); only with `enableSeparateRecognitionPerChannel: true`. */
  channelMetadata?: ChannelMetadata[] | undefined
  /** Speaker separation (English and Spanish). */
  enableSpeakerDiarization?: boolean | undefined
  /**
   * Number of distinct speakers, 1–100 (Symbl documents no maximum); required with
   * `enableSpeakerDiarization: true` and refused without it.
   */
  diarizationSpeakerCount?: number | undefined
}

/** Options of the URL endpoints, which also know the newer GO-2024 fields. */
export interface UrlParameters extends MediaParameters {
  features?: { featureList: string[] } | undefined
  metadata?: Record<string, unknown> | undefined
  conversationType?: string | undefined
}

/** The body of `processUrl`/`appendUrl`: the media URL plus options. */
export interface UrlPayload extends UrlParameters {
  /** A publicly reachable media URL. */
  url: string
}

/** One message of a text conversation (contract 3.3). */
export interface TextMessage {
  payload: { content: string; contentType?: string }
  from?: { userId?: string; name?: string } | undefined
  duration?: { startTime?: string; endTime?: string } | undefined
}

export interface TextParameters extends CommonParameters {
  features?: { featureList: string[] } | undefined
  metadata?: Record<string, unknown> | undefined
  conversationType?: string | undefined
}

/** The body of `text.process`/`text.append`. */
export interface TextPayload extends TextParameters {
  messages: TextMessage[]
}

/** The answer of every submit and append call. */
export interface JobReference {
  conversationId: string
  jobId: string
}
