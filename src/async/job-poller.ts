// The polling loop behind conversation.wait() and the job callbacks, loaded when a conversation
// first waits: pages that only read finished conversations do not download it.
import type { SymblClient } from '../client.js'
import { abortReason, HttpError, JobError, NetworkError, TimeoutError } from '../errors.js'
import { sleep } from '../utils/async.js'
import { checkWaitOptions, fetchJobStatus } from './job-waiter.js'
import type { JobStatus, WaitOptions } from './types.js'

// Consecutive failed status calls (each already retried by the HTTP client) tolerated before giving up.
const MAX_STATUS_FAILURES = 5

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
  const { initialMs, maxMs, factor, timeout, requestTimeout } = checkWaitOptions(options)
  const deadline = timeout === false ? Infinity : Date.now() + timeout
  let delay = initialMs
  let failures = 0
  let last = 'unknown'
  for (;;) {
    try {
      const status = await fetchJobStatus(client, ids.jobId, { signal, timeout: requestTimeout })
      failures = 0
      last = status
      report(status)
      if (status === 'completed') return
      if (status === 'failed') {
        throw new JobError(
          'job_failed',
          `Job ${ids.jobId} of conversation ${ids.conversationId} failed. Symbl gives no reason; check the media (format, length, reachable URL) and submit it again`,
          { ...ids, status },
        )
      }
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal)
      if (!isTransient(error) || ++failures > MAX_STATUS_FAILURES) throw error
      client.log('warn', `Job status call failed (${failures}/${MAX_STATUS_FAILURES}), polling on`, {
        jobId: ids.jobId,
        error: String(error),
      })
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

function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError || error instanceof TimeoutError) return true
  return error instanceof HttpError && (error.status >= 500 || error.status === 408 || error.status === 429)
}

// What a conversation needs from its job besides the loop, in the same part (conversation.ts).
export { checkWaitOptions, fetchJobStatus } from './job-waiter.js'
