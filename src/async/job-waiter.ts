import type { SymblClient } from '../client.js'
import { SymblError, ValidationError } from '../errors.js'
import { invalid, isObject, optionalObject } from '../http/check.js'
import { pathId } from '../http/url.js'
import { durationMs, timeoutMs } from '../utils/duration.js'
import { requestOptions } from '../http/request-options.js'
import type { RequestOptions } from '../http/types.js'
import type { JobStatus, JobStatusResponse, PollInterval, WaitOptions } from './types.js'

// Shared with the token source, which every bundle has anyway.

export type { JobStatus, JobStatusResponse, PollInterval, WaitOptions }

const DEFAULT_TIMEOUT = 3_600_000
/** One `GET /v1/job/{jobId}`. */
export async function fetchJobStatus(client: SymblClient, jobId: string, options: RequestOptions = {}): Promise<JobStatus> {
  const body = await client.http.request<Partial<JobStatusResponse> | undefined>({
    method: 'GET',
    path: `/v1/job/${pathId('jobId', jobId)}`,
    signal: options.signal,
    timeout: options.timeout,
  })
  // A status is a word (contract: scheduled, in_progress, completed, failed; a later one is kept).
  // Anything else is server text that would reach JobError's message and `status` unredacted
  // ("last status: …"): a server that is not Symbl may answer a token there.
  if (typeof body?.status !== 'string' || !/^[A-Za-z_-]{1,64}$/.test(body.status))
    throw new SymblError('http', `GET /v1/job/${jobId} answered without a status: ${client.http.excerpt(body, 100)}`)
  return body.status
}

/**
 * Checks the waiting options and fills in the defaults. Submissions call it before sending, so a
 * mistake here cannot surface only after a job was created (and its ids lost with the error).
 */
export function checkWaitOptions(options: WaitOptions) {
  if (!isObject(options)) invalid('wait options', 'an object such as { waitTimeout: 60000 }', options)
  const { onStatus, pollInterval } = options
  const { timeout: requestTimeout } = requestOptions('options', options)
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
  return { initialMs, maxMs, factor, timeout, requestTimeout }
}
