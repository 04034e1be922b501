// A session is one socket of a streaming connection (see the file comment of connection.ts): what
// the connection keeps of it, and how a session that failed to start is described.
import { ConnectionError, TimeoutError } from '../errors.js'
import type { WebSocketLike } from '../platform.js'
import { handshakeHint } from '../socket/handshake.js'
import type { KeepAlive } from '../socket/keepalive.js'
import type { Opening, OpenPhase } from '../socket/open.js'

export interface Session {
  ws: WebSocketLike
  /** The opening of this socket: its token, whether the handshake completed, its last socket error (src/socket/open.ts). */
  opening: Opening
  // Flags start out undefined (false).
  /** The server started the conversation on it (`recognition_started` or `started_listening`). */
  started?: boolean
  /** Started with the conversation id known: audio flows to it. */
  ready?: boolean
  closed?: boolean
  stopSent?: boolean
  /** Tail positions of the pings not answered yet, oldest first (see resend-tail.ts). */
  pings: number[]
  keepAlive: KeepAlive
  /** Set while the session is starting: settles its start with success or an error. */
  settle?: (error?: unknown) => void
}

/** How the timeout error names where an opening stood. */
const PHASES: Record<OpenPhase, string> = {
  token: 'waiting for a token from the tokenProvider',
  socket: 'opening the socket',
  handshake: 'waiting for the WebSocket handshake',
  start: 'starting',
}

/** The error of a session that did not start within `startTimeoutMs`, saying where it stood. */
export function startTimeout(phase: OpenPhase, ms: number): TimeoutError {
  return new TimeoutError(
    phase === 'start'
      ? `The streaming server did not start the conversation within ${ms} ms`
      : `The streaming conversation did not start within ${ms} ms (startTimeoutMs): still ${PHASES[phase]}`,
  )
}

/**
 * How a starting session's socket ended, as an error that says why: a refused handshake (its
 * status, on Node), a close after the handshake, or a socket that never opened. `tokenRefused`:
 * the token may have been the reason (see src/socket/handshake.ts); it was dropped from the cache.
 */
export function startError(opening: Opening, code: number, reason: string): { error: ConnectionError; tokenRefused: boolean } {
  const { status, tokenRefused } = opening.refusal()
  const error = new ConnectionError(
    status
      ? `The streaming server refused the WebSocket handshake with HTTP ${status}${handshakeHint(status)}`
      : opening.opened
        ? `The server closed the socket (code ${code}${reason ? `: ${reason}` : ''}) before starting the conversation`
        : `Could not open the streaming socket (${opening.error ?? `closed with code ${code}`}). Check wsBaseUrl, the network and the token`,
    { closeCode: code, details: status && { status } },
  )
  return { error, tokenRefused }
}
