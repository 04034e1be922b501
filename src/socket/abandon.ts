// Letting go of a socket, for the streaming connection and the telephony subscription alike.
import type { WebSocketLike } from '../platform.js'
import { noop } from '../utils/async.js'

/** How long a polite close may wait for the peer's close frame before the socket is destroyed (Node `ws`). */
export const CLOSE_HANDSHAKE_MS = 1000

type Terminable = WebSocketLike & { terminate?: () => void }

/**
 * Detaches from `ws` (its late events are ignored) and closes it; never throws. `ws` (Node) emits
 * an `error` for a socket closed while still connecting, and throws if nobody listens: a no-op
 * listener stays. `ws` also keeps a closing socket, and so the process, alive for 30 s while it waits
 * for the peer's close frame; a half-open peer never sends one. So a `dead` socket is destroyed at
 * once, and any other is destroyed if its close handshake has not finished within
 * `CLOSE_HANDSHAKE_MS` (an unref'd timer: it never keeps the process alive by itself).
 */
export function abandonSocket(ws: WebSocketLike, code: number, reason?: string, dead = false): void {
  ws.onopen = ws.onmessage = ws.onclose = null
  ws.onerror = noop
  const socket = ws as Terminable
  const terminate = () => {
    try {
      socket.terminate!()
    } catch {
      // already gone
    }
  }
  if (dead && typeof socket.terminate === 'function') return terminate()
  try {
    ws.close(code, reason)
  } catch {
    // Closing a socket that is still connecting, or with a code the implementation refuses, may throw.
  }
  if (typeof socket.terminate === 'function' && ws.readyState !== 3) {
    const timer = setTimeout(() => ws.readyState !== 3 && terminate(), CLOSE_HANDSHAKE_MS)
    ;(timer as { unref?: () => void }).unref?.()
  }
}
