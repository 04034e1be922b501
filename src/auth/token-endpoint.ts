import type { IncomingMessage, ServerResponse } from 'node:http'
import { SymblClient, type SymblOptions } from '../client.js'
import { ConfigError, SymblError } from '../errors.js'
import { redact } from '../logger.js'
import { nodePlatform } from '../runtime/node-platform.js'
import { appTokenProvider } from './app-token.js'
import { findAppCredentials, NO_CREDENTIALS, type CredentialOptions } from './credentials.js'

export interface TokenHandlerOptions extends CredentialOptions, Pick<SymblOptions, 'baseUrl' | 'fetch' | 'timeout' | 'retry' | 'logger'> {
  /**
   * Decides whether a request may have a token (check your session cookie here). Without it,
   * anyone who can reach the endpoint gets a token: put it behind your app's own auth.
   */
  authorize?: (request: Request) => boolean | Promise<boolean>
}

export type TokenHandler = (request: Request) => Promise<Response>

/** The request header through which a browser reports the token Symbl refused (see `TokenRequest.rejectedToken`). */
export const REJECTED_TOKEN_HEADER = 'x-symbl-rejected-token'

/**
 * Makes the token endpoint a web app's own server exposes to its browser code, so the app secret
 * stays on the server. A fetch-style `Request → Response` handler (works with Hono, Next.js route
 * handlers, Deno-style servers); `toNodeListener` adapts it to `node:http`. The browser side is
 * `tokenProvider: ({ rejectedToken }) => fetch('/symbl-token', { headers: rejectedToken ? { 'x-symbl-rejected-token': rejectedToken } : {} }).then((r) => r.json())`
 * (passing the refused token on lets the endpoint replace a token Symbl no longer accepts).
 */
export function createTokenHandler(options: TokenHandlerOptions = {}): TokenHandler {
  const credentials = findAppCredentials(options)
  if (!credentials) throw new ConfigError(NO_CREDENTIALS)
  const client = new SymblClient(options, nodePlatform, (http) => appTokenProvider(http, credentials))
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      return json(405, { message: 'Use GET or POST' }, { allow: 'GET, POST' })
    }
    if (options.authorize && !(await options.authorize(request))) return json(403, { message: 'Not allowed' })
    // The browser says Symbl refused the token it got from here (revoked, or expired early): drop
    // it from the cache so a new one is fetched. Without this the endpoint kept serving the refused
    // token until its own renewal time (up to a day). `invalidate` only drops an exact match, so a
    // made-up value cannot force token calls.
    const rejected = request.headers.get(REJECTED_TOKEN_HEADER)
    if (rejected) client.tokens.invalidate(rejected)
    try {
      const info = await client.tokens.info(request.signal)
      const expiresIn = info.expiresAt === undefined ? undefined : Math.max(0, Math.floor((info.expiresAt - Date.now()) / 1000))
      return json(200, { accessToken: info.accessToken, expiresIn })
    } catch (error) {
      const message = error instanceof SymblError ? error.message : 'Could not get a token'
      client.log('error', `token endpoint: ${message}`)
      // The browser learns that it failed, not why: the reason may describe the server's setup.
      return json(502, { message: 'Could not get a Symbl token; see the server log' , code: error instanceof SymblError ? error.code : 'unknown' })
    }
  }
}

/** Adapts a fetch-style handler to `http.createServer((req, res) => …)`. */
export function toNodeListener(handler: TokenHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`
    const controller = new AbortController()
    res.on('close', () => controller.abort())
    handler(new Request(url, { method: req.method, headers: req.headers as Record<string, string>, signal: controller.signal }))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers))
        res.end(Buffer.from(await response.arrayBuffer()))
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ message: redact(error instanceof Error ? error.message : 'internal error') }))
      })
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  })
}
