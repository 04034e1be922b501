// Job lifecycle: scheduled -> in_progress -> completed (or failed), each step after a configurable
// delay so clients really have to wait. Jobs of one conversation run strictly in submission order
// (contract 3.1: appends are processed in order); the concurrency limit counts unfinished jobs.

import { tooManyJobs } from './errors.js'
import type { Store } from './store.js'
import type { Timers } from './time.js'
import type { Conversation, Job, JobStatus } from './types.js'

export interface JobOptions {
  /** Time spent in each of `scheduled` and `in_progress` (ms, default 200). */
  jobDelayMs?: number
  /** Max unfinished jobs at once; more gives 429 (default 10000). */
  maxConcurrentJobs?: number
}

export class Jobs {
  private active = 0
  /** Bumped by dispose(): jobs of an earlier epoch end silently (no status change, no webhook). */
  private epoch = 0
  private readonly chains = new Map<string, Promise<void>>()
  private readonly idleWaiters: Array<() => void> = []
  delayMs: number
  readonly maxConcurrent: number

  constructor(
    private readonly store: Store,
    options: JobOptions,
    private readonly onChange: (job: Job) => void,
    private readonly timers: Timers,
  ) {
    this.delayMs = options.jobDelayMs ?? 200
    this.maxConcurrent = options.maxConcurrentJobs ?? 10_000
  }

  get running(): number {
    return this.active
  }

  /** Throws the contract's 429 when the limit is reached. */
  checkCapacity(): void {
    if (this.active >= this.maxConcurrent) throw tooManyJobs(this.maxConcurrent)
  }

  /** `work` runs when the job enters in_progress; a throw makes the job `failed`. */
  submit(conversation: Conversation, work: () => Promise<void> | void, webhookUrl?: string): Job {
    this.checkCapacity()
    const job = this.store.addJob(conversation.id, webhookUrl, conversation.owner)
    conversation.lastJobId = job.id
    this.active++
    conversation.pendingJobs++
    this.onChange(job)
    const previous = this.chains.get(conversation.id) ?? Promise.resolve()
    const epoch = this.epoch
    const run = previous.then(async () => {
      try {
        if (epoch !== this.epoch) throw new Error('disposed')
        await this.timers.sleep(this.delayMs)
        this.set(job, 'in_progress')
        await work()
        conversation.revision++
        await this.timers.sleep(this.delayMs)
        this.set(job, 'completed')
      } catch {
        // After dispose() (the emulator closed) a job just stops: no status change, so no webhook.
        if (epoch === this.epoch) this.set(job, 'failed')
      } finally {
        this.active--
        conversation.pendingJobs--
        if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve()
      }
    })
    this.chains.set(conversation.id, run)
    void run.then(() => {
      if (this.chains.get(conversation.id) === run) this.chains.delete(conversation.id)
    })
    return job
  }

  /** The emulator closes: unfinished jobs stop where they are (their timers are cancelled by the core). */
  dispose(): void {
    this.epoch++
  }

  /** Resolves when no job is unfinished. */
  idle(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private set(job: Job, status: JobStatus): void {
    job.status = status
    this.onChange(job)
  }
}
