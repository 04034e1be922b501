import { HTTPError, type RetryOptions as KyRetryOptions } from 'ky'

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
  const r = typeof retry === 'number' ? { limit: retry } : retry ?? {}
  return {
    limit: Math.max(0, Math.floor(r.limit ?? 2)),
    baseDelayMs: r.baseDelayMs ?? 300,
    maxDelayMs: r.maxDelayMs ?? 10_000,
    maxRetryAfterMs: r.maxRetryAfterMs ?? 60_000,
  }
}

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504]

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
    afterStatusCodes: [429, 503],
    maxRetryAfter: policy.maxRetryAfterMs,
    backoffLimit: policy.maxDelayMs,
    retryOnTimeout: idempotent,
    delay: (attempt) => policy.baseDelayMs * 2 ** (attempt - 1),
    jitter: true,
    shouldRetry: idempotent
      ? undefined
      : ({ error }) => {
          if (error instanceof HTTPError) return error.response.status === 429 ? undefined : false
          return isConnectionRefused(error) ? true : false
        },
  }
}

export function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause
  return cause?.code === 'ECONNREFUSED'
}
