import type { Options as KyOptions } from 'ky'
import { abortReason, NetworkError, SymblError, TimeoutError } from '../errors.js'
import { redact, redactError, type Log } from '../logger.js'
import type { TokenSource } from '../auth/token-source.js'
import type { NormalizedRetry } from './retry.js'
import type * as KyTransport from './ky-transport.js'
import { readBody } from './read-body.js'
import { loadPart } from '../utils/load-part.js'
import { safeUrl, toSearchParams, type Query } from './url.js'
import { toJson } from './check.js'

import type { HttpMethod, RequestOptions } from './types.js'

export type { HttpMethod }

/** One request as the area modules describe it; `signal` and `timeout` are the caller's `RequestOptions`. */
export interface HttpRequest extends RequestOptions {
  method: HttpMethod
  /** Path below the base URL, starting with `/`, ids already validated and encoded. */
  path: string
  query?: Query
  json?: unknown
  headers?: Record<string, string>
  /** Whether repeating the request is harmless. Default: true for GET, PUT and DELETE, false for POST. */
  idempotent?: boolean
  /** Send the token. Default true; false only for the token call itself. */
  auth?: boolean
}

export interface HttpConfig {
  baseUrl: string
  timeout: number | false
  retry: NormalizedRetry
  fetch: typeof fetch
  /** Whether `fetch` is the user's (the `fetch` option) rather than the runtime's: uploads then go through it too. */
  fetchInjected: boolean
  /** The platform's `enforcesCors`: a network error then also names CORS as a possible cause. */
  enforcesCors: boolean
  tokens: TokenSource | undefined
  log: Log
}

/** How `util.inspect` finds an object's own description (Node; a plain symbol elsewhere). */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/**
 * The one HTTP path of the SDK: URL building, auth, retries, timeouts and error mapping. Every
 * area module builds an `HttpRequest` and calls `request`; uploads use `authorized` and `fail`
 * to keep the same auth and errors on their own transport.
 */
export class HttpClient {
  readonly config: HttpConfig
  /**
   * Secrets besides the tokens (the app secret, from wherever it came) that no error or log line
   * may show. Private, and left out of `util.inspect` and `JSON.stringify` (see below): a public
   * field printed the secret with `console.log(symbl.http)`.
   */
  readonly #secrets = new Set<string>()
  // ky, loaded on the first request (see ky-transport.ts), and its instances once created.
  #ky: typeof KyTransport | undefined
  #transport: Promise<KyTransport.Transport> | undefined

  constructor(config: HttpConfig, secrets: Array<string | undefined> = []) {
    this.config = config
    for (const s of secrets) this.addSecret(s)
  }

  /** Hides `secret` from every error and log line from now on (the app-token provider adds the secret it uses). */
  addSecret(secret: string | undefined): void {
    if (typeof secret === 'string' && secret !== '') this.#secrets.add(secret)
  }

  /** What `console.log` and `util.inspect` show: nothing secret. */
  [INSPECT](): string {
    return `HttpClient { baseUrl: '${this.config.baseUrl}' }`
  }

  toJSON(): { baseUrl: string } {
    return { baseUrl: this.config.baseUrl }
  }

  #loadTransport(): Promise<KyTransport.Transport> {
    return (this.#transport ??= loadPart('the HTTP layer', () => import('./ky-transport.js')).then(
      (module) => {
        this.#ky = module
        return module.createTransport(this.config)
      },
      (error: unknown) => {
        // A chunk that failed to download (offline page) may load on the next attempt.
        this.#transport = undefined
        throw error
      },
    ))
  }

  /** Every secret to hide from errors and logs: the app secret and the current and recent tokens. */
  hidden(): string[] {
    return [...this.#secrets, ...(this.config.tokens?.known() ?? [])]
  }

  /** Server text (a body, a frame) quoted in an error: JSON-encoded, redacted, then cut to `max` characters. */
  excerpt(value: unknown, max = 200): string {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
    return redact(text, this.hidden()).slice(0, max)
  }

  url(path: string, query?: Query): string {
    const params = toSearchParams(query)?.toString()
    return this.config.baseUrl + path + (params ? `?${params}` : '')
  }

  async request<T>(options: HttpRequest): Promise<T> {
    // A signal aborted before the call: nothing is sent (not even a token request).
    if (options.signal?.aborted) throw abortReason(options.signal)
    // Built once for the request and its body's messages (each build and safe form costs a URL parse).
    const url = this.url(options.path, options.query)
    const response = await this.#send(options, url)
    const timeout = options.timeout ?? this.config.timeout
    try {
      const what = () => `${options.method} ${safeUrl(url)}`
      return (await readBody(response, { what, stallMs: timeout, signal: options.signal })) as T
    } catch (error) {
      // A connection reset in the middle of the body is a NetworkError like one before it.
      throw await this.fail(error, options.method, url, options.signal, timeout)
    }
  }

  /** Sends the request and returns the successful Response (body unread). */
  async #send(options: HttpRequest, url: string): Promise<Response> {
    const idempotent = options.idempotent ?? options.method !== 'POST'
    // Checked here, not by ky: a body JSON cannot encode (a circular reference) would fail as a "network" error.
    if (options.json !== undefined) toJson(`The body of ${options.method} ${options.path}`, options.json)
    const kyOptions: KyOptions = {
      method: options.method,
      json: options.json,
      signal: options.signal,
      timeout: options.timeout ?? this.config.timeout,
    }
    if (this.config.log.enabled) this.config.log('debug', `${options.method} ${safeUrl(url)}`)
    if (options.auth === false) return this.#call(idempotent, url, kyOptions, options.headers)
    return this.authorized(options.signal, (auth) => this.#call(idempotent, url, kyOptions, { ...options.headers, ...auth }))
  }

  /**
   * Runs `attempt` with auth headers. On a 401 it asks for a fresh token once and tries once more;
   * the token source makes sure concurrent 401s lead to a single refresh.
   */
  async authorized<T>(signal: AbortSignal | undefined, attempt: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    const tokens = this.config.tokens
    if (!tokens) return attempt({})
    const token = await tokens.get(signal)
    try {
      return await attempt(authHeaders(token))
    } catch (error) {
      if (!(error instanceof SymblError && 'status' in error && error.status === 401)) throw error
      tokens.invalidate(token)
      this.config.log('info', 'The server refused the token; fetching a new one and retrying once')
      return attempt(authHeaders(await tokens.get(signal)))
    }
  }

  async #call(idempotent: boolean, url: string, options: KyOptions, headers: Record<string, string> | undefined): Promise<Response> {
    try {
      // Inside the try: a ky chunk that fails to download becomes a NetworkError like any other.
      const transport = await this.#loadTransport()
      return await (idempotent ? transport.idempotent : transport.once)(url, {
        ...options,
        headers: { accept: 'application/json', ...headers },
      })
    } catch (error) {
      throw await this.fail(error, options.method ?? 'GET', url, options.signal ?? undefined, options.timeout)
    }
  }

  /**
   * Maps whatever a request threw to the SDK's errors (the abort reason passes through as is).
   * Nothing of what the runtime said is kept unless the secrets are hidden from it.
   */
  async fail(error: unknown, method: string, url: string, signal?: AbortSignal, timeout = this.config.timeout): Promise<unknown> {
    if (signal?.aborted) return abortReason(signal)
    if (error instanceof SymblError) return error
    const ky = this.#ky
    if (ky && error instanceof ky.HTTPError) return ky.httpErrorFrom(error.response, method, safeUrl(url), this.hidden())
    if (ky && error instanceof ky.TimeoutError) {
      return new TimeoutError(
        `${method} ${safeUrl(url)} got no answer within ${timeout} ms. Raise the \`timeout\` option or check the server`,
      )
    }
    if (error instanceof Error && error.name === 'AbortError') return error
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause
    const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
    const hidden = this.hidden()
    return new NetworkError(
      `Could not reach ${safeUrl(url)} (${redact(detail, hidden)}). Check \`baseUrl\` and the network${this.config.enforcesCors ? " (in a browser also CORS: the server must allow this page's origin)" : ''}`,
      redactError(error, hidden),
    )
  }
}

/**
 * The contract documents `Authorization: Bearer` (DOCS22) and `x-api-key` (older docs; what
 * Symbl's own JS SDK sends). Sending both works with a server that accepts either.
 */
export function authHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-api-key': token }
}
