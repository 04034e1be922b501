// `symbl-sdk/emulator`: a local emulator of the Symbl.ai API (Node). Importing it has no side
// effects; nothing listens until `startEmulator()` is called.

export { startEmulator, type EmulatorOptions, type RunningEmulator } from './server.js'
// The msw front is its own subpath (symbl-sdk/emulator/msw) so that msw stays an optional peer.
export { EmulatorCore, type EmulatorCoreOptions } from './core/core.js'
export { Faults, type FailRule, type LatencyRule, type PathMatcher, type SocketFaultRule } from './core/faults.js'
export type { PreloadContext, PreloadKey } from './core/preload.js'
export type { CoreRequest, CoreResponse, HeaderBag } from './core/http.js'
export type { SocketHandler, SocketSink } from './core/sockets.js'
export type { SocketOpenRequest, SocketOpenResult } from './core/socket-routes.js'
export type {
  AudioInfo,
  Conversation,
  ConversationOptions,
  Job,
  JobStatus,
  PreloadedMessage,
  Speaker,
  StoredMessage,
  TrackerSpec,
} from './core/types.js'
export { UNRECOGNISED_TEXT } from './core/views.js'
