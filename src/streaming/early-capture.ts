// Audio captured before the session has started (issue 15). `startConnection({ microphone })` opens
// the microphone with the call, in parallel with the token, the socket and the `start_request`;
// what it captures meanwhile is held here, in order, as the chunks the capture hands the connection
// (LINEAR16 PCM, or the packets of the browser's Opus encoder, which sits inside the capture), and
// given to the connection in one go when the first session is ready (or when stop() comes first).
// The connection then sends later chunks straight on, so live audio follows with no gap and no
// overlap. The hold is bounded in ms of audio: beyond it the oldest whole chunks are dropped and
// counted, and the connection says how much in a `dropped` event when it lets the rest go.

export class EarlyCapture {
  #chunks: ArrayBuffer[] = []
  #ms: number[] = []
  #head = 0
  #heldMs = 0
  #done = false
  /** Audio dropped because the hold was full, in ms. */
  droppedMs = 0

  /**
   * @param maxMs the bound (0 keeps nothing: audio before the start is dropped).
   * @param msOf how long a chunk lasts.
   */
  constructor(
    readonly maxMs: number,
    readonly msOf: (chunk: ArrayBuffer) => number,
  ) {}

  /** Audio held now, in ms. */
  get heldMs(): number {
    return this.#heldMs
  }

  /** A captured chunk: held, the oldest dropped beyond the bound. Ignored once taken or discarded. */
  push(chunk: ArrayBuffer): void {
    if (this.#done) return
    const ms = this.msOf(chunk)
    this.#chunks.push(chunk)
    this.#ms.push(ms)
    this.#heldMs += ms
    // A float sum of chunk durations: compare with a margin far under one sample.
    while (this.#heldMs > this.maxMs + 1e-6 && this.#head < this.#chunks.length) {
      const oldest = this.#ms[this.#head]
      this.#chunks[this.#head] = EMPTY
      this.#head++
      this.#heldMs -= oldest
      this.droppedMs += oldest
    }
  }

  /** Everything held, oldest first; the hold is then done (later pushes are the caller's to send). */
  take(): ArrayBuffer[] {
    const held = this.#done ? [] : this.#chunks.slice(this.#head)
    this.discard()
    return held
  }

  /** Lets go of everything (the connection ended before the start). */
  discard(): void {
    this.#done = true
    this.#chunks = []
    this.#ms = []
    this.#head = 0
    this.#heldMs = 0
  }
}

const EMPTY = new ArrayBuffer(0)
