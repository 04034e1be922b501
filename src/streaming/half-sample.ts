// LINEAR16 samples are 2 bytes, but chunk boundaries are the app's and may fall inside one (a
// network read of odd length): an odd byte is held back and put in front of the next chunk, so no
// later sample is shifted by a byte (which turns speech into loud noise). A byte still held when
// the format changes or the audio ends is half a sample, dropped (the connection reports it).

export class HalfSample {
  #held: number | undefined

  /** `bytes` with the held byte in front and, if that leaves an odd length, its last byte held back. */
  whole(bytes: Uint8Array): Uint8Array {
    if (this.#held !== undefined && bytes.length) {
      const joined = new Uint8Array(bytes.length + 1)
      joined[0] = this.#held
      joined.set(bytes, 1)
      bytes = joined
      this.#held = undefined
    }
    if (bytes.length % 2) {
      this.#held = bytes[bytes.length - 1]
      bytes = bytes.subarray(0, bytes.length - 1)
    }
    return bytes
  }

  /** Forgets the held byte; true if there was one. */
  drop(): boolean {
    const held = this.#held !== undefined
    this.#held = undefined
    return held
  }
}
