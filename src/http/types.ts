// Public types of the HTTP layer: what every call accepts last (`RequestOptions`) and the client's
// retry policy. Implementation: http-client.ts, retry.ts, request-options.ts.

/**
 * The last argument of every call of the SDK (alone, or merged into the call's own options object
 * when it has one): how to abort it and how long it may take.
 */
export interface RequestOptions {
  /**
   * Aborts the call: it rejects with the signal's reason (an `AbortError` wrapping a reason that is
   * not an Error). A signal aborted before the call sends nothing.
   */
  signal?: AbortSignal | undefined
  /**
   * This call's timeout in ms, overriding the client's `timeout` option: above 0, at most
   * 2 147 483 647; `false` or `Infinity`: none. Applies to each request of the call (each retry
   * gets it afresh), and to uploads as their stall timeout (nothing sent or received for that long).
   * @default the client's `timeout` (30000)
   */
  timeout?: number | false | undefined
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** The client's `retry` option in full (a number is `{ limit }`). */
export interface RetryOptions {
  /** Retries after the first attempt (0 or more).
   * @default 2
   */
  limit?: number | undefined
  /** Delay before the first retry, doubled each time (with full jitter), in ms (0 to 2 147 483 647).
   * @default 300
   */
  baseDelayMs?: number | undefined
  /** Cap on one backoff delay, in ms (0 to 2 147 483 647).
   * @default 10000
   */
  maxDelayMs?: number | undefined
  /** Longest `Retry-After` the SDK will wait, in ms (0 to 2 147 483 647); a longer one fails at once.
   * @default 60000
   */
  maxRetryAfterMs?: number | undefined
}
