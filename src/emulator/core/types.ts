// The emulator's data model. Times are epoch milliseconds internally and become ISO strings on the wire.

export interface Speaker {
  /** Stable per conversation (UUID). */
  id: string
  name: string
  userId?: string
  email?: string
}

export interface StoredMessage {
  id: string
  text: string
  from: Speaker
  startMs: number
  endMs: number
  /** True for audio segments that were detected but not recognised (the emulator has no ASR). */
  unrecognised?: boolean
  /** Where the text came from: the request itself, a preloaded fixture, or audio energy. */
  origin: 'text' | 'fixture' | 'audio'
}

/** Options of a job or streaming session, after coercion (section 3.2 / 6.2). */
export interface ConversationOptions {
  name?: string | undefined
  webhookUrl?: string | undefined
  confidenceThreshold: number
  detectPhrases: boolean
  detectEntities: boolean
  enableSummary?: boolean | undefined
  enableAllTrackers: boolean
  trackers: TrackerSpec[]
  entities: CustomEntitySpec[]
  customVocabulary: string[]
  languageCode: string
  /** Streaming only: which insight types to emit live. */
  insightTypes?: string[] | undefined
  /** Newer (PY/GO 2024) submission fields, kept as given. */
  features?: string[] | undefined
  metadata?: Record<string, unknown> | undefined
  conversationType?: string | undefined
  /** `diarizationSpeakerCount` when `enableSpeakerDiarization` is true: audio segments are split among this many voices. */
  speakerCount?: number | undefined
}

export interface TrackerSpec {
  name: string
  vocabulary: string[]
}

export interface CustomEntitySpec {
  customType: string
  text: string
  value?: string | undefined
}

export type ConversationSource = 'text' | 'audio' | 'video' | 'streaming' | 'telephony'

export interface AudioInfo {
  format: string
  sampleRate?: number
  channels?: number
  bitsPerSample?: number
  /** Seconds; undefined when the format cannot be measured without decoding. */
  durationSeconds?: number
  bytes: number
  /** How the duration was obtained. */
  durationMethod: 'exact' | 'estimated' | 'unknown'
  speechSegments: Array<{ start: number; end: number }>
  /** With diarization: the speaker index (0-based, by first speech) of each speech segment. */
  speakers?: number[]
}

export interface Conversation {
  id: string
  name: string
  type: 'meeting'
  source: ConversationSource
  createdMs: number
  /** Start of the conversation timeline (message times are relative to it). */
  startMs: number
  metadata: Record<string, unknown>
  members: Speaker[]
  messages: StoredMessage[]
  options: ConversationOptions
  audio: AudioInfo[]
  /** Jobs not yet completed; summary answers 404 while > 0. */
  pendingJobs: number
  /** Bumped on every change; invalidates the cached analysis. */
  revision: number
  /** The latest job submitted for this conversation (call score / insights status). */
  lastJobId?: string
  speakerEvents: unknown[]
  /** The token scope (app pair) that created it; only tokens of that scope see it. Unset: everyone. */
  owner?: string
  /** Capability in the URLs of its HTML pages (summaryUrl, Experience API, insights details). */
  pageKey: string
}

/** A transcript line a test or user preloads for audio, streaming or telephony. Times in seconds from the start. */
export interface PreloadedMessage {
  text: string
  speaker?: { name: string; userId?: string; email?: string } | undefined
  start?: number | undefined
  end?: number | undefined
}

export type JobStatus = 'scheduled' | 'in_progress' | 'completed' | 'failed'

export interface Job {
  id: string
  conversationId: string
  status: JobStatus
  createdMs: number
  webhookUrl?: string
  /** The token scope that submitted it (as `Conversation.owner`). */
  owner?: string
}
