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

  /** The samples of one audio packet that belong to the stream (pre-skip and end trimmed), mono. */
  function audio(packet: OggPacket): Float32Array | undefined {
    if (!decoder || !head || 'problem' in checkOpusPacket(packet.data)) return undefined
    const out = decoder.decodeFrame(packet.data)
    if (out.errors.length || !out.samplesDecoded) return undefined
    const from = position
    position += out.samplesDecoded
    const keepFrom = Math.max(0, head.preSkip - from)
    // The end-of-stream page's granule position is the stream's last sample (RFC 7845 4.5).
    const keepTo = packet.last && packet.granule >= 0 ? Math.min(out.samplesDecoded, packet.granule - from) : out.samplesDecoded
    if (keepTo <= keepFrom) return undefined
    const mono = mixToMono(out.channelData, out.samplesDecoded).slice(keepFrom, keepTo)
    if (head.gain !== 1) for (let i = 0; i < mono.length; i++) mono[i] *= head.gain
    return mono
  }

  async function decodePackets(packets: OggPacket[]): Promise<Decoded> {
    const parts: Float32Array[] = []
    for (const packet of packets) {
      if (packet.first) await start(packet)
      else if (!head) throw new Error('Not an Ogg Opus stream: no OpusHead before the audio.')
      else if (tagsPending)
        tagsPending = false // OpusTags: nothing the emulator uses
      else {
        const samples = audio(packet)
        if (samples) parts.push(samples)
      }
    }
    const length = parts.reduce((n, p) => n + p.length, 0)
    const mono = new Float32Array(length)
    let at = 0
    for (const p of parts) {
      mono.set(p, at)
      at += p.length
    }
    return { channelData: [mono], samplesDecoded: length, sampleRate: RATE }
  }

  return {
    ready: Promise.resolve(),
    decode: (data: Uint8Array) => decodePackets(reader.push(data)),
    flush: async (): Promise<Decoded> => {
      if (!head) throw new Error('Not an Ogg Opus stream: no OpusHead found.')
      return { channelData: [], samplesDecoded: 0, sampleRate: RATE }
    },
    free: () => decoder?.free(),
  }
}
