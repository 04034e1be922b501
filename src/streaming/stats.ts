// What a streaming connection is doing, as numbers (issue 15): `connection.stats()`. Every counter is
// updated on a path that runs anyway (the socket's open, the server's frames, the pump, the
// microphone's chunks), one addition or comparison each, so it costs nothing to leave on; nothing
// here runs a timer, except the `stats` event's own, which only exists when `statsIntervalMs` asks.
import type { StreamingStats } from './types.js'

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now())

/** What the connection knows only at the moment of the snapshot (its queue and early hold). */
export interface QueueFigures {
  bufferedSeconds: number
  droppedSeconds: number
  droppedBytes: number
  maxQueuedBytes: number
}

export class StatsRecorder {
  /** When `startConnection` was called (performance.now()). */
  readonly #t0: number
  #socketOpenMs: number | undefined
  #startedMs: number | undefined
  #firstAudioSentMs: number | undefined
  #firstInterimMs: number | undefined
  #firstFinalMs: number | undefined
  sentBytes = 0
  resentBytes = 0
  reconnects = 0
  #sentMs = 0
  #replayedMs = 0
  #capturedMs = 0

  constructor(calledAt = now()) {
    this.#t0 = calledAt
  }

  #since(): number {
    return Math.round((now() - this.#t0) * 10) / 10
  }

  /** The first socket opened (later ones are reconnects). */
  opened(): void {
    this.#socketOpenMs ??= this.#since()
  }

  /** The first session started (the server's `recognition_started` with the conversation id). */
  started(): void {
    this.#startedMs ??= this.#since()
  }

  /** An audio frame of `bytes` (lasting `ms`) was handed to the socket. */
  sent(bytes: number, ms: number): void {
    if (this.#firstAudioSentMs === undefined) this.#firstAudioSentMs = this.#since()
    this.sentBytes += bytes
    this.#sentMs += ms
  }

  /** A resend tail of `bytes` (lasting `ms`) was put back in the queue after a drop. */
  replayed(bytes: number, ms: number): void {
    this.resentBytes += bytes
    this.#replayedMs += ms
  }

  /** The microphone delivered `ms` of audio (silence inserted for a device gap included). */
  captured(ms: number): void {
    this.#capturedMs += ms
  }

  /** A `message` frame: the first interim and the first final `recognition_result` are timed. */
  result(message: { type?: unknown; isFinal?: unknown }): void {
    if (message.type !== 'recognition_result') return
    if (message.isFinal === true) this.#firstFinalMs ??= this.#since()
    else this.#firstInterimMs ??= this.#since()
  }

  snapshot(queue: QueueFigures): StreamingStats {
    return {
      socketOpenMs: this.#socketOpenMs,
      startedMs: this.#startedMs,
      firstAudioSentMs: this.#firstAudioSentMs,
      firstInterimMs: this.#firstInterimMs,
      firstFinalMs: this.#firstFinalMs,
      capturedSeconds: this.#capturedMs / 1000,
      sentSeconds: this.#sentMs / 1000,
      bufferedSeconds: queue.bufferedSeconds,
      droppedSeconds: queue.droppedSeconds,
      replayedSeconds: this.#replayedMs / 1000,
      reconnects: this.reconnects,
      sentBytes: this.sentBytes,
      resentBytes: this.resentBytes,
      droppedBytes: queue.droppedBytes,
      maxQueuedBytes: queue.maxQueuedBytes,
    }
  }
}

/** The opt-in periodic `stats` event: calls `emit` every `ms`; returns what stops it. */
export function statsEvery(ms: number | undefined, emit: () => void): () => void {
  if (ms === undefined) return () => {}
  const timer = setInterval(emit, ms)
  // Node: the event alone must not keep a process alive.
  ;(timer as { unref?: () => void }).unref?.()
  return () => clearInterval(timer)
}
