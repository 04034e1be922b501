import { TokenSource } from './auth/token-source.js'
import type { TokenProvider } from './auth/types.js'
import { ConfigError, ValidationError } from './errors.js'
import { invalid } from './http/check.js'
import { timeoutMs } from './utils/duration.js'
import { HttpClient, INSPECT } from './http/http-client.js'
import { normalizeRetry } from './http/retry.js'
import { createLog, type Log } from './logger.js'
import type { Platform, WebSocketConstructor, WebSocketLike } from './platform.js'
import type { SymblOptions } from './types.js'

export type { SymblOptions }

export const DEFAULT_BASE_URL = 'https://api.symbl.ai'

/**
 * The shared plumbing every API area uses: normalised options, the HTTP client, the token source,
 * the logger and the runtime's platform. Areas receive it in their constructor; `Symbl` is this
 * plus the areas.
 */
export class SymblClient {
  readonly baseUrl: string
  readonly wsBaseUrl: string
  readonly http: HttpClient
  readonly tokens: TokenSource
  readonly log: Log
  readonly platform: Platform
  readonly #WebSocket: WebSocketConstructor | undefined

  constructor(options: SymblOptions, platform: Platform, fallbackProvider?: (http: HttpClient) => TokenProvider) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      // Only the type is shown: a string here may well be a token.
      throw new ValidationError(`Symbl options must be an object, e.g. new Symbl({ tokenProvider }), got ${typeName(options)}`)
    }
    checkOptionTypes(options)
    this.platform = platform
    this.baseUrl = normalizeBase('baseUrl', options.baseUrl ?? DEFAULT_BASE_URL, ['http:', 'https:'])
    this.wsBaseUrl =
      options.wsBaseUrl !== undefined ? normalizeBase('wsBaseUrl', options.wsBaseUrl, ['ws:', 'wss:']) : this.baseUrl.replace(/^http/, 'ws')
    const timeout = timeoutMs('timeout', options.timeout ?? 30_000)
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new ValidationError('fetch must be a function')
    if (options.tokenProvider !== undefined && typeof options.tokenProvider !== 'function') {
      throw new ValidationError('tokenProvider must be a function returning a token or { accessToken, expiresIn }')
    }
    const logger = options.logger as unknown
    if (
      logger !== undefined &&
      (typeof logger !== 'object' ||
        logger === null ||
        (['debug', 'info', 'warn', 'error'] as const).some(
          (k) => (logger as Record<string, unknown>)[k] !== undefined && typeof (logger as Record<string, unknown>)[k] !== 'function',
        ))
    ) {
      throw new ValidationError('logger must be an object whose debug/info/warn/error members (each optional) are functions, e.g. console')
    }
    this.#WebSocket = options.WebSocket
    let provider: TokenProvider | undefined = options.tokenProvider
    if (!provider && options.accessToken !== undefined) {
      if (typeof options.accessToken !== 'string' || !options.accessToken)
        throw new ValidationError('accessToken must be a non-empty string')
      const token = options.accessToken
      provider = () => token
    }
    const userFetch = options.fetch
    const http: HttpClient = new HttpClient(
      {
        baseUrl: this.baseUrl,
        timeout,
        retry: normalizeRetry(options.retry),
        // Looked up on each call so test interceptors that patch the global are seen.
        fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
        fetchInjected: userFetch !== undefined,
        enforcesCors: platform.enforcesCors,
        tokens: undefined,
        log: createLog(undefined, () => []),
      },
      [options.accessToken, (options as { appSecret?: unknown }).appSecret].filter((s): s is string => typeof s === 'string'),
    )
    provider ??= fallbackProvider?.(http)
    this.tokens = new TokenSource(provider ?? noCredentials)
    this.log = createLog(options.logger, () => http.hidden())
    http.config.tokens = this.tokens
    http.config.log = this.log
    this.http = http
  }

  /** What `console.log` and `util.inspect` show: the URLs, nothing secret (the token source and the secrets stay out). */
  [INSPECT](): string {
    return `SymblClient { baseUrl: '${this.baseUrl}', wsBaseUrl: '${this.wsBaseUrl}' }`
  }

  toJSON(): { baseUrl: string; wsBaseUrl: string } {
    return { baseUrl: this.baseUrl, wsBaseUrl: this.wsBaseUrl }
  }

  /** Opens a WebSocket below `wsBaseUrl` with a current token. */
  async openWebSocket(path: string, signal?: AbortSignal): Promise<WebSocketLike> {
    const token = await this.tokens.get(signal)
    return this.platform.openWebSocket(this.wsBaseUrl + path, token, this.#WebSocket)
  }
}

/**
 * Type checks of the options that are only stored here and used later (a socket constructor, the
 * Node credentials), so that a wrong type fails now with its name instead of a TypeError (or a
 * silent fallback to other credentials) at the first call.
 */
function checkOptionTypes(options: SymblOptions): void {
  const o = options as Record<string, unknown>
  if (o.WebSocket !== undefined && typeof o.WebSocket !== 'function')
    invalid('WebSocket', "a WebSocket constructor (a class, e.g. the `ws` package's WebSocket)", o.WebSocket)
  for (const name of ['appId', 'appSecret', 'configFile']) {
    const value = o[name]
    // Only the type is shown: the value may be a secret.
    if (value !== undefined && typeof value !== 'string') throw new ValidationError(`${name} must be a string, got ${typeName(value)}`)
  }
}

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value)

function normalizeBase(name: string, value: unknown, protocols: string[]): string {
  if (typeof value !== 'string') throw new ValidationError(`${name} must be a URL string`)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // Quoted without any user info: what precedes an `@` may be a password.
    throw new ValidationError(
      `${name} ${JSON.stringify(value.replace(/^([^/]*\/\/)[^/]*@/, '$1…@'))} is not a valid URL; use for example ${protocols[1]}//api.symbl.ai`,
    )
  }
  // fetch (undici) would quote the password in the message of every error of every request.
  if (url.username || url.password) {
    url.username = url.password = ''
    throw new ValidationError(
      `${name} must not contain a user name or password (user:password@): Symbl authenticates with tokens, not URL credentials. Use ${url.toString().replace(/\/+$/, '')} instead`,
    )
  }
  if (!protocols.includes(url.protocol)) {
    throw new ValidationError(`${name} must start with ${protocols.join(' or ')}, got ${url.protocol}`)
  }
  if (url.search || url.hash) throw new ValidationError(`${name} must not have a query string or fragment`)
  return url.toString().replace(/\/+$/, '')
}

const noCredentials: TokenProvider = () => {
  throw new ConfigError(
    'No token provider: pass `tokenProvider`, a function that asks your own server for a token (createTokenHandler in symbl-sdk for Node makes that endpoint), or `accessToken`',
  )
}
