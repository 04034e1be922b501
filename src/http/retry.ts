import { invalid } from './check.js'
import { HTTPError, type RetryOptions as KyRetryOptions } from 'ky'
import { NetworkError, RateLimitError } from '../errors.js'

export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  limit?: number
  /** Delay before the first retry, doubled each time (with full jitter). Default 300 ms. */
  baseDelayMs?: number
  /** Cap on one backoff delay. Default 10 s. */
  maxDelayMs?: number
  /** Longest `Retry-After` the SDK will wait; a longer one fails at once. Default 60 s. */
  maxRetryAfterMs?: number
}

export type NormalizedRetry = Required<RetryOptions>

export function normalizeRetry(retry: number | RetryOptions | undefined): NormalizedRetry {
  if (retry !== undefined && typeof retry !== 'number' && (typeof retry !== 'object' || retry === null || Array.isArray(retry))) {
    invalid('retry', 'a number of retries or { limit, baseDelayMs, maxDelayMs, maxRetryAfterMs }', retry)
  }
  const r = typeof retry === 'number' ? { limit: retry } : retry ?? {}
  for (const key of ['limit', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const v = r[key]
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v !== Infinity)) invalid(key === 'limit' && typeof retry === 'number' ? 'retry' : `retry.${key}`, 'a number of 0 or more', v)
  }
  return {
    limit: Math.max(0, Math.floor(r.limit ?? 2)),
    baseDelayMs: r.baseDelayMs ?? 300,
    maxDelayMs: r.maxDelayMs ?? 10_000,
    maxRetryAfterMs: r.maxRetryAfterMs ?? 60_000,
  }
}

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504]
const AFTER_STATUSES = [429, 503]

/**
 * ky retry options for one request. Idempotent requests retry on network errors, timeouts and the
 * statuses above. A request that is not idempotent (a POST that creates a job, a PUT that appends)
 * retries only when the failure proves nothing happened on the server: a 429 (the concurrency
 * limit refused it) or a refused connection (nothing was sent).
 */
export function kyRetry(policy: NormalizedRetry, idempotent: boolean): KyRetryOptions {
  return {
    limit: policy.limit,
    // Every method the SDK sends (ky leaves POST out by default); which ones may repeat is decided below.
    methods: ['get', 'put', 'post', 'delete'],
    statusCodes: RETRY_STATUSES,
    afterStatusCodes: AFTER_STATUSES,
    maxRetryAfter: policy.maxRetryAfterMs,
    backoffLimit: policy.maxDelayMs,
    retryOnTimeout: idempotent,
    delay: (attempt) => policy.baseDelayMs * 2 ** (attempt - 1),
    jitter: true,
    // undefined: ky's own rules decide (statuses, timeouts, Retry-After).
    shouldRetry: ({ error }) => {
      if (error instanceof HTTPError) {
        const { status, headers } = error.response
        // ky would wait maxRetryAfter and try anyway; a server asking for longer will refuse again.
        if (AFTER_STATUSES.includes(status) && (retryAfterMs(headers) ?? 0) > policy.maxRetryAfterMs) return false
        return idempotent || status === 429 ? undefined : false
      }
      return idempotent ? undefined : isConnectionRefused(error)
    },
  }
}

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
