import type { SymblClient } from '../client.js'
import { SymblError, ValidationError } from '../errors.js'
import { invalid, isObject, optionalObject } from '../http/check.js'
import { pathId } from '../http/url.js'
import { durationMs, timeoutMs } from '../utils/duration.js'

// Shared with the token source, which every bundle has anyway.

/** Contract 3.4. Unknown values are passed on as they come. */
export type JobStatus = 'scheduled' | 'in_progress' | 'completed' | 'failed'

export interface JobStatusResponse {
  id: string
  status: JobStatus
}

export interface PollInterval {
  /** First delay between status calls, in ms (above 0, at most 2 147 483 647).
   * @default 1000
   */
  initialMs?: number
  /** Longest delay, in ms (from `initialMs` to 2 147 483 647).
   * @default 10000
   */
  maxMs?: number
  /** Growth per poll (1 or more).
   * @default 1.5
   */
  factor?: number
}

export interface WaitOptions {
  /** Stops waiting (and polling, once nobody else waits) with the signal's reason. */
  signal?: AbortSignal
  pollInterval?: PollInterval
  /**
   * Gives up with a `JobError` (code `job_timeout`) after this many ms (above 0, at most
   * 2 147 483 647, about 24.8 days); `false` or `Infinity` waits forever.
   * One hour by default: not documented by Symbl; recordings may last 4 h, and jobs usually take a
   * fraction of their length, so an hour means something is wrong rather than slow.
   * @default 3600000
   */
  waitTimeout?: number | false
  /** Called with each new job status (for progress displays). */
  onStatus?: (status: JobStatus) => void
}

const DEFAULT_TIMEOUT = 3_600_000
/** One `GET /v1/job/{jobId}`. */
export async function fetchJobStatus(client: SymblClient, jobId: string, signal?: AbortSignal): Promise<JobStatus> {
  const body = await client.http.request<Partial<JobStatusResponse> | undefined>({
    method: 'GET',
    path: `/v1/job/${pathId('jobId', jobId)}`,
    signal,
  })
  if (typeof body?.status !== 'string')
    throw new SymblError('http', `GET /v1/job/${jobId} answered without a status: ${client.http.excerpt(body, 100)}`)
  return body.status
}

/**
 * Checks the waiting options and fills in the defaults. Submissions call it before sending, so a
 * mistake here cannot surface only after a job was created (and its ids lost with the error).
 */
export function checkWaitOptions(options: WaitOptions) {
  if (!isObject(options)) invalid('wait options', 'an object such as { waitTimeout: 60000 }', options)
  const { signal, onStatus, pollInterval } = options
  if (signal !== undefined && !(signal && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    invalid('signal', 'an AbortSignal (e.g. AbortSignal.timeout(60_000) or controller.signal)', signal)
  }
  if (onStatus !== undefined && typeof onStatus !== 'function') invalid('onStatus', 'a function', onStatus)
  optionalObject('pollInterval', '{ initialMs: 1000, maxMs: 10000, factor: 1.5 }', pollInterval)
  const { initialMs = 1000, maxMs = 10_000, factor = 1.5 } = pollInterval ?? {}
  durationMs('pollInterval.initialMs', initialMs, true)
  durationMs('pollInterval.maxMs', maxMs, true)
  if (!(typeof factor === 'number' && factor >= 1 && factor < Infinity))
    invalid('pollInterval.factor', 'a finite number of 1 or more', factor)
  if (maxMs < initialMs) {
    throw new ValidationError(`pollInterval needs maxMs >= initialMs, got ${JSON.stringify({ initialMs, maxMs })}`)
  }
  // Not `??`: null is refused (it is neither a time nor `false`), not taken for the default.
  const timeout = timeoutMs('waitTimeout', options.waitTimeout === undefined ? DEFAULT_TIMEOUT : options.waitTimeout)
  return { initialMs, maxMs, factor, timeout }
}
