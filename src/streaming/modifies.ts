// The modify() calls the server has not answered yet (contract 6.3: `modify_request` →
// `session_modified`). Frames carry no request id, so answers settle them oldest first.
import { TimeoutError } from '../errors.js'
import type { AudioFormat } from './frames.js'
import type { ControlRecord } from './send-queue.js'

/** A modify() the server has not answered; `sent` once its modify_request went out on a socket. */
export interface PendingModify extends ControlRecord {
  resolve: () => void
  reject: (e: unknown) => void
  timer: ReturnType<typeof setTimeout> | undefined
  /** The format before this change, and the one it asked for. */
  previous: AudioFormat
  format: AudioFormat
}

export class PendingModifies {
  #list: PendingModify[] = []

  /** A new modify() from `previous` to `format`, rejected with a TimeoutError if unanswered within `ms` (false: no limit). */
  add(previous: AudioFormat, format: AudioFormat, ms: number | false): { record: PendingModify; done: Promise<void> } {
    let record!: PendingModify
    const done = new Promise<void>((resolve, reject) => {
      const timer =
        ms === false
          ? undefined
          : setTimeout(() => {
              this.#list = this.#list.filter((m) => m !== record)
              reject(new TimeoutError(`The server did not confirm modify_request (session_modified) within ${ms} ms`))
            }, ms)
      record = { resolve, reject, timer, previous, format, sent: false }
      this.#list.push(record)
    })
    return { record, done }
  }

  /**
   * Settles the oldest one with the server's answer (the server answers them in order); returns it
   * so that a refusal can go back to the format the server still uses.
   */
  answered(error?: unknown): PendingModify | undefined {
    const m = this.#list.shift()
    if (!m) return undefined
    clearTimeout(m.timer)
    if (error) m.reject(error)
    else m.resolve()
    return m
  }

  /**
   * A session started after a reconnect: every modify() whose modify_request went out on an earlier
   * socket and was not resent (not in the resend tail) lost its answer with that socket. Nothing
   * has been sent on this session yet, so these are the oldest waiting ones, and this session's
   * start_request declared the format that follows them (the newest one's, a later change being
   * still queued): their change is in effect, so they resolve. See StreamingConnection.modify().
   */
  carried(): void {
    while (this.#list[0]?.sent) this.answered()
  }

  /** The connection closed: every one still waiting rejects with `error`. */
  rejectAll(error: unknown): void {
    for (const m of this.#list.splice(0)) {
      clearTimeout(m.timer)
      m.reject(error)
    }
  }
}
