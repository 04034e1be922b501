// A socket whose peer vanished (a laptop lid closed, a NAT dropped the mapping) can look open for
// a long time. Symbl's servers answer `__PING__` with `__PONG__` (contract 6.8): send one every
// interval and give up on the socket if nothing at all arrives within the timeout after it.
import { numbers } from './backoff.js'
import type { KeepAliveOptions } from './types.js'

export type KeepAlivePolicy = Required<KeepAliveOptions> | undefined

export function keepAlivePolicy(options: KeepAliveOptions | false | undefined): KeepAlivePolicy {
  return options === false ? undefined : numbers('keepAlive', { intervalMs: 30_500, timeoutMs: 30_000 }, options, true)
}

export class KeepAlive {
  #interval: ReturnType<typeof setInterval> | undefined
  #deadline: ReturnType<typeof setTimeout> | undefined
  readonly #policy: KeepAlivePolicy
  readonly #ping: () => void
  readonly #onDead: () => void

  constructor(policy: KeepAlivePolicy, ping: () => void, onDead: () => void) {
    this.#policy = policy
    this.#ping = ping
    this.#onDead = onDead
  }

  start(): void {
    const policy = this.#policy
    if (!policy || this.#interval) return
    this.#interval = setInterval(() => {
      try {
        this.#ping()
      } catch {
        // A socket that cannot send is handled by its close event.
      }
      this.#deadline ??= setTimeout(() => {
        this.stop()
        this.#onDead()
      }, policy.timeoutMs)
    }, policy.intervalMs)
  }

  /** Any frame from the server proves it is there. */
  seen(): void {
    clearTimeout(this.#deadline)
    this.#deadline = undefined
  }

  stop(): void {
    clearInterval(this.#interval)
    this.seen()
    this.#interval = undefined
  }
}
