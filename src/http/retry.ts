import { invalid } from './check.js'
import { durationMs } from '../utils/duration.js'
import type { RetryOptions } from './types.js'

export type { RetryOptions }

export type NormalizedRetry = Required<RetryOptions>

export function normalizeRetry(retry: number | RetryOptions | undefined): NormalizedRetry {
  if (retry !== undefined && typeof retry !== 'number' && (typeof retry !== 'object' || retry === null || Array.isArray(retry))) {
    invalid('retry', 'a number of retries or { limit, baseDelayMs, maxDelayMs, maxRetryAfterMs }', retry)
  }
  const r = typeof retry === 'number' ? { limit: retry } : (retry ?? {})
  for (const key of ['limit', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const v = r[key]
    if (v === undefined) continue
    // The delays become timers (ky's backoff, Retry-After waits): bounded like every duration.
    if (key !== 'limit') durationMs(`retry.${key}`, v)
    else if (!(typeof v === 'number' && v >= 0 && v !== Infinity))
      invalid(typeof retry === 'number' ? 'retry' : 'retry.limit', 'a number of 0 or more', v)
  }
  return {
    limit: Math.max(0, Math.floor(r.limit ?? 2)),
    baseDelayMs: r.baseDelayMs ?? 300,
    maxDelayMs: r.maxDelayMs ?? 10_000,
    maxRetryAfterMs: r.maxRetryAfterMs ?? 60_000,
  }
}
