// Everything that touches ky, in one module that the HTTP client imports on its first request. An
// app that only streams (a token provider, a WebSocket, the microphone) then never downloads ky,
// which is the largest dependency of the browser build (see `npm run bench -- size`).
import ky, { HTTPError, TimeoutError, type KyInstance, type Options, type RetryOptions } from 'ky'
import type { NormalizedRetry } from './retry.js'
import { isConnectionRefused, retryAfterMs } from './retry-rules.js'

export { HTTPError, TimeoutError }
export { httpErrorFrom } from './http-errors.js'

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504]
const AFTER_STATUSES = [429, 503]

/** The two preconfigured ky instances an HttpClient sends through. */
export interface Transport {
  idempotent: KyInstance
  once: KyInstance
}

export function createTransport(config: { fetch: typeof fetch; timeout: number | false; retry: NormalizedRetry }): Transport {
  // Preconfigured, so a request only merges its own few options (ky's per-call option merging is
  // a measurable part of its overhead on fast networks).
  const base: Options = { fetch: config.fetch, throwHttpErrors: true, timeout: config.timeout }
  return {
    idempotent: ky.create({ ...base, retry: kyRetry(config.retry, true) }),
    once: ky.create({ ...base, retry: kyRetry(config.retry, false) }),
  }
}

/**
 * ky retry options for one request. Idempotent requests retry on network errors, timeouts and the
 * statuses above. A request that is not idempotent (a POST that creates a job, a PUT that appends)
 * retries only when the failure proves nothing happened on the server: a 429 (the concurrency
 * limit refused it) or a refused connection (nothing was sent).
 */
export function kyRetry(policy: NormalizedRetry, idempotent: boolean): RetryOptions {
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
