// Error answers turned into the SDK's errors. Loaded with ky (ky-transport.ts) or the upload code:
// a client whose requests all succeed never downloads it.
import { AuthError, HttpError, NotFoundError, RateLimitError, type HttpErrorDetails } from '../errors.js'
import { redactValue } from '../logger.js'
import { readBody } from './read-body.js'
import { retryAfterMs } from './retry-rules.js'

/**
 * Turns a non-2xx response into the matching `HttpError` subclass. The body is kept with `secrets`
 * (and anything JWT-shaped) hidden: a server may echo the token it refused, or a credential.
 */
export async function httpErrorFrom(response: Response, method: string, url: string, secrets: string[]): Promise<HttpError> {
  let body: unknown
  try {
    // Only quoted (and cut) in the error: the first MiB is plenty, and a body that stops arriving
    // must not hold the error back for long.
    body = redactValue(
      await readBody(response, { maxBytes: 1024 * 1024, truncate: true, stallMs: 10_000, what: `${method} ${url}` }),
      secrets,
    )
  } catch {
    body = undefined
  }
  const details: HttpErrorDetails = { status: response.status, method, url, body, retryAfterMs: retryAfterMs(response.headers) }
  switch (response.status) {
    case 401:
    case 403:
      return new AuthError(details)
    case 404:
      return new NotFoundError(details)
    case 429:
      return new RateLimitError(details)
    default:
      return new HttpError(details, response.status >= 500 ? 'The server failed; try again later' : undefined)
  }
}
