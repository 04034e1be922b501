import type { SymblClient } from '../client.js'
import { SymblError, ValidationError } from '../errors.js'
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
/** One `GET /v1/job/{jobId}`. */
export async function fetchJobStatus(client: SymblClient, jobId: string, signal?: AbortSignal): Promise<JobStatus> {
  const body = await client.http.request<Partial<JobStatusResponse> | undefined>({ method: 'GET', path: `/v1/job/${pathId('jobId', jobId)}`, signal })
  if (typeof body?.status !== 'string') throw new SymblError('http', `GET /v1/job/${jobId} answered without a status: ${JSON.stringify(body)?.slice(0, 100)}`)
  return body.status
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
