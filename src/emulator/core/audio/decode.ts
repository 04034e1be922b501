// Compressed uploads decoded to PCM, chunk by chunk, with the wasm-audio-decoders family (pure
// WASM, inlined in the packages: nothing is built or downloaded). Loaded with import() on the first
// upload of the format, so WAV-only use never pays for them; they run in Node and in browsers.
// Only mono mixdown is kept, and only until the segmenter has consumed it: memory stays bounded by
// the chunk size, not the file size.

import { type Decoded, mixToMono } from './decoded.js'
import { createFlacDecoder } from './flac-decoder.js'
import { FlacFrameSplitter, flacBlockSize } from './flac-frames.js'
import { createOggOpusDecoder } from './ogg-opus.js'

// Ogg Opus: our demuxer in front of `opus-decoder` (ogg-opus.ts), not `ogg-opus-decoder` (18 MB).
// AAC / MP4 / M4A are not decoded: no maintained pure-JS/WASM AAC decoder of a reasonable size is on
// npm (checked December 2026). `aac` (aac.js) is pure JS but AAC-LC only (no HE-AAC, common in
// phone and meeting recordings) and needs Aurora.js (`av` 0.4, unmaintained since 2015); the WASM
// ones are FFmpeg builds (`@libav.js/variant-webcodecs`: 15.7 MB unpacked), and the rest native
// bindings. Those uploads keep the header facts (format, size) and get no segments.
export type DecodedFormat = 'mp3' | 'flac' | 'ogg-vorbis' | 'ogg-opus'

interface WasmDecoder {
  ready: Promise<void>
  decode(data: Uint8Array): Decoded | Promise<Decoded>
  /** Whether input already taken waits to be decoded (a decoder that bounds each call's output). */
  backlog?: () => boolean
  flush?: () => Promise<Decoded>
  free(): void
}

/** Bytes handed to the decoder at once (the WASM heap holds one slice, not the upload). */
const SLICE = 32 * 1024
/**
 * A few bytes can stand for a lot of audio (a FLAC frame of one constant value is 14 bytes for 65 535
 * samples: a 20 KB upload was 1.7 hours, decoded in one 1.5 s event-loop block at 535 MB). The first
 * slice is small, and each next one is sized from the samples per byte seen so far so that a step
 * yields about MAX_STEP_SAMPLES (never under MIN_SLICE bytes); a step that yields many seconds is
 * followed by a turn of the event loop.
 */
const FIRST_SLICE = 512
const MIN_SLICE = 512
const MAX_STEP_SAMPLES = 60 * 48000
const YIELD_AFTER_SAMPLES = 10 * 48000
const EMPTY = new Uint8Array(0)

export type PcmSink = (samples: Float32Array, sampleRate: number) => void

/** Audio decoded per FLAC upload at most (the voice frames' bound too, voice.ts); see `frames` below. */
export const MAX_DECODED_SECONDS = 4 * 3600

const nextTurn = () => new Promise((next) => setTimeout(next, 0))

export class CompressedDecoder {
  /** Decoded sample frames (per channel) and their rate: the exact duration. */
  samples = 0
  /** Bytes of the next decode step (see FIRST_SLICE). */
  private slice = FIRST_SLICE
  /**
   * FLAC: the frames, split alongside the decoder (CRC-checked, cheap), and their samples by header.
   * Decoding stops after MAX_DECODED_SECONDS: past that, 14-byte frames of 65 535 samples would cost
   * hours of CPU for a 1 GiB upload; the duration then comes from the frame headers.
   */
  private frames?: FlacFrameSplitter
  private framedSamples = 0
  sampleRate = 0
  error: string | undefined
  private decoder: Promise<WasmDecoder>

  constructor(
    readonly kind: DecodedFormat,
    private readonly sink: PcmSink,
  ) {
    if (kind === 'flac') this.frames = new FlacFrameSplitter()
    this.decoder = load(kind).then(async (d) => {
      await d.ready
      return d
    })
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (this.error) return
    try {
      const d = await this.decoder
      if (this.frames) for (const frame of this.frames.push(chunk)) this.framedSamples += flacBlockSize(frame)
      for (let at = 0; at < chunk.length; ) {
        // FLAC past MAX_DECODED_SECONDS: the rest is timed from its frame headers only.
        if (this.frames && this.sampleRate && this.samples >= MAX_DECODED_SECONDS * this.sampleRate) return
        const part = chunk.subarray(at, at + this.slice)
        at += part.length
        const out = await d.decode(part)
        this.take(out)
        const perByte = out.samplesDecoded / part.length
        this.slice = Math.max(MIN_SLICE, Math.min(SLICE, perByte > 0 ? Math.floor(MAX_STEP_SAMPLES / perByte) : SLICE))
        if (out.samplesDecoded > YIELD_AFTER_SAMPLES) await nextTurn()
        // Ogg Opus bounds each call itself (2-byte packets of 120 ms) and hands out the rest later.
        while (d.backlog?.()) {
          await nextTurn()
          this.take(await d.decode(EMPTY))
        }
      }
    } catch (e) {
      this.fail(e)
    }
  }

  async finish(): Promise<void> {
    try {
      const d = await this.decoder
      if (!this.error && d.flush) this.take(await d.flush())
      d.free()
      if (this.frames) {
        for (const frame of this.frames.end()) this.framedSamples += flacBlockSize(frame)
        // Past the bound the frames' headers count what was not decoded.
        if (this.sampleRate && this.samples >= MAX_DECODED_SECONDS * this.sampleRate)
          this.samples = Math.max(this.samples, this.framedSamples)
      }
    } catch (e) {
      this.fail(e)
    }
  }

  get durationSeconds(): number | undefined {
    return this.sampleRate ? this.samples / this.sampleRate : undefined
  }

  private fail(e: unknown): void {
    this.error ??= e instanceof Error ? e.message : String(e)
  }

  private take(out: Decoded): void {
    const { channelData, samplesDecoded, sampleRate } = out
    if (out.timedOnly) {
      this.sampleRate = sampleRate
      this.samples += out.timedOnly
    }
    if (!samplesDecoded || !channelData.length) return
    this.sampleRate = sampleRate
    this.samples += samplesDecoded
    this.sink(mixToMono(channelData, samplesDecoded), sampleRate)
  }
}

async function load(kind: DecodedFormat): Promise<WasmDecoder> {
  switch (kind) {
    case 'mp3': {
      const { MPEGDecoder } = await import('mpg123-decoder')
      return new MPEGDecoder({ enableGapless: true })
    }
    case 'flac':
      // Our frame splitter in front of the WASM decoder: the package's own parser loses a short last frame.
      return createFlacDecoder()
    case 'ogg-opus':
      return createOggOpusDecoder()
    case 'ogg-vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis')
      return new OggVorbisDecoder()
    }
  }
}
