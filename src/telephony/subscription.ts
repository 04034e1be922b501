// The listen-only socket of a call (`/session/subscribe/{connectionId}`, contract 5.4): opened in
// the background, kept alive with `__PING__`, reopened with backoff when it drops, until closed.
import type { SymblClient } from '../client.js'
import { ConnectionError } from '../errors.js'
import type { WebSocketLike } from '../platform.js'
import { checkFrame, errorFromFrame, parseFrame, PING, type Frame } from '../streaming/frames.js'
import { KeepAlive, keepAlivePolicy } from '../streaming/keepalive.js'
import { backoffDelay, reconnectPolicy, type ReconnectPolicy } from '../streaming/reconnect.js'
import { abandonSocket } from '../streaming/socket.js'
import type { KeepAliveOptions, ReconnectOptions } from '../streaming/types.js'

/** The call's own events, which a server frame's `type` must not impersonate (`error` is handled). */
const SDK_EVENTS = ['open', 'close']

export interface SubscriptionHandlers {
  frame(frame: Frame): void
  error(error: ConnectionError): void
  open(): void
  close(code: number, reason: string): void
}

export class Subscription {
  #ws: WebSocketLike | undefined
  #closed = false
  #failures = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  readonly #policy: ReconnectPolicy
  readonly #keepAlive: KeepAlive

  constructor(
    readonly client: SymblClient,
    readonly path: string,
    readonly on: SubscriptionHandlers,
    options: { reconnect?: ReconnectOptions | false; keepAlive?: KeepAliveOptions | false } = {},
  ) {
    this.#policy = reconnectPolicy(options.reconnect)
    this.#keepAlive = new KeepAlive(keepAlivePolicy(options.keepAlive), () => this.#ws?.send(PING), () => this.#lost(3006, 'no answer to keep-alive'))
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
    let token = ''
    let ws: WebSocketLike
    try {
      token = await this.client.tokens.get()
      ws = await this.client.openWebSocket(this.path)
    } catch (error) {
      return this.#retry(new ConnectionError(`Could not open the subscription socket: ${(error as Error)?.message ?? String(error)}`, { cause: error }))
    }
    // Closed while the socket was being opened: `ws` would throw for this still-connecting socket's error event.
    if (this.#closed) return abandonSocket(ws, 1000)
    this.#ws = ws
    ws.binaryType = 'arraybuffer'
    let failure = ''
    let opened = false
    ws.onopen = () => {
      opened = true
      this.#failures = 0
      this.#keepAlive.start()
      this.on.open()
    }
    ws.onerror = (event) => {
      failure = String((event as { message?: unknown })?.message ?? 'socket error')
    }
    ws.onmessage = (event) => {
      this.#keepAlive.seen()
      const parsed = parseFrame(event.data)
      if (parsed.kind === 'bad') this.on.error(parsed.error)
      else if (parsed.kind === 'frame') {
        const f = parsed.frame
        const wrapped = f.type === 'message' && (f.message as Frame | undefined)?.type === 'error'
        if (f.type === 'error' || wrapped) return this.on.error(errorFromFrame((wrapped ? f.message : f) as Frame))
        const problem = checkFrame(f, SDK_EVENTS)
        if (problem) this.on.error(problem)
        else this.on.frame(f)
      }
    }
    ws.onclose = (event) => {
      if (/Unexpected server response: 401/.test(failure)) this.client.tokens.invalidate(token)
      if (!opened) this.#lost(event.code, failure || `closed with ${event.code} before opening`)
      else this.#lost(event.code, event.reason)
    }
  }

  /** Detaches from the socket (its late events are ignored), closes it with `code`, stops the keep-alive. */
  #drop(code: number): void {
    const ws = this.#ws
    this.#ws = undefined
    this.#keepAlive.stop()
    if (ws) abandonSocket(ws, code, undefined, code === 3006)
  }

  #lost(code: number, reason: string): void {
    this.#drop(code === 3006 ? 3006 : 1000)
    if (this.#closed) return
    // The server ends the subscription with 1000 when the call ends.
    if (code === 1000) {
      this.#closed = true
      return this.on.close(code, reason)
    }
    this.#retry(new ConnectionError(`The subscription socket was lost (${code}${reason ? `: ${reason}` : ''})`, { closeCode: code }))
  }

  #retry(error: ConnectionError): void {
    if (this.#closed) return
    if (++this.#failures > this.#policy.maxAttempts) {
      this.#closed = true
      this.on.error(new ConnectionError(`${error.message}; gave up after ${this.#policy.maxAttempts} attempts`, { closeCode: error.closeCode, cause: error }))
      return this.on.close(error.closeCode ?? 1006, 'gave up')
    }
    this.client.log('info', `${error.message}; reopening`)
    this.#timer = setTimeout(() => void this.#connect(), backoffDelay(this.#policy, this.#failures))
  }
}
