import { ValidationError } from '../errors.js'
import { describe, invalid, toJson } from './check.js'

export { describe }

export type QueryValue = string | number | boolean | null | undefined | readonly unknown[] | Record<string, unknown>
export type Query = Record<string, QueryValue>

/**
 * Symbl's query-string convention (contract 3.2): booleans as `true`/`false`, lists and objects as
 * one JSON-encoded parameter; undefined and null are left out.
 */
export function toSearchParams(query: Query | undefined): URLSearchParams | undefined {
  if (!query) return undefined
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    const name = `the query parameter ${JSON.stringify(key)}`
    if (typeof value === 'object') params.set(key, toJson(name, value))
    else if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
      params.set(key, String(value))
    // A function, symbol, NaN or BigInt would reach the server as its source text or "NaN".
    else invalid(name, 'a string, a finite number, a boolean, a list or an object', value)
  }
  return params
}

/**
 * Validates an id that goes into a URL path and encodes it. `.` and `..` are refused because URL
 * parsing would resolve them and send the request to another endpoint.
 */
export function pathId(name: string, value: unknown): string {
  if (typeof value === 'number') {
    throw new ValidationError(
      `${name} must be a string, got the number ${value}: Symbl ids can exceed JavaScript's safe integer range, so pass them as strings`,
    )
  }
  if (typeof value !== 'string' || value.trim() === '') invalid(`${name} is required and`, 'a non-empty string', value)
  if (value.length > 256) throw new ValidationError(`${name} is ${value.length} characters long; ids are at most 256`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (value === '.' || value === '..' || /[\u0000-\u001f]/.test(value)) {
    throw new ValidationError(`${name} ${JSON.stringify(value)} is not a valid id`)
  }
  return encodeURIComponent(value)
}

/** Removes secret-looking query parameters so a URL can go into an error message. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url)
    for (const key of [...u.searchParams.keys()]) {
      if (/token|secret|key|password/i.test(key)) u.searchParams.set(key, '[redacted]')
    }
    u.username = ''
    u.password = ''
    return u.toString()
  } catch {
    return url.replace(/\?.*$/, '')
  }
}
