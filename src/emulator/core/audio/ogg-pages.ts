// Ogg pages (RFC 3533) read as they arrive, in chunks of any size, and the packets of one logical
// stream put back together from their lacing values. Every page's CRC-32 is checked; a damaged page
// is skipped (the demuxer syncs again on the next `OggS`) and counted, and a packet that spanned it
// is dropped. Only the first logical stream is followed (a chained file's next stream starts after
// its end; other multiplexed streams, such as video, are ignored).

const CRC = new Uint32Array(256)
for (let i = 0; i < 256; i++) {
  let c = i << 24
  for (let b = 0; b < 8; b++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1
  CRC[i] = c >>> 0
}

export interface OggPacket {
  data: Uint8Array
  /** Granule position of the page the packet ends on, when it is that page's last complete packet; else -1. */
  granule: number
  /** The packet ends the logical stream (last packet of its end-of-stream page). */
  last: boolean
  /** The first packet of a logical stream (its beginning-of-stream page). */
  first: boolean
}

const HEADER = 27
const MAX_PACKET = 4 * 1024 * 1024 // far beyond any audio packet; a bound for damaged lacing

export class OggPacketReader {
  /** Pages skipped: bad CRC, unknown version, or bytes between pages. */
  damagedPages = 0
  skippedBytes = 0
  private buf = new Uint8Array(0)
  private serial: number | undefined
  private ended = false
  private partial: Uint8Array[] = []
  private partialBytes = 0
  private firstPending = false

  /** Takes the next chunk; returns the packets of the followed stream it completed. */
  push(chunk: Uint8Array): OggPacket[] {
    const merged = new Uint8Array(this.buf.length + chunk.length)
    merged.set(this.buf)
    merged.set(chunk, this.buf.length)
    this.buf = merged
    const packets: OggPacket[] = []
    let at = 0
    for (;;) {
      const page = this.readPage(at)
      if (page === 'more') break
      if (page === 'skip') {
        at++
        this.skippedBytes++
        continue
      }
      this.takePage(page.bytes, packets)
      at += page.bytes.length
    }
    this.buf = this.buf.slice(at)
    return packets
  }

  /** A complete page at `at` with a valid CRC, 'more' if it is not all here, 'skip' if no page starts there. */
  private readPage(at: number): { bytes: Uint8Array } | 'more' | 'skip' {
    const b = this.buf
    if (at + 4 > b.length) return 'more'
    if (b[at] !== 0x4f || b[at + 1] !== 0x67 || b[at + 2] !== 0x67 || b[at + 3] !== 0x53) return 'skip'
    if (at + HEADER > b.length) return 'more'
    if (b[at + 4] !== 0) {
      this.damagedPages++
      return 'skip'
    }
    const segments = b[at + 26]
    if (at + HEADER + segments > b.length) return 'more'
    let size = HEADER + segments
    for (let i = 0; i < segments; i++) size += b[at + HEADER + i]
    if (at + size > b.length) return 'more'
    const bytes = b.subarray(at, at + size)
    let crc = 0
    for (let i = 0; i < size; i++) crc = ((crc << 8) ^ CRC[((crc >>> 24) ^ (i >= 22 && i < 26 ? 0 : bytes[i])) & 0xff]) >>> 0
    if (crc !== (bytes[22] | (bytes[23] << 8) | (bytes[24] << 16) | (bytes[25] << 24)) >>> 0) {
      this.damagedPages++
      return 'skip'
    }
    return { bytes }
  }

  private takePage(page: Uint8Array, out: OggPacket[]): void {
    const flags = page[5]
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength)
    const serial = view.getUint32(14, true)
    const bos = (flags & 2) !== 0
    const eos = (flags & 4) !== 0
    if (bos && (this.serial === undefined || this.ended)) {
      // The first stream, or the next one of a chained file.
      this.serial = serial
      this.ended = false
      this.partial = []
      this.partialBytes = 0
      this.firstPending = true
    }
    if (serial !== this.serial || this.ended) return
    // A continued packet whose start we never saw (a damaged page before) is dropped, and so is a
    // packet whose continuation never came.
    let dropping = (flags & 1) !== 0 && !this.partialBytes && !this.firstPending
    if (!(flags & 1) && this.partialBytes) {
      this.partial = []
      this.partialBytes = 0
    }
    const granuleLow = view.getUint32(6, true)
    const granuleHigh = view.getInt32(10, true)
    const granule = granuleHigh === -1 && granuleLow === 0xffffffff ? -1 : granuleHigh * 2 ** 32 + granuleLow
    const segments = page[26]
    const completed: Uint8Array[] = []
    let at = HEADER + segments
    for (let i = 0; i < segments; i++) {
      const lace = page[HEADER + i]
      if (dropping) {
        at += lace
        dropping = lace === 255
        continue
      }
      if (this.partialBytes + lace <= MAX_PACKET) this.partial.push(page.subarray(at, at + lace))
      this.partialBytes += lace
      at += lace
      if (lace < 255) {
        if (this.partialBytes <= MAX_PACKET) completed.push(concat(this.partial, this.partialBytes))
        this.partial = []
        this.partialBytes = 0
      }
    }
    completed.forEach((data, i) => {
      const lastOfPage = i === completed.length - 1
      out.push({ data, granule: lastOfPage ? granule : -1, last: eos && lastOfPage && !this.partialBytes, first: this.firstPending })
      this.firstPending = false
    })
    if (eos) this.ended = true
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0].slice()
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
