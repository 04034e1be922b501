import { AuthError, HttpError, NotFoundError, RateLimitError, type HttpErrorDetails } from '../errors.js'

/** Parses a body as JSON when it looks like JSON, else returns the text (empty body: undefined). */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('json') || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

/** Turns a non-2xx response into the matching `HttpError` subclass. */
export async function httpErrorFrom(response: Response, method: string, url: string): Promise<HttpError> {
  let body: unknown
  try {
    body = await readBody(response)
  } catch {
    body = undefined
  }
  const details: HttpErrorDetails = { status: response.status, method, url, body }
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
