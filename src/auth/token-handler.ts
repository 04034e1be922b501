// The token endpoint's fetch-style handler, shared by the Node entry (src/auth/token-endpoint.ts,
// credentials from options, env or symbl.conf) and the Workers entry (src/runtime/worker-token-endpoint.ts,
// credentials from options only): each finds the app credentials its way and makes the client; what
// a request gets back is decided here, once. No Node imports.
import type { SymblClient } from '../client.js'
import { SymblError, ValidationError } from '../errors.js'
import type { Log } from '../logger.js'
import type { TokenHandler, TokenHandlerOptions } from './types.js'

/** The request header through which a browser reports the token Symbl refused (see `TokenRequest.rejectedToken`). */
export const REJECTED_TOKEN_HEADER = 'x-symbl-rejected-token'

export const METHODS = ['GET', 'POST']
const NOT_ALLOWED = { message: 'Not allowed' }
// What the browser learns when the server's own code failed: that it failed, not why (the reason
// may describe the server's setup). The detail goes to the server's logger.
export const FAILED = { message: 'The token endpoint failed; see the server log' }

/**
 * The `Request → Response` handler over `client` (whose token source makes app tokens). `misuse` is
 * the message for a call that is not given a fetch Request, in the words of the entry's runtime.
 */
export function tokenHandler(client: SymblClient, authorize: TokenHandlerOptions['authorize'], misuse: string): TokenHandler {
  return async (request) => {
    // The usual slip: `app.get('/symbl-token', handler)` hands it Express's (req, res, next).
    if (
      !request ||
      typeof request !== 'object' ||
      typeof request.method !== 'string' ||
      typeof (request.headers as Partial<Headers> | undefined)?.get !== 'function'
    ) {
      throw new ValidationError(misuse)
    }
    if (!METHODS.includes(request.method)) return json(405, { message: 'Use GET or POST' }, { allow: METHODS.join(', ') })
    if (authorize) {
      const refused = await check(client.log, 'authorize', () => authorize(request))
      if (refused) return refused
    }
    // The browser says Symbl refused the token it got from here (revoked, or expired early): drop
    // it from the cache so a new one is fetched. Without this the endpoint kept serving the refused
    // token until its own renewal time (up to a day). `invalidate` only drops an exact match, so a
    // made-up value cannot force token calls.
    const rejected = request.headers.get(REJECTED_TOKEN_HEADER)
    if (rejected) client.tokens.invalidate(rejected)
    try {
      const info = await client.tokens.info(request.signal ?? undefined)
      const expiresIn = info.expiresAt === undefined ? undefined : Math.max(0, Math.floor((info.expiresAt - Date.now()) / 1000))
      return json(200, { accessToken: info.accessToken, expiresIn })
    } catch (error) {
      // The client went away: nobody reads the answer, and nothing failed on this side.
      if (request.signal?.aborted) return json(499, { message: 'The request was aborted' })
      const message = error instanceof SymblError ? error.message : 'Could not get a token'
      client.log('error', `token endpoint: ${message}`)
      // The browser learns that it failed, not why: the reason may describe the server's setup.
      return json(502, {
        message: 'Could not get a Symbl token; see the server log',
        code: error instanceof SymblError ? error.code : 'unknown',
      })
    }
  }
}

export async function check(log: Log, name: string, authorize: () => unknown): Promise<Response | undefined> {
  let allowed: unknown
  try {
    allowed = await authorize()
  } catch (error) {
    log('error', `token endpoint: ${name} threw: ${describe(error)}`)
    return json(500, FAILED)
  }
  if (allowed === true) return undefined
  if (allowed === false) return json(403, NOT_ALLOWED)
  log(
    'error',
    `token endpoint: ${name} must return true or false (or a promise of one), got ${allowed === null ? 'null' : typeof allowed}; the request was refused`,
  )
  return json(500, FAILED)
}

export function describe(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  } catch {
    return 'a value that cannot be shown'
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  })
}
