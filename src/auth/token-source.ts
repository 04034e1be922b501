import { abortReason, ConfigError, SymblError } from '../errors.js'
import { redact, redactError } from '../logger.js'
import { abortable } from '../utils/async.js'
import { jwtExpiry } from './jwt.js'
import type { TokenInfo, TokenProvider, TokenRequest, TokenResult } from './types.js'

export type { TokenInfo, TokenProvider, TokenRequest, TokenResult }

/**
 * Caches the token, renews it before it expires, and shares one provider call among every request
 * that needs a token at the same moment (single flight).
 */
export class TokenSource {
  #provider: TokenProvider
  #now: () => number
  #current: TokenInfo | undefined
  #renewAt = Infinity
  #pending: Promise<TokenInfo> | undefined
  #rejected: string | undefined
  // The last few tokens handed out, so errors and logs can hide one even after it was replaced.
  #seen: string[] = []

  constructor(provider: TokenProvider, now: () => number = Date.now) {
    this.#provider = provider
    this.#now = now
  }

  async get(signal?: AbortSignal): Promise<string> {
    return (await this.info(signal)).accessToken
  }

  async info(signal?: AbortSignal): Promise<TokenInfo> {
    // Before anything starts: a call made with an aborted signal must not start a fetch nobody awaits.
    if (signal?.aborted) throw abortReason(signal)
    const current = this.#current
    if (current && !this.#expiring(current)) return current
    if (!this.#pending) {
      const pending = this.#fetch(current ? 'expiring' : this.#rejected !== undefined ? 'rejected' : 'initial').finally(() => {
        this.#pending = undefined
      })
      // Every waiter may leave early (abort); the shared fetch must then not end as an unhandled
      // rejection, which ends a Node process. Waiters still see the failure through their own chain.
      pending.catch(() => {})
      this.#pending = pending
    }
    const renewal = abortable(this.#pending, signal)
    // An early renewal that fails must not fail requests while the current token is still valid:
    // use it and let the next request try the renewal again.
    if (current?.expiresAt !== undefined && this.#now() < current.expiresAt)
      return renewal.catch((error: unknown) => (signal?.aborted ? Promise.reject(error) : current))
    return renewal
  }

  /** The cached token, if any, without fetching. */
  peek(): string | undefined {
    return this.#current?.accessToken
  }

  /** The current and the few previous tokens: what errors and log lines must never show. */
  known(): string[] {
    return this.#seen
  }

  /**
   * Called when the server refused `token`. Only drops the cache if it still holds that token, so
   * many requests failing with the same token cause one refresh, not one each.
   */
  invalidate(token: string): void {
    if (this.#current?.accessToken === token) {
      this.#current = undefined
      this.#rejected = token
    }
  }

  /** Renew when less than 10% of the lifetime (at most a minute) is left. */
  #expiring(t: TokenInfo): boolean {
    return t.expiresAt !== undefined && this.#now() >= this.#renewAt
  }

  async #fetch(reason: TokenRequest['reason']): Promise<TokenInfo> {
    let result: TokenResult
    try {
      result = await this.#provider(reason === 'rejected' ? { reason, rejectedToken: this.#rejected } : { reason })
    } catch (error) {
      if (error instanceof SymblError) throw error
      const text = error instanceof Error ? error.message : String(error)
      throw new SymblError(
        'auth',
        `The tokenProvider failed: ${redact(text, this.#seen)}. It must resolve to a token string or { accessToken, expiresIn }`,
        {
          cause: redactError(error, this.#seen),
        },
      )
    }
    const info = this.#toInfo(result)
    this.#current = info
    this.#rejected = undefined
    return info
  }

  #toInfo(result: TokenResult): TokenInfo {
    const given = typeof result === 'string' ? result : result?.accessToken
    if (typeof given !== 'string' || given.trim() === '') {
      throw new ConfigError(
        `The tokenProvider returned ${result === null ? 'null' : typeof result === 'object' ? 'an object without a non-empty accessToken' : typeof result === 'string' ? 'an empty string' : typeof result}; it must return a token string or { accessToken, expiresIn }`,
      )
    }
    // A token read from a file or an env var often ends in a line break: drop surrounding space.
    const accessToken = given.trim()
    // It goes into HTTP headers (and a WebSocket subprotocol): anything else would fail in fetch
    // with an error that quotes the token. The message says where, never what.
    const bad = accessToken.search(/[^\x21-\x7e]/)
    if (bad >= 0) {
      throw new ConfigError(
        `The token (from tokenProvider or accessToken) has a character an HTTP header cannot carry at position ${bad} (a space, line break, control or non-ASCII character); pass the token exactly as Symbl issued it`,
      )
    }
    this.#seen = [accessToken, ...this.#seen.filter((t) => t !== accessToken)].slice(0, 4)
    const expiresIn = typeof result === 'object' ? result.expiresIn : undefined
    const now = this.#now()
    const expiresAt =
      typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : jwtExpiry(accessToken)
    const lifetime = expiresAt === undefined ? 0 : Math.max(0, expiresAt - now)
    this.#renewAt = expiresAt === undefined ? Infinity : expiresAt - Math.min(60_000, lifetime * 0.1)
    return { accessToken, expiresAt }
  }
}
