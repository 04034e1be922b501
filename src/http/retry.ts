import { invalid } from './check.js'

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
