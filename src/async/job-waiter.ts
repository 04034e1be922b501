import type { SymblClient } from '../client.js'
import { HttpError, JobError, NetworkError, SymblError, TimeoutError, ValidationError } from '../errors.js'
import { invalid, optionalObject } from '../http/check.js'
import { pathId } from '../http/url.js'

// Shared with the token source, which every bundle has anyway.
export { abortable } from '../auth/token-source.js'

/** Contract 3.4. Unknown values are passed on as they come. */
export type JobStatus = 'scheduled' | 'in_progress' | 'completed' | 'failed'

export interface JobStatusResponse {
  id: string
  status: JobStatus
}

export interface PollInterval {
  /** First delay between status calls. Default 1000 ms. */
  initialMs?: number
  /** Longest delay. Default 10 000 ms. */
  maxMs?: number
  /** Growth per poll. Default 1.5. */
  factor?: number
}

export interface WaitOptions {
  /** Stops waiting (and polling, once nobody else waits) with the signal's reason. */
  signal?: AbortSignal
  pollInterval?: PollInterval
  /**
   * Gives up with a `JobError` (code `job_timeout`) after this many ms; `false` waits forever.
   * Default 1 hour: not documented by Symbl; recordings may last 4 h, and jobs usually take a
   * fraction of their length, so an hour means something is wrong rather than slow.
   */
  waitTimeout?: number | false
  /** Called with each new job status (for progress displays). */
  onStatus?: (status: JobStatus) => void
}

const DEFAULT_TIMEOUT = 3_600_000
// Consecutive failed status calls (each already retried by the HTTP client) tolerated before giving up.
const MAX_STATUS_FAILURES = 5

/** One `GET /v1/job/{jobId}`. */
export async function fetchJobStatus(client: SymblClient, jobId: string, signal?: AbortSignal): Promise<JobStatus> {
  const body = await client.http.request<Partial<JobStatusResponse> | undefined>({ method: 'GET', path: `/v1/job/${pathId('jobId', jobId)}`, signal })
  if (typeof body?.status !== 'string') throw new SymblError('http', `GET /v1/job/${jobId} answered without a status: ${JSON.stringify(body)?.slice(0, 100)}`)
  return body.status
}

/**
 * Polls the job until it completes (resolves), fails (rejects with `JobError` 'job_failed'), the
 * time runs out ('job_timeout') or `signal` aborts. Delays start short and grow, because most
 * jobs take seconds to minutes; transient failures of the status call are tolerated.
 */
export async function pollJob(
  client: SymblClient,
  ids: { jobId: string; conversationId: string },
  options: WaitOptions,
  report: (status: JobStatus) => void,
): Promise<void> {
  const { signal } = options
  const { initialMs, maxMs, factor, timeout } = checkWaitOptions(options)
  const deadline = timeout === false ? Infinity : Date.now() + timeout
  let delay = initialMs
  let failures = 0
  let last = 'unknown'
  for (;;) {
    try {
      const status = await fetchJobStatus(client, ids.jobId, signal)
      failures = 0
      last = status
      report(status)
      if (status === 'completed') return
      if (status === 'failed') {
        throw new JobError('job_failed', `Job ${ids.jobId} of conversation ${ids.conversationId} failed. Symbl gives no reason; check the media (format, length, reachable URL) and submit it again`, { ...ids, status })
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      if (!isTransient(error) || ++failures > MAX_STATUS_FAILURES) throw error
      client.log('warn', `Job status call failed (${failures}/${MAX_STATUS_FAILURES}), polling on`, { jobId: ids.jobId, error: String(error) })
    }
    const left = deadline - Date.now()
    if (left <= 0) {
      throw new JobError(
        'job_timeout',
        `Job ${ids.jobId} of conversation ${ids.conversationId} did not finish within ${timeout} ms (last status: ${last}). It may still finish: call conversation.wait() again, or raise \`waitTimeout\``,
        { ...ids, status: last },
      )
    }
    await sleep(Math.min(delay, left), signal)
    delay = Math.min(delay * factor, maxMs)
  }
}

/**
 * Checks the waiting options and fills in the defaults. Submissions call it before sending, so a
 * mistake here cannot surface only after a job was created (and its ids lost with the error).
 */
export function checkWaitOptions(options: WaitOptions) {
  const { signal, onStatus, pollInterval } = options
  if (signal !== undefined && !(signal && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    invalid('signal', 'an AbortSignal (e.g. AbortSignal.timeout(60_000) or controller.signal)', signal)
  }
  if (onStatus !== undefined && typeof onStatus !== 'function') invalid('onStatus', 'a function', onStatus)
  optionalObject('pollInterval', '{ initialMs: 1000, maxMs: 10000, factor: 1.5 }', pollInterval)
  const { initialMs = 1000, maxMs = 10_000, factor = 1.5 } = pollInterval ?? {}
  if (!(initialMs > 0 && maxMs >= initialMs && factor >= 1)) {
    throw new ValidationError(`pollInterval needs initialMs > 0, maxMs >= initialMs and factor >= 1, got ${JSON.stringify({ initialMs, maxMs, factor })}`)
  }
  const timeout = options.waitTimeout ?? DEFAULT_TIMEOUT
  if (timeout !== false && !(typeof timeout === 'number' && timeout > 0)) invalid('waitTimeout', 'a positive number of milliseconds or false', timeout)
  return { initialMs, maxMs, factor, timeout }
}

function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError || error instanceof TimeoutError) return true
  return error instanceof HttpError && (error.status >= 500 || error.status === 408 || error.status === 429)
}

/** Waits `ms`; an abort rejects at once and clears the timer (so Node can exit). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason))
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
