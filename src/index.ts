// What both entry points export: the client plumbing, the API areas, errors and types. The public
// types of each area live in that area's types.ts and are exported here under their own names.
export { SymblClient, DEFAULT_BASE_URL } from './client.js'
export { SymblBase } from './symbl.js'
export * from './errors.js'
export type * from './types.js'
export type * from './http/types.js'
// Browser-safe auth types only; the token endpoint's (Node) are exported by the Node entry.
export type { TokenProvider, TokenResult, TokenRequest, TokenInfo } from './auth/types.js'
export type { Platform, WebSocketLike, WebSocketConstructor, UploadSource, UploadRequest, UploadBody } from './platform.js'
export { AudioApi } from './async/audio.js'
export { VideoApi } from './async/video.js'
export { TextApi } from './async/text.js'
export { MediaApi } from './async/media-api.js'
export type * from './async/types.js'
export { ConversationsApi } from './conversations/conversations-api.js'
export { Conversation } from './conversations/conversation.js'
export { speakerSentiment } from './conversations/sentiment-series.js'
export type * from './conversations/types.js'
export { StreamingApi } from './streaming/streaming-api.js'
export { TelephonyApi } from './telephony/telephony-api.js'
// The connection classes are types here: the browser entry must not import their modules
// statically, or bundlers load them with the page instead of on startConnection/startPstn (see
// "What a page loads when" in the README). The Node entry exports the classes themselves.
export type { StreamingConnection } from './streaming/connection.js'
export { MalformedFrameError, QueueFullError, AudioNotDeliveredError } from './streaming/errors.js'
// A list rather than `export type *`: the frame types share names with the Conversation API's
// answers (MessageResponse, …), so only the streaming names that are public are listed.
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
  StreamingState,
  CloseInfo,
  ReconnectingInfo,
  ReconnectedInfo,
  SendAudioOptions,
  SendAudioStreamOptions,
  SendAudioFromMicOptions,
  SendAudioSummary,
  AudioByteSource,
  UndeliveredAudio,
  StartMicrophoneOptions,
  DroppedInfo,
  OpusOptions,
  EncodingFallback,
} from './streaming/types.js'
// Audio: resampling and LINEAR16 conversion, WAV and raw PCM readers (both runtimes). Microphone
// capture is browser-only: captureMicrophone and processorSource come from the browser entry.
export { Resampler } from './audio/resampler.js'
export { floatToInt16LE, int16ToFloat32 } from './audio/pcm.js'
export { Linear16Encoder } from './audio/linear16.js'
export { openWav, decodeWav, WavDecoder } from './audio/wav.js'
export { pcmToLinear16 } from './audio/pcm-stream.js'
export { MicrophoneError, AudioFormatError } from './audio/errors.js'
export type * from './audio/types.js'
export type { TelephonyConnection } from './telephony/telephony-connection.js'
export type * from './telephony/types.js'
