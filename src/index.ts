// What both entry points export: the client plumbing, the API areas, errors and types.
export { SymblClient, DEFAULT_BASE_URL, type SymblOptions } from './client.js'
export { SymblBase } from './symbl.js'
export * from './errors.js'
export type { Logger } from './logger.js'
export type { RetryOptions } from './http/retry.js'
export type { TokenProvider, TokenResult, TokenRequest, TokenInfo } from './auth/token-source.js'
export type { Platform, WebSocketLike, WebSocketConstructor, UploadSource, UploadRequest, UploadBody } from './platform.js'
export { AudioApi } from './async/audio.js'
export { VideoApi } from './async/video.js'
export { TextApi } from './async/text.js'
export { ConversationsApi } from './conversations/conversations-api.js'
export { MediaApi, type MediaFileOptions, type MediaUrlOptions } from './async/media-api.js'
export type { TextOptions } from './async/text.js'
export type { SubmitOptions, FileSubmitOptions } from './async/submit.js'
export type { UploadInput, UploadProgress } from './async/upload.js'
export type { JobStatus, JobStatusResponse, PollInterval, WaitOptions } from './async/job-waiter.js'
export type * from './async/types.js'
export { Conversation, type ConversationIds, type ConversationWaitDefaults } from './conversations/conversation.js'
export type * from './conversations/types.js'
export { speakerSentiment, type SpeakerSentiment, type SentimentPoint } from './conversations/sentiment-series.js'
export { StreamingApi } from './streaming/streaming-api.js'
export { TelephonyApi } from './telephony/telephony-api.js'
// The connection classes are types here: the browser entry must not import their modules
// statically, or bundlers load them with the page instead of on startConnection/startPstn (see
// "What a page loads when" in the README). The Node entry exports the classes themselves.
export type { StreamingConnection } from './streaming/connection.js'
export { MalformedFrameError, QueueFullError, AudioNotDeliveredError, type UndeliveredAudio } from './streaming/errors.js'
export type {
  StreamingOptions,
  StreamingEvents,
  StreamingSubscription,
  StreamingConfig,
  StreamingSpeaker,
  StreamingTracker,
  SpeechRecognition,
  AudioEncoding,
  ReconnectOptions,
  KeepAliveOptions,
  QueueFullPolicy,
  MessageFrame,
  MessageResponseFrame,
  InsightResponseFrame,
  TopicResponseFrame,
  TrackerResponseFrame,
  EntityResponseFrame,
  StreamingMessage,
  StreamingInsight,
  StreamingStats,
  ConnectionState as StreamingState,
  CloseInfo,
  ReconnectingInfo,
  ReconnectedInfo,
} from './streaming/types.js'
export type {
  SendAudioOptions,
  SendAudioStreamOptions,
  SendAudioFromMicOptions,
  SendAudioSummary,
  AudioByteSource,
} from './streaming/audio-input.js'
// Audio: resampling and LINEAR16 conversion, WAV and raw PCM readers (both runtimes). Microphone
// capture is browser-only: captureMicrophone and processorSource come from the browser entry.
export { Resampler, type ResamplerOptions } from './audio/resampler.js'
export { floatToInt16LE, int16ToFloat32, type SampleFormat } from './audio/pcm.js'
export { Linear16Encoder, type Linear16Options } from './audio/linear16.js'
export { openWav, decodeWav, WavDecoder, type WavInfo, type WavStream } from './audio/wav.js'
export { pcmToLinear16, type PcmStreamOptions, type ByteSource } from './audio/pcm-stream.js'
export { MicrophoneError, AudioFormatError, type MicrophoneErrorReason, type AudioFormatErrorReason } from './audio/errors.js'
export type { MicrophoneOptions, MicrophoneHandle } from './audio/microphone.js'
export type { TelephonyConnection } from './telephony/telephony-connection.js'
export type {
  PstnOptions,
  SipOptions,
  SipAudioConfig,
  TelephonyAction,
  TelephonySpeakerEvent,
  TelephonyStartResponse,
  TelephonyStopResponse,
  TelephonyEvents,
  TelephonySubscription,
  TranscriptResponseFrame,
} from './telephony/types.js'
