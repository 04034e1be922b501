// Raw Opus packets checked against RFC 6716 section 3.4 (requirements R1-R7) before they reach the
// decoder: a malformed packet is then reported with the rule it breaks, and libopus (which logs
// every packet it rejects with console.error) only sees packets it can decode. Also the duration a
// packet's TOC byte declares, so a packet can be told apart from a container page.

/** Frame duration in ms for each TOC configuration (RFC 6716 3.1, table 2). */
function frameMs(config: number): number {
  if (config < 12) return [10, 20, 40, 60][config % 4] // SILK-only
  if (config < 16) return [10, 20][config % 2] // Hybrid
  return [2.5, 5, 10, 20][config % 4] // CELT-only
}

const MAX_FRAME = 1275

/** A frame length field (1 or 2 bytes, RFC 6716 3.2.1) at `at`; undefined when cut short. */
function frameLength(p: Uint8Array, at: number): { length: number; size: number } | undefined {
  if (at >= p.length) return undefined
  if (p[at] < 252) return { length: p[at], size: 1 }
  if (at + 1 >= p.length) return undefined
  return { length: p[at + 1] * 4 + p[at], size: 2 }
}

/** What is wrong with a packet (the RFC rule it breaks), or its audio duration in ms. */
export function checkOpusPacket(p: Uint8Array): { problem: string } | { ms: number } {
  if (p.length < 1) return { problem: 'empty packet (RFC 6716 R1: at least one byte)' }
  const toc = p[0]
  const ms = frameMs(toc >> 3)
  const code = toc & 3
  const n = p.length - 1
  if (code === 0) {
    if (n > MAX_FRAME) return { problem: `a ${n}-byte frame (RFC 6716 R2: at most ${MAX_FRAME})` }
    return { ms }
  }
  if (code === 1) {
    if (n % 2) return { problem: 'two equal frames in an odd number of bytes (RFC 6716 R3)' }
    if (n / 2 > MAX_FRAME) return { problem: `${n / 2}-byte frames (RFC 6716 R2: at most ${MAX_FRAME})` }
    return { ms: 2 * ms }
  }
  if (code === 2) {
    const first = frameLength(p, 1)
    if (!first || first.length > n - first.size) return { problem: 'a first frame length past the end of the packet (RFC 6716 R4)' }
    if (n - first.size - first.length > MAX_FRAME) return { problem: `a second frame over ${MAX_FRAME} bytes (RFC 6716 R2)` }
    return { ms: 2 * ms }
  }
  // Code 3: a frame count byte, optional padding, then CBR or VBR frames.
  if (p.length < 2) return { problem: 'a code 3 packet without its frame count byte (RFC 6716 R6/R7)' }
  const vbr = (p[1] & 0x80) !== 0
  const count = p[1] & 0x3f
  if (count < 1 || count * ms > 120) return { problem: `${count} frames of ${ms} ms (RFC 6716 R5: 1 frame to 120 ms)` }
  let at = 2
  let padding = 0
  if (p[1] & 0x40) {
    for (;;) {
      if (at >= p.length) return { problem: 'padding length past the end of the packet (RFC 6716 R6/R7)' }
      const b = p[at++]
      padding += b === 255 ? 254 : b
      if (b !== 255) break
    }
  }
  let left = p.length - at - padding
  if (left < 0) return { problem: 'more padding than packet (RFC 6716 R6/R7)' }
  if (!vbr) {
    if (left % count) return { problem: `${left} bytes for ${count} equal frames (RFC 6716 R6)` }
    if (left / count > MAX_FRAME) return { problem: `${left / count}-byte frames (RFC 6716 R6: at most ${MAX_FRAME})` }
    return { ms: count * ms }
  }
  for (let i = 0; i < count - 1; i++) {
    const f = frameLength(p, at)
    if (!f) return { problem: 'frame lengths past the end of the packet (RFC 6716 R7)' }
    at += f.size
    left -= f.size + f.length
    if (f.length > MAX_FRAME || left < 0) return { problem: 'frame lengths past the end of the packet (RFC 6716 R7)' }
  }
  if (left > MAX_FRAME) return { problem: `a last frame of ${left} bytes (RFC 6716 R7: at most ${MAX_FRAME})` }
  return { ms: count * ms }
}
