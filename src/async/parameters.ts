// The Async API options of contract table 3.2, typed. File endpoints send them in the query string
// (lists and objects as one JSON string each, booleans as "true"/"false"); URL and text endpoints
// send them in the JSON body. Names are the wire names. check-parameters.ts checks every value before
// a submission: an unknown name, a wrong type or a value out of the ranges below is a ValidationError.

export interface CustomEntity {
  customType: string
  text: string
  value?: string
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
  /** Conversation (meeting) name; default: the conversationId. */
  name?: string
  /** Receives a POST `{ jobId, status }` on every job status change: an absolute http(s) URL. */
  webhookUrl?: string
  /**
   * Minimum score for insights, 0.5–1.0 (DOCS22; older docs said 0–1, so the SDK refuses only values
   * outside 0–1).
   * @default 0.5
   */
  confidenceThreshold?: number
  /** Adds action phrases to messages (`phrases`). */
  detectPhrases?: boolean
  /** Enables the entities endpoint. */
  detectEntities?: boolean
  /** Custom entities to detect. */
  entities?: CustomEntity[]
  /** Trackers to detect (beta). */
  trackers?: TrackerDefinition[]
  /** Use every tracker of the account (Management API). */
  enableAllTrackers?: boolean
  /** Enables the Summary API. */
  enableSummary?: boolean
}

/** Options of the audio and video endpoints (file and URL). */
export interface MediaParameters extends CommonParameters {
  /** ASR hints. */
  customVocabulary?: string[]
  /** BCP-47 code such as "en-US".
   * @default "en-US"
   */
  languageCode?: string
  /** `phone` for ~8 kHz telephone audio. */
  mode?: 'phone' | 'default'
  /** One speaker per channel (billed per channel). */
  enableSeparateRecognitionPerChannel?: boolean
  /** Speakers of each channel (channel numbers from 1); only with `enableSeparateRecognitionPerChannel: true`. */
  channelMetadata?: ChannelMetadata[]
  /** Speaker separation (English and Spanish). */
  enableSpeakerDiarization?: boolean
  /**
   * Number of distinct speakers, 1–100 (Symbl documents no maximum); required with
   * `enableSpeakerDiarization: true` and refused without it.
   */
  diarizationSpeakerCount?: number
}

/** Options of the URL endpoints, which also know the newer GO-2024 fields. */
export interface UrlParameters extends MediaParameters {
  features?: { featureList: string[] }
  metadata?: Record<string, unknown>
  conversationType?: string
}

/** The body of `processUrl`/`appendUrl`: the media URL plus options. */
export interface UrlPayload extends UrlParameters {
  /** A publicly reachable media URL. */
  url: string
}

/** One message of a text conversation (contract 3.3). */
export interface TextMessage {
  payload: { content: string; contentType?: string }
  from?: { userId?: string; name?: string }
  duration?: { startTime?: string; endTime?: string }
}

export interface TextParameters extends CommonParameters {
  features?: { featureList: string[] }
  metadata?: Record<string, unknown>
  conversationType?: string
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
