// The listen-only socket of a call (`/session/subscribe/{connectionId}`, contract 5.4): opened in
// the background, kept alive with `__PING__`, reopened with backoff when it drops, until closed.
//
// Attempts: an attempt fails when the token, the socket or its handshake fails, when opening takes
// longer than `openTimeoutMs` (a `TimeoutError`), or when the socket is lost before it proved itself.
// A socket proves itself by staying up for `stableMs` or by delivering a frame (a result frame or a
// `__PONG__`; error and malformed frames do not count): only then does the count of failed attempts
// in a row start again from 0. So a server that accepts and drops at once (or refuses with an error
// frame and closes) is given up on after `reconnect.maxAttempts`, with an `error` event and a `close`.
import type { SymblClient } from '../client.js'
import type { WebSocketLike } from '../platform.js'
import { ConnectionError, type SymblError, TimeoutError } from '../errors.js'
import { invalid } from '../http/check.js'
import { redact, redactError } from '../logger.js'
import { abandonSocket } from '../socket/abandon.js'
import { backoffDelay, reconnectPolicy, type ReconnectPolicy } from '../socket/backoff.js'
import { isRecoverableClose, shouldReconnect } from '../socket/close-codes.js'
import { checkFrame, errorFromFrame, type Frame, PING, parseFrame } from '../socket/frames.js'
import { KeepAlive, keepAlivePolicy } from '../socket/keepalive.js'
import { Opening, type OpenPhase } from '../socket/open.js'
import { durationMs } from '../utils/duration.js'
import type { SubscriptionOptions } from './types.js'

/** The call's own events, which a server frame's `type` must not impersonate (`error` is handled). */
const SDK_EVENTS = ['open', 'close']

/** How the timeout error names where an opening stood. */
const PHASES: Record<OpenPhase, string> = {
  token: 'waiting for the token',
  socket: 'connecting',
  handshake: 'waiting for the WebSocket handshake',
  start: 'waiting for the WebSocket handshake',
}

/** Default time allowed to open a subscription socket (token, connect, WebSocket handshake). */
export const OPEN_TIMEOUT_MS = 15_000
/** Default time a socket must stay up (unless it delivers a frame first) to count as a successful attempt. */
export const STABLE_MS = 5_000

/** Throws a ValidationError naming a bad option (called before a call is started, and by the constructor). */
export function checkSubscriptionOptions(options: SubscriptionOptions): void {
  if (!options || typeof options !== 'object')
    invalid('socketOptions', 'an object like { reconnect, keepAlive, openTimeoutMs, stableMs }', options)
  reconnectPolicy(options.reconnect)
  keepAlivePolicy(options.keepAlive)
  for (const name of ['openTimeoutMs', 'stableMs'] as const) if (options[name] !== undefined) durationMs(name, options[name], true)
}

export interface SubscriptionHandlers {
  frame(frame: Frame): void
  error(error: SymblError): void
  open(): void
  close(code: number, reason: string): void
}

export class Subscription {
  #ws: WebSocketLike | undefined
  #closed = false
  #failures = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  /** The current attempt's opening (its deadline), and the timer that marks its open socket as stable. */
  #opening: Opening | undefined
  #stableTimer: ReturnType<typeof setTimeout> | undefined
  readonly #policy: ReconnectPolicy
  readonly #keepAlive: KeepAlive
  readonly #openTimeoutMs: number
  readonly #stableMs: number
  /** What errors built from server text must hide: the app secret and the tokens. */
  readonly #hidden = (): string[] => this.client.http.hidden()

  constructor(
    readonly client: SymblClient,
    readonly path: string,
    readonly on: SubscriptionHandlers,
    options: SubscriptionOptions = {},
  ) {
    checkSubscriptionOptions(options)
    this.#policy = reconnectPolicy(options.reconnect)
    this.#openTimeoutMs = options.openTimeoutMs ?? OPEN_TIMEOUT_MS
    this.#stableMs = options.stableMs ?? STABLE_MS
    this.#keepAlive = new KeepAlive(
      keepAlivePolicy(options.keepAlive),
      () => this.#ws?.send(PING),
      () => this.#lost(3006, 'no answer to keep-alive'),
    )
  }

  /** Opens without waiting; failures arrive as `error` events. */
  open(): void {
    void this.#connect()
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#timer)
    this.#drop(1000)
    this.on.close(1000, 'closed')
  }

  async #connect(): Promise<void> {
    if (this.#closed) return
    const ms = this.#openTimeoutMs
    // One deadline for the whole opening (src/socket/open.ts): a token provider or a handshake that hangs fails the attempt.
    const opening = (this.#opening = new Opening(
      this.client,
      this.path,
      ms,
      (phase) => new TimeoutError(`The subscription socket did not open within ${ms} ms (openTimeoutMs) while ${PHASES[phase]}`),
    ))
    let ws: WebSocketLike | undefined
    try {
      ws = await opening.connect(() => this.#closed)
    } catch (error) {
      if (opening.timedOut) return this.#retry(error as TimeoutError)
      return this.#retry(
        new ConnectionError(
          `Could not open the subscription socket: ${redact((error as Error)?.message ?? String(error), this.#hidden())}`,
          { cause: redactError(error, this.#hidden()) },
        ),
      )
    }
    if (!ws) return
    this.#ws = ws
    opening.attach({
      open: () => {
        opening.done()
        // Not a success yet: a server that accepts and drops at once must not reset the count (see the file comment).
        this.#stableTimer = setTimeout(() => this.#proven(), this.#stableMs)
        this.#keepAlive.start()
        this.on.open()
      },
      frame: (data) => this.#frame(data),
      close: (code, reason) => {
        opening.refusal()
        this.#lost(code, opening.opened ? reason : opening.error || `closed with ${code} before opening`)
      },
      timeout: (error) => {
        this.#drop(1000)
        this.#retry(error as TimeoutError)
      },
    })
  }

  #frame(data: unknown): void {
    this.#keepAlive.seen()
    const parsed = parseFrame(data, this.#hidden)
    if (parsed.kind === 'pong') return this.#proven()
    if (parsed.kind === 'bad') return this.on.error(parsed.error)
    const f = parsed.frame
    const wrapped = f.type === 'message' && (f.message as Frame | undefined)?.type === 'error'
    if (f.type === 'error' || wrapped) return this.on.error(errorFromFrame((wrapped ? f.message : f) as Frame, this.#hidden))
    const problem = checkFrame(f, SDK_EVENTS, this.#hidden)
    if (problem) return this.on.error(problem)
    this.#proven()
    this.on.frame(f)
  }

  /** The current socket works: the next loss starts counting failed attempts from 0 again. */
  #proven(): void {
    clearTimeout(this.#stableTimer)
    this.#failures = 0
  }

  /** Detaches from the socket (its late events are ignored), closes it with `code`, stops the keep-alive. */
  #drop(code: number): void {
    const ws = this.#ws
    this.#ws = undefined
    this.#opening?.done()
    clearTimeout(this.#stableTimer)
    this.#keepAlive.stop()
    if (ws) abandonSocket(ws, code, undefined, code === 3006)
  }

  #lost(code: number, reason: string): void {
    this.#drop(code === 3006 ? 3006 : 1000)
    if (this.#closed) return
    // The server ends the subscription with 1000 when the call ends (src/socket/close-codes.ts).
    if (!isRecoverableClose(code)) {
      this.#closed = true
      return this.on.close(code, reason)
    }
    this.#retry(new ConnectionError(`The subscription socket was lost (${code}${reason ? `: ${reason}` : ''})`, { closeCode: code }))
  }

  #retry(error: ConnectionError | TimeoutError): void {
    if (this.#closed) return
    // A failed opening has no close code; a lost socket's was recoverable (#lost).
    if (!shouldReconnect((error as ConnectionError).closeCode, ++this.#failures, this.#policy.maxAttempts)) {
      this.#closed = true
      const message = `${error.message}; gave up after ${this.#policy.maxAttempts} attempts`
      const closeCode = (error as ConnectionError).closeCode
      // A last attempt that timed out stays a TimeoutError (code 'timeout'), so the app can tell a hang from a refusal.
      this.on.error(error instanceof TimeoutError ? new TimeoutError(message) : new ConnectionError(message, { closeCode, cause: error }))
      return this.on.close(closeCode ?? 1006, 'gave up')
    }
    this.client.log('info', `${error.message}; reopening`)
    this.#timer = setTimeout(() => void this.#connect(), backoffDelay(this.#policy, this.#failures))
  }
}
