import type { IncomingMessage, ServerResponse } from 'node:http'
import { SymblClient } from '../client.js'
import { ConfigError, ValidationError } from '../errors.js'
import { createLog, type Log } from '../logger.js'
import { nodePlatform } from '../runtime/node-platform.js'
import { appTokenProvider } from './app-token.js'
import { findAppCredentials, findBaseUrl, NO_APP_CREDENTIALS } from './credentials.js'
import { check, describe, FAILED, json, METHODS, REJECTED_TOKEN_HEADER, tokenHandler } from './token-handler.js'
import type { TokenHandler, TokenHandlerOptions } from './types.js'

export type { TokenHandler, TokenHandlerOptions }
export { REJECTED_TOKEN_HEADER }

// Each handler's logger, so `toNodeListener` logs the failures it catches where the handler does.
const logs = new WeakMap<TokenHandler, Log>()

/**
 * Makes the token endpoint a web app's own server exposes to its browser code, so the app secret
 * stays on the server. A fetch-style `Request → Response` handler (works with Hono, Next.js route
 * handlers, Deno-style servers); `toNodeListener` adapts it to `node:http` and Express. The browser side is
 * `tokenProvider: ({ rejectedToken }) => fetch('/symbl-token', { headers: rejectedToken ? { 'x-symbl-rejected-token': rejectedToken } : {} }).then((r) => r.json())`
 * (passing the refused token on lets the endpoint replace a token Symbl no longer accepts).
 */
export function createTokenHandler(options: TokenHandlerOptions = {}): TokenHandler {
  if (!options || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError('createTokenHandler takes an options object, e.g. createTokenHandler({ authorize: (request) => … })')
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw new ValidationError(
      'createTokenHandler: authorize must be a function returning true (allow) or false (refuse), e.g. (request) => isLoggedIn(request)',
    )
  }
  const credentials = findAppCredentials(options)
  if (!credentials) throw new ConfigError(NO_APP_CREDENTIALS)
  const client = new SymblClient({ ...options, baseUrl: findBaseUrl(options.baseUrl) }, nodePlatform, (http) =>
    appTokenProvider(http, credentials),
  )
  const handler = tokenHandler(
    client,
    options.authorize,
    'The token handler takes a fetch Request and returns a Response; on node:http or Express wrap it: toNodeListener(handler)',
  )
  logs.set(handler, client.log)
  return handler
}

export interface NodeListenerOptions<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> {
  /**
   * Decides from the Node request whether it may have a token: what your framework put on it
   * (Express's `req.session`, `req.user`) is here, which the handler's own `authorize`, seeing a
   * fetch `Request`, cannot reach. Runs after the method check and before the handler; `true`
   * allows, `false` answers 403, anything else or an exception answers a generic 500 (the detail
   * goes to the handler's `logger`).
   * @default undefined (only the handler's own `authorize`, if any, decides)
   */
  authorize?: (req: Req, res: Res) => boolean | Promise<boolean>
}

/**
 * Adapts a fetch-style handler to `http.createServer((req, res) => …)` and Express
 * (`app.get('/symbl-token', toNodeListener(handler, { authorize: (req) => Boolean(req.session?.user) }))`).
 * It never throws: every request gets an answer (405 for other methods, 400 for a request that is
 * not a valid URL, 500 when the app's own code fails), so no request can bring the server down.
 */
export function toNodeListener<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  handler: TokenHandler,
  options: NodeListenerOptions<Req, Res> = {},
): (req: Req, res: Res) => void {
  if (typeof handler !== 'function')
    throw new ValidationError('toNodeListener takes the handler createTokenHandler made: toNodeListener(createTokenHandler())')
  if (!options || typeof options !== 'object')
    throw new ValidationError('toNodeListener: options must be an object, e.g. { authorize: (req) => Boolean(req.session?.user) }')
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw new ValidationError(
      'toNodeListener: authorize must be a function of the Node request returning true (allow) or false (refuse), e.g. (req) => Boolean(req.session?.user)',
    )
  }
  return (req, res) => {
    // The last guard: a listener that throws or rejects takes the whole process down.
    answer(handler, options, req, res).catch(() => {})
  }
}

async function answer<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: TokenHandler,
  options: NodeListenerOptions<Req, Res>,
  req: Req,
  res: Res,
): Promise<void> {
  const log = logs.get(handler) ?? createLog(undefined, () => [])
  // The body is never read: drain it so the connection can serve the next request, and ignore its
  // errors (a client that leaves mid-body makes the stream emit one, which unheard would throw).
  req.on('error', () => {})
  req.resume()
  const controller = new AbortController()
  res.on('close', () => controller.abort())
  let response: Response
  let body: Buffer
  try {
    response = await respond(handler, options, req, res, controller.signal, log)
    // A handler other than ours may return something else, or a body that fails while read: the
    // request still gets an answer (a throw here was swallowed below and left the client hanging).
    if (!(response instanceof Response))
      throw new TypeError(
        // Its type only: the value itself may be a token.
        `the handler returned ${response === null ? 'null' : typeof response}, not a Response`,
      )
    body = Buffer.from(await response.arrayBuffer())
  } catch (error) {
    log('error', `token endpoint: the handler failed: ${describe(error)}`)
    response = json(500, FAILED)
    body = Buffer.from(await response.arrayBuffer())
  }
  // Nobody to answer, or the app's authorize already did (a redirect to the login page).
  if (res.destroyed || res.writableEnded) return
  if (res.headersSent) return void res.end()
  try {
    // A length, not chunked: the answer is whole, and a kept-alive connection can carry the next request.
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': String(body.byteLength) })
    res.end(body)
  } catch (error) {
    // A header Node refuses (from a handler other than ours): end the exchange rather than leave it hanging.
    log('error', `token endpoint: could not send the answer: ${describe(error)}`)
    res.destroy()
  }
}

async function respond<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: TokenHandler,
  options: NodeListenerOptions<Req, Res>,
  req: Req,
  res: Res,
  signal: AbortSignal,
  log: Log,
): Promise<Response> {
  // Checked here, not only in the handler: a fetch `Request` cannot even be made for some methods
  // (TRACE, CONNECT), and the constructor's exception would escape the listener.
  const method = req.method ?? ''
  if (!METHODS.includes(method)) return json(405, { message: 'Use GET or POST' }, { allow: METHODS.join(', ') })
  const url = requestUrl(req)
  if (!url) return json(400, { message: 'Bad request: the Host header or the request target is not a valid URL' })
  if (options.authorize) {
    const refused = await check(log, 'toNodeListener authorize', () => options.authorize!(req, res))
    if (refused) return refused
  }
  return handler(new Request(url, { method, headers: requestHeaders(req), signal }))
}

/**
 * The request's URL. An absolute-form target (`GET http://host/path`, as sent to proxies) wins
 * over Host (RFC 9112 3.2.2); otherwise Host, which must be a host name or address with an
 * optional port (RFC 9112 3.2: anything else is answered 400), or localhost for an HTTP/1.0
 * request without one. Express's `originalUrl` is the path before a router stripped its mount point.
 */
function requestUrl(req: IncomingMessage): string | undefined {
  const original = (req as { originalUrl?: unknown }).originalUrl
  const target = typeof original === 'string' ? original : (req.url ?? '/')
  try {
    if (!target.startsWith('/')) {
      const url = new URL(target)
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
    }
    const host = req.headers.host || 'localhost'
    if (!/^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return undefined
    return new URL(`http://${host}${target}`).href
  } catch {
    return undefined
  }
}

/** The request headers as fetch `Headers`, leaving out any the fetch API refuses rather than failing. */
function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    try {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    } catch {
      // An HTTP/2 pseudo-header or a value fetch cannot carry: the token endpoint needs neither.
    }
  }
  return headers
}

/**
 * Runs an app's authorize callback: undefined when it returned `true`, else the answer (403 for
 * `false`; 500 for an exception or a value that is not a boolean, which fails closed, logged).
 */
