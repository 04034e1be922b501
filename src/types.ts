// Public types of the client itself: its options and the logger it takes. Implementation:
// client.ts, logger.ts.
import type { TokenProvider } from './auth/types.js'
import type { RetryOptions } from './http/types.js'
import type { WebSocketConstructor } from './platform.js'

export interface Logger {
  debug?(message: string, meta?: Record<string, unknown>): void
  info?(message: string, meta?: Record<string, unknown>): void
  warn?(message: string, meta?: Record<string, unknown>): void
  error?(message: string, meta?: Record<string, unknown>): void
}

/** Options shared by every runtime. */
export interface SymblOptions {
  /** REST base URL.
   * @default 'https://api.symbl.ai' (on Node, SYMBL_BASE_URL when set)
   */
  baseUrl?: string | undefined
  /** WebSocket base URL.
   * @default `baseUrl` with http→ws and https→wss
   */
  wsBaseUrl?: string | undefined
  /**
   * Per-request timeout in ms, from above 0 to 2 147 483 647 (the longest a timer can wait); it is
   * also the stall timeout of uploads. `false` or `Infinity`: none.
   * @default 30000
   */
  timeout?: number | false | undefined
  /** Retries for failed requests: a count, or detailed options (`{ limit, baseDelayMs, maxDelayMs, maxRetryAfterMs }`).
   * @default 2
   */
  retry?: number | RetryOptions | undefined
  /**
   * A `fetch` implementation to use instead of the global one, for every REST call and for file
   * uploads (which otherwise use node:http on Node and XMLHttpRequest in browsers). On Node it must
   * accept a `ReadableStream` body with `duplex: 'half'`, as Node's own fetch does.
   * @default the global fetch
   */
  fetch?: typeof fetch | undefined
  /** A WebSocket constructor to use instead of the runtime's.
   * @default the global WebSocket (browsers), the `ws` package (Node)
   */
  WebSocket?: WebSocketConstructor | undefined
  /** Receives the SDK's log lines (redacted).
   * @default undefined (silent)
   */
  logger?: Logger | undefined
  /** The auth hook: returns a token (or `{ accessToken, expiresIn }`). */
  tokenProvider?: TokenProvider | undefined
  /** A ready token, for short scripts; prefer `tokenProvider`, which can renew it. */
  accessToken?: string | undefined
}
