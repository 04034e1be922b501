import type { SymblClient } from '../client.js'
import { abortReason, JobError } from '../errors.js'
import { INSPECT } from '../http/http-client.js'
import { invalid } from '../http/check.js'
import { partLoader } from '../utils/load-part.js'
import type { JobStatus, WaitOptions } from '../async/types.js'
import { optionsOrSignal } from '../http/request-options.js'
import type { RequestOptions } from '../http/types.js'
import { abortable } from '../utils/async.js'
import { BOUND_CALLS, defineCalls, type BoundConversationCalls } from './calls.js'
import type { ConversationIds, ConversationWaitDefaults } from './types.js'

export type { ConversationIds, ConversationWaitDefaults }

type Callbacks = { complete?: (conversation: Conversation) => void; error?: (error: unknown, conversation: Conversation) => void }

interface Loop {
  promise: Promise<void>
  controller: AbortController
  users: number
}

/**
 * One conversation: its ids, its job (when it came from the Async API) and every Conversation API
 * call for it. Returned by the Async API, by a streaming connection's `stop()`, and by telephony.
 *
 * Job waiting: `wait()` resolves when the job completes; `onComplete`/`onError` fire once when it
 * ends, also when registered after the end. Polling starts on the first `wait()` or callback and
 * is shared by all of them; it stops when the job ends, on timeout, or when every `wait()` caller
 * aborted and no callback is registered.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the bound calls are defined on the prototype in the static block
export class Conversation {
  readonly conversationId: string
  readonly jobId: string | undefined
  // Private, and not shown by `util.inspect`: printing a conversation printed the client.
  readonly #client: SymblClient
  #defaults: ConversationWaitDefaults
  #status: JobStatus | undefined
  #final: { error?: unknown } | undefined
  #loop: Loop | undefined
  #callbacks: Callbacks[] = []
  #listeners = new Set<(status: JobStatus) => void>()

  constructor(client: SymblClient, ids: ConversationIds, defaults: ConversationWaitDefaults = {}) {
    this.#client = client
    this.conversationId = ids.conversationId
    this.jobId = ids.jobId
    this.#defaults = defaults
  }

  /** What `console.log` and `util.inspect` show: the ids and the last status, not the client. */
  [INSPECT](): string {
    return `Conversation { conversationId: '${this.conversationId}', jobId: ${this.jobId === undefined ? 'undefined' : `'${this.jobId}'`}, status: ${this.#status === undefined ? 'undefined' : `'${this.#status}'`} }`
  }

  toJSON(): { conversationId: string; jobId: string | undefined } {
    return { conversationId: this.conversationId, jobId: this.jobId }
  }

  /** Python SDK parity. */
  getConversationId(): string {
    return this.conversationId
  }

  /** Python SDK parity. */
  getJobId(): string | undefined {
    return this.jobId
  }

  /** The last job status seen (undefined before the first status call, or without a job). */
  get status(): JobStatus | undefined {
    return this.#status
  }

  /**
   * Asks the server for the job status now (Python's `get_job_status`, but fresh).
   * A bare AbortSignal (`getJobStatus(signal)`, the old form) still works, with a one-time warning.
   */
  getJobStatus(options?: RequestOptions): Promise<JobStatus | undefined>
  /** @deprecated Pass `{ signal }`: `getJobStatus({ signal })`. The bare signal goes in the next release. */
  getJobStatus(signal: AbortSignal): Promise<JobStatus | undefined>
  async getJobStatus(options?: RequestOptions | AbortSignal): Promise<JobStatus | undefined> {
    const request = optionsOrSignal(this.#client.log, 'getJobStatus', options)
    if (!this.jobId) return undefined
    const { fetchJobStatus } = await loadJobs()
    const status = await fetchJobStatus(this.#client, this.jobId, request)
    this.#report(status)
    return status
  }

  /** Calls `listener` with each new job status; returns a function that unsubscribes. */
  onStatus(listener: (status: JobStatus) => void): () => void {
    callback('onStatus', listener)
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Resolves with this conversation once the job is `completed`; rejects with a `JobError`
   * ('job_failed' or 'job_timeout'), an HTTP error of the status call, or the abort reason.
   * A conversation without a job (streaming, telephony) resolves at once.
   */
  async wait(options: WaitOptions = {}): Promise<this> {
    // Checked even without a job: a mistake must not pass only because this conversation has none.
    const { checkWaitOptions } = await loadJobs()
    checkWaitOptions(options)
    if (!this.jobId) return this
    if (this.#final) {
      if (this.#final.error) throw this.#final.error
      return this
    }
    if (options.signal?.aborted) throw abortReason(options.signal)
    const listener = options.onStatus
    if (listener) this.#listeners.add(listener)
    // A wait() that joins a loop already polling shares its pace (pollInterval) but keeps its own
    // waitTimeout, enforced here; the loop's own deadline is the first waiter's.
    const joined = this.#loop !== undefined
    const loop = this.#start(options)
    loop.users++
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const waiting = abortable(loop.promise, options.signal)
      const ms = options.waitTimeout
      if (!joined || ms === undefined || ms === false) await waiting
      else {
        await Promise.race([
          waiting,
          new Promise((_, reject) => {
            timer = setTimeout(() => {
              const status = this.#status ?? 'unknown'
              reject(
                new JobError(
                  'job_timeout',
                  `Job ${this.jobId} of conversation ${this.conversationId} did not finish within ${ms} ms (last status: ${status}). It may still finish: call conversation.wait() again, or raise \`waitTimeout\``,
                  { jobId: this.jobId!, conversationId: this.conversationId, status },
                ),
              )
            }, ms)
          }),
        ])
      }
      return this
    } finally {
      clearTimeout(timer)
      if (listener) this.#listeners.delete(listener)
      if (--loop.users === 0 && this.#callbacks.length === 0) loop.controller.abort(options.signal?.reason)
    }
  }

  /** Calls `fn` once the job has completed (at once if it already has). Python parity. */
  onComplete(fn: (conversation: Conversation) => void): this {
    callback('onComplete', fn)
    return this.#register({ complete: fn })
  }

  /** Calls `fn` if waiting ends in an error: the job failed, timed out, or its status could not be read. */
  onError(fn: (error: unknown, conversation: Conversation) => void): this {
    callback('onError', fn)
    return this.#register({ error: fn })
  }

  #register(callbacks: Callbacks): this {
    if (this.#final || !this.jobId) {
      const error = this.#final?.error
      queueMicrotask(() => this.#fire(callbacks, error))
      return this
    }
    this.#callbacks.push(callbacks)
    this.#start({})
    return this
  }

  #start(options: WaitOptions): Loop {
    if (this.#loop) return this.#loop
    const controller = new AbortController()
    const ids = { jobId: this.jobId!, conversationId: this.conversationId }
    const settings = { ...this.#defaults, ...options, signal: controller.signal, onStatus: undefined }
    const promise = loadJobs().then(({ pollJob }) => pollJob(this.#client, ids, settings, (s) => this.#report(s)))
    const loop: Loop = { controller, users: 0, promise }
    this.#loop = loop
    loop.promise.then(
      () => this.#end(loop, undefined),
      (error: unknown) => {
        if (!controller.signal.aborted) this.#end(loop, error)
        else if (this.#loop === loop) this.#loop = undefined
      },
    )
    return loop
  }

  #end(loop: Loop, error: unknown): void {
    if (this.#loop === loop) this.#loop = undefined
    // Completed and failed are final; a timeout or a failing status call is not (a later wait() polls again).
    if (!error || (error instanceof JobError && error.code === 'job_failed')) this.#final = { error }
    const callbacks = this.#callbacks
    this.#callbacks = []
    for (const c of callbacks) this.#fire(c, error)
  }

  #fire(callbacks: Callbacks, error: unknown): void {
    try {
      if (error) callbacks.error?.(error, this)
      else callbacks.complete?.(this)
    } catch (thrown) {
      this.#client.log('error', `A job callback threw: ${String(thrown)}`, { conversationId: this.conversationId })
    }
  }

  #report(status: JobStatus): void {
    if (status === this.#status) return
    this.#status = status
    for (const listener of this.#listeners) {
      try {
        listener(status)
      } catch (thrown) {
        this.#client.log('error', `A job status listener threw: ${String(thrown)}`, { conversationId: this.conversationId })
      }
    }
  }

  // The Conversation API for this conversation: every call of BOUND_CALLS (calls.ts), with this id
  // as its first argument (typed by BoundConversationCalls). Non-enumerable, like written-out
  // methods. Generated from the names, so the calls' code (requests.ts) loads on the first call.
  static {
    defineCalls(
      Conversation.prototype,
      BOUND_CALLS,
      (self) => self.#client,
      (self, given) => [self.conversationId, ...given],
    )
  }
}

/**
 * The job status call, the checks of the waiting options and the polling loop (job-poller.ts),
 * loaded on the first `wait()`, `getJobStatus()` or job callback: a page that only reads the ids of
 * a conversation (a live-captions page after `stop()`) does not download them.
 */
const loadJobs = partLoader('job polling', () => import('../async/job-poller.js'))

/** A callback argument: a function, else a ValidationError now rather than a TypeError (logged, never seen) when the job ends. */
function callback(method: string, fn: unknown): void {
  if (typeof fn !== 'function')
    invalid(`${method}: the callback`, 'a function, e.g. (conversation) => console.log(conversation.conversationId)', fn)
}

/** Conversation API calls for this conversation: `getMessages()`, `getTopics()`, `putMembers()`, `delete()` and the rest. */
// The bound Conversation API calls generated in the static block above, typed (declaration merging on purpose).
export interface Conversation extends BoundConversationCalls {}
