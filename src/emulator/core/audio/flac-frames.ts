// A FLAC byte stream (RFC 9639) cut into frames, as it arrives in chunks of any size. Our own
// splitter rather than the decoder package's parser (codec-parser 2.5): that one needs some bytes
// after a frame header to accept it, so a short last frame (a few bytes of encoded silence) is
// merged into the one before at the end of the stream and its samples are lost. Here a frame
// starts at a sync code whose header passes its CRC-8 and ends where the next such header starts
// with the bytes between passing the footer CRC-16; at the end of the stream the rest is the last
// frame if its CRC-16 holds. Metadata blocks (`fLaC` + STREAMINFO...) are skipped.

export const MAX_FRAME = 1024 * 1024 // far above any real frame (65535 samples x 8 channels x 32 bits is 2 MiB, never used)

const CRC8 = new Uint8Array(256)
const CRC16 = new Uint16Array(256)
for (let i = 0; i < 256; i++) {
  let c8 = i
  let c16 = i << 8
  for (let b = 0; b < 8; b++) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff
  }
  CRC8[i] = c8
  CRC16[i] = c16
}

/** Length of a valid frame header at `at` (CRC-8 checked), 0 when there is none, -1 when more bytes are needed. */
export function flacHeaderLength(b: Uint8Array, at: number): number {
  if (at + 2 > b.length) return -1
  if (b[at] !== 0xff || (b[at + 1] & 0xfe) !== 0xf8) return 0
  if (at + 5 > b.length) return -1
  const blockBits = b[at + 2] >> 4
  const rateBits = b[at + 2] & 0x0f
  if (blockBits === 0 || rateBits === 0x0f || b[at + 3] >> 4 >= 0x0b || b[at + 3] & 1) return 0
  // The coded frame/sample number: UTF-8-like, 1 to 7 bytes.
  const lead = b[at + 4]
  let extra = 0
  if (lead >= 0x80) {
    if ((lead & 0xe0) === 0xc0) extra = 1
    else if ((lead & 0xf0) === 0xe0) extra = 2
    else if ((lead & 0xf8) === 0xf0) extra = 3
    else if ((lead & 0xfc) === 0xf8) extra = 4
    else if ((lead & 0xfe) === 0xfc) extra = 5
    else if (lead === 0xfe) extra = 6
    else return 0
  }
  let length = 5 + extra
  if (blockBits === 6) length += 1
  else if (blockBits === 7) length += 2
  if (rateBits === 0x0c) length += 1
  else if (rateBits === 0x0d || rateBits === 0x0e) length += 2
  if (at + length + 1 > b.length) return -1
  for (let i = 1; i <= extra; i++) if ((b[at + 4 + i] & 0xc0) !== 0x80) return 0
  return flacCrc8(b, at, at + length) === b[at + length] ? length + 1 : 0
}

/** Samples in a frame (`frame` starts with a header that passed flacHeaderLength), from its block size code. */
export function flacBlockSize(frame: Uint8Array): number {
  const code = (frame[2] as number) >> 4
  if (code === 1) return 192
  if (code <= 5) return 576 << (code - 2)
  if (code >= 8) return 256 << (code - 8)
  // 6 and 7: the size - 1 follows the coded frame number (1 to 7 bytes, UTF-8-like).
  const lead = frame[4] as number
  const numberBytes = lead < 0x80 ? 1 : lead >= 0xfe ? 7 : lead >= 0xfc ? 6 : lead >= 0xf8 ? 5 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2
  const at = 4 + numberBytes
  return code === 6 ? (frame[at] as number) + 1 : (((frame[at] as number) << 8) | (frame[at + 1] as number)) + 1
}

export class FlacFrameSplitter {
  /** Bytes skipped while looking for a frame (not FLAC, or a damaged frame). */
  skipped = 0
  private buf = new Uint8Array(0)
  /** Start of the current frame in `buf` (a valid header), or -1 while syncing. */
  private start = -1
  /** Where the search for the next header goes on, and the CRC-16 of buf[start, crcAt). */
  private scan = 0
  private crcAt = 0
  private crc = 0
  /** The first header after `start` whose CRC-16 did not close the frame (a header-like pattern in the data, or a damaged frame). */
  private missed = -1
  /** The metadata at the start: not looked at yet, being skipped, or past. */
  private metadata: 'unknown' | 'blocks' | 'done' = 'unknown'
  /** Bytes of the current metadata block still to skip, and whether it is the last block. */
  private metadataLeft = 0
  private lastBlock = false
  /** `buf` is a view of the first bytes of this store, which grows by doubling (see push). */
  private store = new Uint8Array(0)

  /** Bytes held: a frame in progress (up to MAX_FRAME) and what a message brought; metadata is not kept. */
  get buffered(): number {
    return this.buf.length
  }

  /**
   * Takes the next chunk; returns the frames it completed. The chunk is appended in place: copying
   * the whole buffer for every message made small messages quadratic (1 MiB of frame in progress
   * copied per byte sent).
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const length = this.buf.length + chunk.length
    if (length > this.store.length) {
      const grown = new Uint8Array(Math.max(length, this.store.length * 2, 64 * 1024))
      grown.set(this.buf)
      this.store = grown
    }
    this.store.set(chunk, this.buf.length)
    this.buf = this.store.subarray(0, length)
    return this.split(false)
  }

  /** The end of the stream: the rest is the last frame if its CRC-16 holds. */
  end(): Uint8Array[] {
    const frames = this.split(true)
    if (this.start >= 0 && this.buf.length - this.start >= 4) {
      const frame = this.buf.subarray(this.start)
      if (crc16(frame, 0, frame.length - 2) === ((frame[frame.length - 2] << 8) | frame[frame.length - 1])) frames.push(frame.slice())
      else this.skipped += frame.length
    } else if (this.start >= 0) this.skipped += this.buf.length - this.start
    this.buf = new Uint8Array(0)
    this.store = this.buf
    this.start = -1
    return frames
  }

  private split(ending: boolean): Uint8Array[] {
    const frames: Uint8Array[] = []
    if (this.metadata !== 'done' && !this.skipMetadata()) return frames // more bytes needed
    const b = this.buf
    for (;;) {
      if (this.start < 0) {
        // Syncing: the first valid header from `scan`.
        while (this.scan < b.length) {
          const h = flacHeaderLength(b, this.scan)
          if (h < 0 && !ending) return this.compact(frames)
          if (h > 0) break
          this.scan++
          this.skipped++
        }
        if (this.scan >= b.length) return this.compact(frames)
        this.restartAt(this.scan)
      }
      // The next header whose preceding bytes end with this frame's CRC-16.
      let found = -1
      while (this.scan + 1 < b.length) {
        if (b[this.scan] === 0xff && (b[this.scan + 1] & 0xfe) === 0xf8 && this.scan - this.start >= 8) {
          const h = flacHeaderLength(b, this.scan)
          if (h < 0) return this.compact(frames)
          if (h > 0) {
            this.crc = crc16From(this.crc, b, this.crcAt, this.scan - 2)
            this.crcAt = this.scan - 2
            if (this.crc === ((b[this.scan - 2] << 8) | b[this.scan - 1])) {
              found = this.scan
              break
            }
            // A second valid header that does not close the frame either: the frame is damaged
            // (bytes lost or inserted). Drop it and go on from the first of them.
            if (this.missed >= 0) {
              this.skipped += this.missed - this.start
              this.restartAt(this.missed)
              continue
            }
            this.missed = this.scan
          }
        }
        this.scan++
        if (this.scan - this.start > MAX_FRAME) {
          // No frame end in reach: a damaged frame. Drop its first byte and sync again.
          this.scan = this.start + 1
          this.skipped++
          this.start = -1
          this.missed = -1
          break
        }
      }
      if (found < 0) {
        if (this.start < 0) continue
        return this.compact(frames)
      }
      frames.push(b.slice(this.start, found))
      this.restartAt(found)
    }
  }

  /** A frame starts at `at` (a valid header). */
  private restartAt(at: number): void {
    this.start = at
    this.crcAt = at
    this.crc = 0
    this.missed = -1
    this.scan = at + 2
  }

  /**
   * `fLaC` and its metadata blocks skipped as they arrive (their bytes are dropped, not kept): true once
   * past them, false while more bytes are needed. Waiting for all of the metadata in the buffer let a
   * stream of endless non-last blocks grow it without bound, re-read from its start on every message.
   */
  private skipMetadata(): boolean {
    if (this.metadata === 'unknown') {
      const b = this.buf
      if (b.length < 4) return false
      const flac = b[0] === 0x66 && b[1] === 0x4c && b[2] === 0x61 && b[3] === 0x43
      this.metadata = flac ? 'blocks' : 'done'
      if (!flac) return true
      this.drop(4)
    }
    for (;;) {
      if (this.metadataLeft > 0) {
        const skip = Math.min(this.metadataLeft, this.buf.length)
        this.metadataLeft -= skip
        this.drop(skip)
        if (this.metadataLeft > 0) return false
      }
      if (this.lastBlock) {
        this.metadata = 'done'
        this.scan = 0
        return true
      }
      const b = this.buf
      if (b.length < 4) return false
      this.lastBlock = (b[0] & 0x80) !== 0
      this.metadataLeft = (b[1] << 16) | (b[2] << 8) | b[3]
      this.drop(4)
    }
  }

  /** Drops the first `n` bytes of the buffer (before any frame: only while skipping metadata). */
  private drop(n: number): void {
    this.store.copyWithin(0, n, this.buf.length)
    this.buf = this.store.subarray(0, this.buf.length - n)
  }

  /** Drops what no frame needs any more, keeping positions relative. */
  private compact(frames: Uint8Array[]): Uint8Array[] {
    const keep = this.start >= 0 ? this.start : Math.max(0, this.scan - 1)
    if (keep > 0) {
      this.store.copyWithin(0, keep, this.buf.length)
      this.buf = this.store.subarray(0, this.buf.length - keep)
      this.scan -= keep
      if (this.start >= 0) {
        this.start -= keep
        this.crcAt -= keep
        if (this.missed >= 0) this.missed -= keep
      }
    }
    return frames
  }
}

function crc16From(crc: number, b: Uint8Array, from: number, to: number): number {
  let c = crc
  for (let i = from; i < to; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >> 8) ^ b[i]]
  return c
}

const crc16 = (b: Uint8Array, from: number, to: number): number => crc16From(0, b, from, to)

/** A frame header's CRC-8 (polynomial 0x07) over `b[from, to)`, as the header's last byte holds it. */
export function flacCrc8(b: Uint8Array, from = 0, to = b.length): number {
  let crc = 0
  for (let i = from; i < to; i++) crc = CRC8[crc ^ b[i]]
  return crc
}

/** A frame's CRC-16 (polynomial 0x8005) over `b[from, to)`, as its last two bytes hold it. */
export const flacCrc16 = (b: Uint8Array, from = 0, to = b.length): number => crc16From(0, b, from, to)
