// The streaming protocol never acknowledges audio, so after a drop the SDK cannot know what the
// server received. It keeps what it sent recently and sends it again after reconnecting; the
// server may hear a little audio twice, but never misses any.
import { durationMs, type QueueItem } from './send-queue.js'

export class ResendTail {
  bytes = 0
  #ms = 0
  #items: QueueItem[] = []

  /**
   * @param tailMs keep whatever was sent in the last `tailMs` of wall-clock time (what may still be
   *   in flight: socket and kernel buffers drain within that on a live connection, however fast the
   *   audio is sent) and at least the last `tailMs` of audio (a real-time stream).
   * @param capBytes never keep more than this.
   */
  constructor(
    readonly tailMs: number,
    readonly capBytes: number,
  ) {}

  add(item: QueueItem, now: number): void {
    if (this.tailMs <= 0) return
    this.#items.push(item)
    this.bytes += item.len
    this.#ms += durationMs(item)
    // Drop from the front what is both old in wall-clock time and beyond the last tailMs of audio.
    let drop = 0
    while (drop < this.#items.length - 1) {
      const first = this.#items[drop]
      const ms = durationMs(first)
      const old = first.sentAt < now - this.tailMs && this.#ms - ms >= this.tailMs
      if (!old && this.bytes <= this.capBytes) break
      this.bytes -= first.len
      this.#ms -= ms
      drop++
    }
    if (drop) this.#items.splice(0, drop)
  }

  /** Everything kept, oldest first; the tail is empty afterwards. */
  take(): QueueItem[] {
    const items = this.#items
    this.#items = []
    this.bytes = 0
    this.#ms = 0
    return items
  }
}
