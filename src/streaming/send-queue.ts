// The bounded queue between `sendAudio` and the socket. It holds audio (and the rare control frame
// that must keep its place among the audio, like `modify_request`) while the socket is busy or
// down, applies the app's policy when full, and tells waiting senders when there is room again.
import { QueueFullError } from './errors.js'
import { noop } from '../utils/async.js'
import { bytesPerSecond, isRawPcm, type AudioFormat } from './frames.js'
import type { QueueFullPolicy } from './types.js'

/** Largest audio frame the server takes (contract 6.3). */
export const MAX_FRAME = 8192

export interface QueueItem {
  /** Audio frame storage (filled up to `len`) or a text frame. */
  data: Uint8Array | string
  /** Audio bytes in `data` (0 for text). */
  len: number
  /** Audio: its format. Text: the format in effect when the wire reaches it. */
  format: AudioFormat
  /** Where the item starts in the connection's audio timeline, in ms. */
  startMs: number
  /** When it was handed to a socket (epoch ms), 0 before that. */
  sentAt: number
  /** Its duration in ms when its length does not tell it: an Opus packet (from its TOC byte, opus-packet.ts). */
  ms?: number | undefined
  /** A control frame's record, which the connection marks when the frame is handed to a socket. */
  control?: ControlRecord
}

/** What the connection tracks about a control frame (a `modify_request`): whether it has gone out. */
export interface ControlRecord {
  sent: boolean
}

interface Waiter {
  data: Uint8Array | string
  format: AudioFormat
  ms?: number | undefined
  control?: ControlRecord
  resolve: () => void
  reject: (error: unknown) => void
}

export function payload(item: QueueItem): Uint8Array | string {
  return typeof item.data === 'string' ? item.data : item.data.subarray(0, item.len)
}

export function durationMs(item: { len: number; format: AudioFormat; ms?: number | undefined }): number {
  return item.ms ?? (item.len * 1000) / bytesPerSecond(item.format)
}

export class SendQueue {
  /** Audio bytes queued. */
  bytes = 0
  maxBytes = 0
  droppedBytes = 0
  /** The audio dropped, in ms (each frame's own duration: an Opus packet's is not its bytes'). For `stats()`. */
  droppedMs = 0
  // Two bounds, set by the connection from `maxQueueSeconds` for the format in effect (options.ts
  // `queueBound`, recomputed when the format changes). Raw PCM and FLAC are bounded in bytes (`limit`):
  // raw PCM's bytes are its time, exact to the sample, and the queue cuts PCM anywhere. An Opus
  // packet's bytes say nothing of its time (32 kbit/s is 4000 bytes a second, a 24th of 16-bit PCM at
  // 48 kHz), but each one carries its duration (`ms`, from its TOC byte): Opus is bounded in ms
  // (`limitMs`), with no byte bound, since a packet (at most MAX_FRAME bytes, at least 2.5 ms) cannot
  // make the time bound hold unbounded memory. The bound not in use is Infinity. Each counts all the
  // audio queued whatever its format, so after a modify() the audio of the old format still queued
  // counts against the new bound: by its time (each item's own) under an Opus bound, by its bytes
  // under a byte bound (as all audio did before; Opus packets queued before a switch to LINEAR16 so
  // weigh little, and the queue holds them on top of about `maxQueueSeconds` of PCM until they go out).
  /** The bound in bytes (raw PCM, FLAC), Infinity on an Opus connection. */
  limit: number
  /** The bound in ms of audio (Opus), Infinity for other encodings. */
  limitMs: number
  /** Audio queued, in ms: each packet's own duration plus the other audio's from its bytes, kept as items come and go (no scan per offer). */
  #ms = 0
  readonly #policy: QueueFullPolicy
  #items: QueueItem[] = []
  #head = 0
  #waiters: Waiter[] = []
  #drained: Array<{ resolve: () => void; reject: (e: unknown) => void }> = []
  #positionMs = 0

  constructor(limit: number, policy: QueueFullPolicy, limitMs = Number.POSITIVE_INFINITY) {
    this.limit = limit
    this.limitMs = limitMs
    this.#policy = policy
  }

  get length(): number {
    return this.#items.length - this.#head
  }

  /** Position of the next audio byte in the connection's timeline (ms). */
  get positionMs(): number {
    return this.#positionMs
  }

  /** Bytes waiting in `sendAudio` calls that did not fit yet (`wait` policy). */
  get waitingBytes(): number {
    let n = 0
    for (const w of this.#waiters) if (typeof w.data !== 'string') n += w.data.length
    return n
  }

  /** Queued audio that was sent before (a requeued resend tail): its bytes and its duration. */
  sent(): { bytes: number; ms: number } {
    let bytes = 0
    let ms = 0
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i]
      if (!item.sentAt || !item.len) continue
      bytes += item.len
      ms += durationMs(item)
    }
    return { bytes, ms }
  }

  peek(): QueueItem | undefined {
    return this.#items[this.#head]
  }

  shift(): QueueItem | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head++] = undefined as unknown as QueueItem
    // Compact now and then instead of Array#shift, which is O(n) per call.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    this.#take(item)
    return item
  }

  /** An item leaves the queue (sent or dropped): its bytes and its time come off the counters. */
  #take(item: QueueItem): void {
    this.bytes -= item.len
    // An empty queue restarts the time count at 0, so PCM's fractional ms cannot drift over a long stream.
    this.#ms = this.bytes ? this.#ms - durationMs(item) : 0
  }

  /** Puts already-sent items back in front (the resend tail after a reconnect). */
  requeue(items: QueueItem[]): void {
    if (!items.length) return
    this.#items = items.concat(this.#items.slice(this.#head))
    this.#head = 0
    for (const item of items) {
      this.bytes += item.len
      this.#ms += durationMs(item)
    }
    this.maxBytes = Math.max(this.maxBytes, this.bytes)
  }

  /** Audio queued and waiting to be queued, in ms (the duration of each packet, not an estimate from bytes, for Opus). */
  queuedMs(): number {
    let ms = this.#ms
    for (const w of this.#waiters) if (typeof w.data !== 'string') ms += durationMs({ len: w.data.length, format: w.format, ms: w.ms })
    return ms
  }

  /**
   * Queues audio (copied: the caller may reuse its buffer) under the policy. `ms` marks one
   * packet (Opus) that lasts that long: it is queued whole, as one frame (it is at most MAX_FRAME).
   */
  offer(bytes: Uint8Array, format: AudioFormat, ms?: number): Promise<void> {
    // Only the `wait` policy ever has waiters (control frames wait only behind waiting audio).
    if (this.#waiters.length || !this.#fits(bytes.length, format, ms)) {
      if (this.#policy === 'error') {
        // Said in the unit of the bound that is full: seconds for Opus, bytes for the others.
        const [queued, bound] =
          this.limitMs < Number.POSITIVE_INFINITY
            ? [`${seconds(this.#ms)} s of audio`, `${seconds(this.limitMs)} s`]
            : [`${this.bytes} bytes`, `${this.limit} bytes`]
        return Promise.reject(
          new QueueFullError(
            `The send queue is full (${queued} queued, bound ${bound} from maxQueueSeconds); wait for connection.drain() or raise maxQueueSeconds`,
          ),
        )
      }
      if (this.#policy === 'wait') {
        return new Promise((resolve, reject) => {
          this.#waiters.push({ data: bytes.slice(), format, ms, resolve, reject })
          this.admit()
        })
      }
    }
    this.#push(bytes, format, ms)
    // drop-oldest (when the audio fitted, nothing is over the bound). Control frames keep their place
    // (and never stop the dropping: a modify_request at the head must not let the queue grow unbounded).
    while (this.#over()) {
      let i = this.#head
      while (i < this.#items.length && typeof this.#items[i].data === 'string') i++
      if (i >= this.#items.length) break
      if (i === this.#items.length - 1) {
        // The newest frame alone is over a bound smaller than a frame. The bound is exact: raw PCM
        // loses its oldest bytes (whole samples). Compressed frames cannot be cut; the connection
        // refuses a drop-oldest bound under one frame for them (MAX_FRAME bytes for FLAC, 120 ms, the
        // longest packet, for Opus: options.ts checkQueueBound and opus.ts checkOpusQueue), so this is not reached.
        this.#trimNewest(this.#items[i])
        break
      }
      let item: QueueItem
      if (i === this.#head) item = this.shift()!
      else {
        ;[item] = this.#items.splice(i, 1)
        this.#take(item)
      }
      this.droppedBytes += item.len
      this.droppedMs += durationMs(item)
    }
    this.maxBytes = Math.max(this.maxBytes, this.bytes)
    return Promise.resolve()
  }

  /** Queues a control frame behind everything given before it (waiting audio included). */
  offerText(text: string, format: AudioFormat, control?: ControlRecord): void {
    this.#waiters.push({ data: text, format, control, resolve: noop, reject: noop })
    this.admit()
  }

  /** Moves waiting audio in as room frees up, in order; then settles `drained()` if all is out. */
  admit(): void {
    for (let w: Waiter | undefined; (w = this.#waiters[0]); ) {
      const { data, format } = w
      if (typeof data === 'string') {
        this.#items.push({ data, len: 0, format, startMs: this.#positionMs, sentAt: 0, control: w.control })
      } else if (this.#fits(data.length, format, w.ms) || (!this.bytes && !isRawPcm(format))) {
        // A compressed frame or an Opus packet is never cut: it waits for room for all of it, and
        // goes into a queue without audio even if it is over the bound (else it would wait forever).
        this.#push(data, format, w.ms)
      } else {
        const room = this.#room(format)
        if (room > 0 && isRawPcm(format)) {
          // Raw PCM may be cut anywhere: take what fits, so the queue never exceeds its bound.
          this.#push(data.subarray(0, room), format)
          w.data = data.subarray(room)
        }
        break
      }
      this.#waiters.shift()
      w.resolve()
    }
    // Recorded here and in `offer`, not per push: drop-oldest drops right after pushing.
    this.maxBytes = Math.max(this.maxBytes, this.bytes)
    if (this.#empty()) for (const d of this.#drained.splice(0)) d.resolve()
  }

  /** Resolves once everything queued has been handed to a socket. */
  drained(): Promise<void> {
    return this.#empty() ? Promise.resolve() : new Promise((resolve, reject) => this.#drained.push({ resolve, reject }))
  }

  /** Audio still queued or waiting to be queued (control frames do not count). */
  get holdsAudio(): boolean {
    return this.bytes > 0 || this.waitingBytes > 0
  }

  /**
   * The connection closed: rejects every waiting sender with `error`, and settles every `drained()`
   * waiter with `drainError` (resolves when it is undefined). The queued items stay for accounting.
   */
  fail(error: unknown, drainError: unknown): void {
    for (const w of this.#waiters.splice(0)) w.reject(error)
    for (const d of this.#drained.splice(0)) {
      if (drainError === undefined) d.resolve()
      else d.reject(drainError)
    }
  }

  /** Whether `len` bytes of audio (lasting `ms` if a packet) fit under both bounds. */
  #fits(len: number, format: AudioFormat, ms: number | undefined): boolean {
    return this.bytes + len <= this.limit && this.#ms + durationMs({ len, format, ms }) <= this.limitMs
  }

  /** Over either bound. */
  #over(): boolean {
    return this.bytes > this.limit || this.#ms > this.limitMs
  }

  /** Bytes of raw PCM in `format` that fit now, under both bounds (the time one in whole samples). */
  #room(format: AudioFormat): number {
    const sample = format.encoding === 'MULAW' ? 1 : 2
    const byTime = Math.floor(((this.limitMs - this.#ms) * bytesPerSecond(format)) / 1000 / sample) * sample
    return Math.min(this.limit - this.bytes, byTime)
  }

  /** Drops the oldest bytes of a raw PCM frame, in whole samples, until the queue is within its bounds. */
  #trimNewest(item: QueueItem): void {
    if (!isRawPcm(item.format) || typeof item.data === 'string') return
    const sample = item.format.encoding === 'MULAW' ? 1 : 2
    const rate = bytesPerSecond(item.format)
    const over = Math.max(this.bytes - this.limit, Math.ceil(((this.#ms - this.limitMs) * rate) / 1000))
    const cut = Math.min(item.len, Math.ceil(over / sample) * sample)
    // Moved within the frame's own buffer, so later PCM can still be appended to it.
    item.data.copyWithin(0, cut, item.len)
    item.len -= cut
    item.startMs += (cut * 1000) / rate
    this.bytes -= cut
    this.#ms = this.bytes ? this.#ms - (cut * 1000) / rate : 0
    this.droppedBytes += cut
    this.droppedMs += (cut * 1000) / rate
    // A bound under one sample keeps nothing: no empty frame may reach the socket.
    if (!item.len && this.#items[this.#items.length - 1] === item) this.#items.pop()
  }

  #empty(): boolean {
    return !this.length && !this.#waiters.length
  }

  /** Splits into frames of at most 8192 bytes. Raw PCM is appended to the last queued frame when it
   * has room, so a backlog of small chunks (a microphone's 10 ms blocks) goes out in full frames. */
  #push(bytes: Uint8Array, format: AudioFormat, ms?: number): void {
    if (ms !== undefined) {
      // One packet, one frame: never merged with another, never split (the connection checked it fits).
      this.#items.push({ data: bytes.slice(), len: bytes.length, format, startMs: this.#positionMs, sentAt: 0, ms })
      this.bytes += bytes.length
      this.#ms += ms
      this.#positionMs += ms
      return
    }
    const pcm = isRawPcm(format)
    const rate = bytesPerSecond(format)
    for (let off = 0, n: number; off < bytes.length; off += n) {
      const last = this.#items[this.#items.length - 1]
      let buf: Uint8Array
      let at = 0
      if (pcm && this.length && last.format === format && last.len && last.len < last.data.length) {
        buf = last.data as Uint8Array
        at = last.len
        n = Math.min(buf.length - at, bytes.length - off)
        last.len += n
      } else {
        n = Math.min(MAX_FRAME, bytes.length - off)
        // An empty queue will send this at once: no need for spare room.
        buf = new Uint8Array(pcm && this.length ? MAX_FRAME : n)
        this.#items.push({ data: buf, len: n, format, startMs: this.#positionMs + (off * 1000) / rate, sentAt: 0 })
      }
      buf.set(bytes.subarray(off, off + n), at)
      this.bytes += n
    }
    this.#ms += (bytes.length * 1000) / rate
    this.#positionMs += (bytes.length * 1000) / rate
  }
}

/** Ms as seconds for a message, to the ms. */
const seconds = (ms: number): number => Math.round(ms) / 1000
