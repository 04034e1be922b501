// The rules for failures: when an upload may be re-sent, what Retry-After asks for, and whether a
// connection was refused. Only failing requests need them, so they load with ky (ky-transport.ts)
// or with the upload code, not with the client.
import { NetworkError, RateLimitError } from '../errors.js'
import type { NormalizedRetry } from './retry.js'

/**
 * The wait before re-sending a request that must not be repeated blindly (an upload): after a 429
 * its `Retry-After` (none when longer than `maxRetryAfterMs`) or a jittered backoff, after a
 * refused connection the backoff; undefined for any other failure (do not re-send).
 */
export function resendDelay(error: unknown, retries: number, policy: NormalizedRetry): number | undefined {
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs > policy.maxRetryAfterMs ? undefined : error.retryAfterMs
  }
  if (!(error instanceof RateLimitError || (error instanceof NetworkError && isConnectionRefused(error)))) return undefined
  return Math.random() * Math.min(policy.baseDelayMs * 2 ** retries, policy.maxDelayMs)
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now()
  return Number.isNaN(ms) ? undefined : Math.max(0, ms)
}

/**
 * The connection was refused, so nothing reached the server. The code sits on the error itself
 * (node:http) or on its cause (fetch's "fetch failed", or the SDK's NetworkError).
 */
export function isConnectionRefused(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === 'ECONNREFUSED') return true
  }
  return false
}
