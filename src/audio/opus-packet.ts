// Raw Opus packets (RFC 6716 section 3): what `sendAudio` accepts on an Opus connection, one packet
// per call. The packet's table-of-contents byte says how long it plays, which the connection needs
// because an Opus packet's length says nothing about its duration: the send queue, the resend tail
// (whole packets, never bytes cut mid-packet) and `bufferedSeconds` count time from it.
import { ValidationError } from '../errors.js'

/** Longest frame the RFC allows (section 3.4, R2); a packet holds 1 to 48 of them. */
export const MAX_OPUS_FRAME = 1275
/** Longest packet duration the RFC allows (R5), in ms. */
const MAX_PACKET_MS = 120

/** Frame duration in tenths of ms by TOC config (0–31): SILK 10/20/40/60, hybrid 10/20, CELT 2.5/5/10/20 (section 3.1). */
function frameTenths(config: number): number {
  if (config < 12) return [100, 200, 400, 600][config & 3]
  if (config < 16) return [100, 200][config & 1]
  return [25, 50, 100, 200][config & 3]
}

const bad = (why: string, size: number) =>
  new ValidationError(
    `sendAudio on an Opus connection takes one raw Opus packet per call (RFC 6716, no Ogg container), and this ${size}-byte buffer is not one: ${why}`,
  )

/**
 * Checks one raw Opus packet against RFC 6716 section 3.4 (R1–R7) and `maxBytes` (the server's
 * frame limit: a packet is never split) and returns how long it plays, in ms. Throws a
 * ValidationError that says what is wrong.
 */
export function opusPacketMs(packet: Uint8Array, maxBytes: number): number {
  const n = packet.length
  if (n === 0) throw bad('it is empty (R1: a packet has at least its TOC byte)', n)
  if (n > maxBytes) throw bad(`it is over ${maxBytes} bytes, the most one WebSocket message may carry`, n)
  const toc = packet[0]
  const tenths = frameTenths(toc >> 3)
  const code = toc & 3
  let frames = 1
  if (code === 0) {
    if (n - 1 > MAX_OPUS_FRAME) throw bad(`its one frame is ${n - 1} bytes, over ${MAX_OPUS_FRAME} (R2)`, n)
  } else if (code === 1) {
    frames = 2
    if ((n - 1) % 2) throw bad('a code 1 packet (two equal frames) has an odd payload (R3)', n)
    if ((n - 1) / 2 > MAX_OPUS_FRAME) throw bad(`its frames are over ${MAX_OPUS_FRAME} bytes (R2)`, n)
  } else if (code === 2) {
    frames = 2
    const first = frameLength(packet, 1)
    if (!first || first.end + first.length > n) throw bad("a code 2 packet's first frame length runs past its end (R4)", n)
    if (n - first.end - first.length > MAX_OPUS_FRAME) throw bad(`its second frame is over ${MAX_OPUS_FRAME} bytes (R2)`, n)
  } else {
    if (n < 2) throw bad('a code 3 packet has no frame count byte (R6/R7)', n)
    frames = packet[1] & 0x3f
    if (frames === 0) throw bad('a code 3 packet with zero frames (R5)', n)
    if (frames * tenths > MAX_PACKET_MS * 10) throw bad(`it plays ${(frames * tenths) / 10} ms, over ${MAX_PACKET_MS} ms (R5)`, n)
    let at = 2
    let padding = 0
    if (packet[1] & 0x40) {
      // Padding length: bytes of 255 add 254 each, the first other byte ends it (section 3.2.5).
      for (let b = 255; b === 255; ) {
        if (at >= n) throw bad('its padding length runs past its end (R6/R7)', n)
        b = packet[at++]
        padding += b === 255 ? 254 : b
      }
    }
    let left = n - at - padding
    if (left < 0) throw bad('its padding is longer than the packet (R6/R7)', n)
    if (packet[1] & 0x80) {
      // VBR: the lengths of all frames but the last come first.
      for (let i = 0; i < frames - 1; i++) {
        const f = frameLength(packet, at)
        if (!f) throw bad('its frame lengths run past its end (R7)', n)
        left -= f.end - at + f.length
        at = f.end
        if (f.length > MAX_OPUS_FRAME || left < 0) throw bad('its frame lengths do not fit in it (R7)', n)
      }
      if (left > MAX_OPUS_FRAME) throw bad(`its last frame is over ${MAX_OPUS_FRAME} bytes (R2)`, n)
    } else if (left % frames || left / frames > MAX_OPUS_FRAME) {
      throw bad(`its ${left} bytes do not split into ${frames} equal frames of at most ${MAX_OPUS_FRAME} bytes (R6)`, n)
    }
  }
  return (frames * tenths) / 10
}

/** A frame length coded in one or two bytes at `at` (section 3.2.1); undefined past the end. */
function frameLength(packet: Uint8Array, at: number): { length: number; end: number } | undefined {
  if (at >= packet.length) return undefined
  const b = packet[at]
  if (b < 252) return { length: b, end: at + 1 }
  if (at + 1 >= packet.length) return undefined
  return { length: packet[at + 1] * 4 + b, end: at + 2 }
}
