// Ogg Opus files (RFC 7845) decoded for uploads: our Ogg demuxer (ogg-pages.ts) hands the packets to
// `opus-decoder` (libopus in WASM, 48 kHz). The identification header gives the channel layout,
// pre-skip and output gain; the pre-skip is dropped at the start and the last page's granule
// position trims the end, so the duration is exact (what opusinfo reports as playback length).
// Chained files continue in time. Packets that break RFC 6716 or that libopus rejects are skipped
// (an upload has no channel to report them on; the job still completes with what was decoded).
// We do not use `ogg-opus-decoder`: 18 MB installed (a speech-enhancement model among them), for
// what opus-decoder (200 kB) plus this demuxer do.

import type { OpusDecoder } from 'opus-decoder'
import { mixToMono, type Decoded } from './decoded.js'
import { OggPacketReader, type OggPacket } from './ogg-pages.js'
import { checkOpusPacket } from './opus-packets.js'

const RATE = 48000
/**
 * Two bounds, as a few bytes can stand for minutes of audio (a 2-byte packet is 120 ms of concealment;
 * a 100 KB file of them was 68 minutes, decoded in one 3.5 s block at 730 MB): one decode call hands
 * out at most a minute (the rest waits as a backlog, decode.ts takes it in further calls), and past
 * four hours of decoded audio per upload (the voice frames' bound, voice.ts) the packets are only
 * timed from their TOC bytes, not decoded, so the duration stays exact and the work bounded.
 */
const MAX_CALL_SAMPLES = 60 * RATE
export const MAX_DECODED_SECONDS = 4 * 3600

interface OpusHead {
  channels: number
  preSkip: number
  /** Output gain as a linear factor. */
  gain: number
  streamCount: number
  coupledStreamCount: number
  mapping: number[]
}

/** The identification header (RFC 7845 5.1), or why it is not one. */
export function parseOpusHead(p: Uint8Array): OpusHead | string {
  if (p.length < 19 || String.fromCharCode(...p.subarray(0, 8)) !== 'OpusHead') return 'the first packet is not an OpusHead'
  if (p[8] >> 4 !== 0) return `unsupported Ogg Opus version ${p[8]}`
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength)
  const channels = p[9]
  const family = p[18]
  const head = { channels, preSkip: view.getUint16(10, true), gain: 10 ** (view.getInt16(16, true) / 256 / 20) }
  if (channels < 1) return 'an OpusHead with 0 channels'
  if (family === 0) {
    if (channels > 2) return `channel mapping family 0 with ${channels} channels`
    return { ...head, streamCount: 1, coupledStreamCount: channels - 1, mapping: channels === 2 ? [0, 1] : [0] }
  }
  if (p.length < 21 + channels) return 'an OpusHead cut short'
  const streamCount = p[19]
  const coupledStreamCount = p[20]
  if (streamCount < 1 || coupledStreamCount > streamCount) return 'an OpusHead with an invalid stream count'
  return { ...head, streamCount, coupledStreamCount, mapping: [...p.subarray(21, 21 + channels)] }
}

export async function createOggOpusDecoder() {
  const { OpusDecoder: Decoder } = await import('opus-decoder')
  const reader = new OggPacketReader()
  let decoder: OpusDecoder<undefined> | undefined
  let head: OpusHead | undefined
  let tagsPending = false
  /** Samples decoded in the current logical stream (before trimming), at 48 kHz. */
  let position = 0

  async function start(packet: OggPacket): Promise<void> {
    const parsed = parseOpusHead(packet.data)
    if (typeof parsed === 'string') throw new Error(`Not an Ogg Opus stream: ${parsed}.`)
    decoder?.free()
    head = parsed
    decoder = new Decoder({
      channels: parsed.channels,
      streamCount: parsed.streamCount,
      coupledStreamCount: parsed.coupledStreamCount,
      channelMappingTable: parsed.mapping,
      sampleRate: RATE,
    }) as unknown as OpusDecoder<undefined>
    await decoder.ready
    tagsPending = true
    position = 0
  }

  /** Samples decoded in this upload (all logical streams), against MAX_DECODED_SECONDS. */
  let decodedTotal = 0
  /** Packets taken but not decoded yet (a call's output is bounded). */
  let queue: OggPacket[] = []

  /**
   * The samples of one audio packet that belong to the stream (pre-skip and end trimmed): mono, or
   * past MAX_DECODED_SECONDS only their number (timed from the TOC byte, not decoded).
   */
  function audio(packet: OggPacket): Float32Array | number | undefined {
    const check = checkOpusPacket(packet.data)
    if (!decoder || !head || 'problem' in check) return undefined
    const timedOnly = decodedTotal >= MAX_DECODED_SECONDS * RATE
    const out = timedOnly ? undefined : decoder.decodeFrame(packet.data)
    if (out?.errors.length) return undefined
    const count = out ? out.samplesDecoded : Math.round((check.ms * RATE) / 1000)
    if (!count) return undefined
    const from = position
    position += count
    const keepFrom = Math.max(0, head.preSkip - from)
    // The end-of-stream page's granule position is the stream's last sample (RFC 7845 4.5).
    const keepTo = packet.last && packet.granule >= 0 ? Math.min(count, packet.granule - from) : count
    if (keepTo <= keepFrom) return undefined
    if (!out) return keepTo - keepFrom
    decodedTotal += keepTo - keepFrom
    const mono = mixToMono(out.channelData, out.samplesDecoded).slice(keepFrom, keepTo)
    if (head.gain !== 1) for (let i = 0; i < mono.length; i++) mono[i] *= head.gain
    return mono
  }

  async function decodePackets(packets: OggPacket[]): Promise<Decoded> {
    const parts: Float32Array[] = []
    let decoded = 0
    let timedOnly = 0
    queue = queue.length ? queue.concat(packets) : packets
    let next = 0
    for (; next < queue.length && decoded < MAX_CALL_SAMPLES; next++) {
      const packet = queue[next] as OggPacket
      if (packet.first) await start(packet)
      else if (!head) throw new Error('Not an Ogg Opus stream: no OpusHead before the audio.')
      else if (tagsPending)
        tagsPending = false // OpusTags: nothing the emulator uses
      else {
        const samples = audio(packet)
        if (typeof samples === 'number') timedOnly += samples
        else if (samples) {
          parts.push(samples)
          decoded += samples.length
        }
      }
    }
    queue = queue.slice(next)
    const length = parts.reduce((n, p) => n + p.length, 0)
    const mono = new Float32Array(length)
    let at = 0
    for (const p of parts) {
      mono.set(p, at)
      at += p.length
    }
    return { channelData: [mono], samplesDecoded: length, sampleRate: RATE, ...(timedOnly ? { timedOnly } : {}) }
  }

  return {
    ready: Promise.resolve(),
    decode: (data: Uint8Array) => decodePackets(data.length ? reader.push(data) : []),
    backlog: () => queue.length > 0,
    flush: async (): Promise<Decoded> => {
      if (!head) throw new Error('Not an Ogg Opus stream: no OpusHead found.')
      return { channelData: [], samplesDecoded: 0, sampleRate: RATE }
    },
    free: () => decoder?.free(),
  }
}
