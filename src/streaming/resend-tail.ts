// The streaming protocol never acknowledges audio, so after a drop the SDK cannot know what the
// server received. It keeps what it sent recently and sends it again after reconnecting: the
// server may hear a little audio twice, but misses none.
//
// With keep-alive on, `__PING__`/`__PONG__` doubles as an acknowledgement: the server answers in
// order, so a `__PONG__` proves it read every frame sent before its ping. The tail then holds all
// audio not yet acknowledged (whatever sits in socket and network buffers, or in a half-open
// socket until the keep-alive notices) plus `tailMs` of acknowledged audio as a margin for what a
// restarting server had read but not processed. Without keep-alive it falls back to time: what was
// sent in the last `tailMs` of wall-clock time, and at least the last `tailMs` of audio.
import { durationMs, type QueueItem } from './send-queue.js'

export class ResendTail {
  bytes = 0
  #ms = 0
  #items: QueueItem[] = []
  /** Sequence number of the next item added, of `#items[0]`, and of the first item not acknowledged. */
  #seq = 0
  #first = 0
  #acked = 0
  #ackedMs = 0

  constructor(
    readonly tailMs: number,
    readonly capBytes: number,
    readonly acks: boolean,
  ) {}

  /** Audio in the tail, in ms (each item's own duration: an Opus packet's is not its bytes'). */
  get ms(): number {
    return this.#ms
  }

  /** Audio in the tail that no `__PONG__` has acknowledged yet. */
  get unackedMs(): number {
    return this.#ms - this.#ackedMs
  }

  add(item: QueueItem, now: number): void {
    if (this.tailMs <= 0) return
    this.#items.push(item)
    this.#seq++
    this.bytes += item.len
    this.#ms += durationMs(item)
    this.#trim(now)
  }

  /** The position a `__PONG__` to a ping sent now will acknowledge. */
  mark(): number {
    return this.#seq
  }

  acknowledge(mark: number): void {
    for (let s = Math.max(this.#acked, this.#first); s < mark && s - this.#first < this.#items.length; s++) {
      this.#ackedMs += durationMs(this.#items[s - this.#first])
    }
    this.#acked = Math.max(this.#acked, mark)
    this.#trim(0)
  }

  /** Everything kept, oldest first; the tail is empty afterwards. */
  take(now: number): QueueItem[] {
    this.#trim(now)
    const items = this.#items
    this.#items = []
    this.bytes = this.#ms = this.#ackedMs = 0
    this.#first = this.#acked = this.#seq
    return items
  }

  #trim(now: number): void {
    let drop = 0
    while (drop < this.#items.length) {
      const first = this.#items[drop]
      const ms = durationMs(first)
      const acked = this.#first < this.#acked
      const old = this.acks
        ? acked && this.#ackedMs - ms >= this.tailMs
        : now && first.sentAt < now - this.tailMs && this.#ms - ms >= this.tailMs
      if (!old && this.bytes <= this.capBytes) break
      if (acked) this.#ackedMs -= ms
      this.bytes -= first.len
      this.#ms -= ms
      this.#first++
      drop++
    }
    if (drop) this.#items.splice(0, drop)
  }
}
