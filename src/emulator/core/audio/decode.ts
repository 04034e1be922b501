// Compressed uploads decoded to PCM, chunk by chunk, with the wasm-audio-decoders family (pure
// WASM, inlined in the packages: nothing is built or downloaded). Loaded with import() on the first
// upload of the format, so WAV-only use never pays for them; they run in Node and in browsers.
// Only mono mixdown is kept, and only until the segmenter has consumed it: memory stays bounded by
// the chunk size, not the file size.

import { createFlacDecoder } from './flac-decoder.js'

// Ogg Opus is not decoded: `ogg-opus-decoder` brings 18 MB (a speech-enhancement model among them)
// to every install of the SDK, for a path nothing here can produce a test file for (no Opus encoder
// on these machines). Ogg Opus uploads keep the header facts, as before.
export type DecodedFormat = 'mp3' | 'flac' | 'ogg-vorbis'

export interface Decoded {
  channelData: Float32Array[]
  samplesDecoded: number
  sampleRate: number
}

/** The mean of the channels (the segmenter needs one signal; the channels' levels are kept). */
export function mixToMono(channelData: Float32Array[], samples: number): Float32Array {
  if (channelData.length === 1) return channelData[0].subarray(0, samples)
  const mono = new Float32Array(samples)
  for (const channel of channelData) for (let i = 0; i < samples; i++) mono[i] += channel[i]
  for (let i = 0; i < samples; i++) mono[i] /= channelData.length
  return mono
}

interface WasmDecoder {
  ready: Promise<void>
  decode(data: Uint8Array): Decoded | Promise<Decoded>
  flush?: () => Promise<Decoded>
  free(): void
}

/** Bytes handed to the decoder at once (the WASM heap holds one slice, not the upload). */
const SLICE = 32 * 1024

export type PcmSink = (samples: Float32Array, sampleRate: number) => void

export class CompressedDecoder {
  /** Decoded sample frames (per channel) and their rate: the exact duration. */
  samples = 0
  sampleRate = 0
  error: string | undefined
  private decoder: Promise<WasmDecoder>

  constructor(
    readonly kind: DecodedFormat,
    private readonly sink: PcmSink,
  ) {
    this.decoder = load(kind).then(async (d) => {
      await d.ready
      return d
    })
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (this.error) return
    try {
      const d = await this.decoder
      for (let at = 0; at < chunk.length; at += SLICE) this.take(await d.decode(chunk.subarray(at, at + SLICE)))
    } catch (e) {
      this.fail(e)
    }
  }

  async finish(): Promise<void> {
    try {
      const d = await this.decoder
      if (!this.error && d.flush) this.take(await d.flush())
      d.free()
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
    case 'ogg-vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis')
      return new OggVorbisDecoder()
    }
  }
}
