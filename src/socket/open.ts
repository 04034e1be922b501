// Opening one socket session under one deadline: the token (a tokenProvider may hang), the socket,
// its handshake, and then whatever the caller waits for before it calls `done()` (the streaming
// server's start; the subscription is done at the handshake). A deadline per step would let a slow
// token plus a slow handshake take twice what the app allowed.
import type { SymblClient } from '../client.js'
import { redact } from '../logger.js'
import type { WebSocketLike } from '../platform.js'
import { noop } from '../utils/async.js'
import { abandonSocket } from './abandon.js'
import { refusedStatus, tokenRefused } from './handshake.js'

/** Where an opening is: waiting for the token, for the socket, for its handshake, then for the caller's start. */
export type OpenPhase = 'token' | 'socket' | 'handshake' | 'start'

export interface SessionHandlers {
  /** The handshake completed. */
  open(): void
  /** A message from the server, as the socket gave it (see frames.ts). */
  frame(data: unknown): void
  /** The socket closed; `reason` is server text, already redacted. */
  close(code: number, reason: string): void
  /** The deadline passed after the socket was attached (phase `handshake` or `start`); the caller drops the session. */
  timeout(error: Error): void
}

export class Opening {
  phase: OpenPhase = 'token'
  /** The token the socket was opened with (the token source caches, so `openWebSocket` sends this one): invalidated if refused. */
  token = ''
  ws: WebSocketLike | undefined
  /** The handshake completed. */
  opened = false
  /** The socket's last `error` event's message, redacted (a refused `ws` handshake says "Unexpected server response: 401"). */
  error: string | undefined
  /** The deadline passed. */
  timedOut = false
  #timer: ReturnType<typeof setTimeout>
  #onTimeout: (error: Error) => void = noop

  /** Starts the deadline: `timeoutMs` for everything up to `done()`; `timeout(phase)` builds the error that says where it stood. */
  constructor(
    readonly client: SymblClient,
    readonly path: string,
    timeoutMs: number,
    timeout: (phase: OpenPhase) => Error,
    readonly signal?: AbortSignal,
  ) {
    this.#timer = setTimeout(() => {
      this.timedOut = true
      this.#onTimeout(timeout(this.phase))
    }, timeoutMs)
  }

  /**
   * Gets the token and the socket. Rejects with the failure, or with the timeout error if the
   * deadline passes first (a socket that arrives after it is let go at once). Resolves with
   * undefined, the socket let go, if `cancelled()` says the caller no longer wants it.
   */
  async connect(cancelled: () => boolean): Promise<WebSocketLike | undefined> {
    const opening = (async () => {
      this.token = await this.client.tokens.get(this.signal)
      this.phase = 'socket'
      return this.client.openWebSocket(this.path, this.signal)
    })()
    let ws: WebSocketLike
    try {
      ws = await new Promise<WebSocketLike>((resolve, reject) => {
        this.#onTimeout = reject
        opening.then(resolve, reject)
      })
    } catch (error) {
      this.done()
      if (this.timedOut) opening.then((late) => abandonSocket(late, 1000), noop)
      throw error
    }
    if (cancelled()) {
      this.done()
      abandonSocket(ws, 1000)
      return undefined
    }
    this.phase = 'handshake'
    return (this.ws = ws)
  }

  /** Takes the socket's events (binary frames as ArrayBuffers); from now on the deadline calls `on.timeout`. */
  attach(on: SessionHandlers): void {
    const ws = this.ws!
    const hidden = () => this.client.http.hidden()
    ws.binaryType = 'arraybuffer'
    this.#onTimeout = on.timeout
    ws.onopen = () => {
      this.opened = true
      this.phase = 'start'
      on.open()
    }
    ws.onerror = (event) => {
      const e = event as { message?: unknown; error?: { message?: unknown } }
      this.error = redact(String(e?.message ?? e?.error?.message ?? 'socket error'), hidden())
    }
    // The reason is server text: it goes into errors, events and log lines only redacted.
    ws.onclose = (event) => on.close(event?.code ?? 1006, redact(event?.reason ?? '', hidden()))
    ws.onmessage = (event) => on.frame(event.data)
  }

  /** The caller has what it waited for (or gave up): the deadline no longer runs. */
  done(): void {
    clearTimeout(this.#timer)
    this.#onTimeout = noop
  }

  /**
   * For a socket that closed while opening: the HTTP status of a refused handshake (Node only)
   * and whether the token may have been refused, in which case it is dropped from the token cache
   * so that the next attempt asks for a fresh one (see handshake.ts).
   */
  refusal(): { status: number | undefined; tokenRefused: boolean } {
    const status = refusedStatus(this.error)
    const refused = tokenRefused(status, this.opened, this.client.platform)
    if (refused) this.client.tokens.invalidate(this.token)
    return { status, tokenRefused: refused }
  }
}
