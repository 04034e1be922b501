// Raw (headerless) PCM byte streams -> LINEAR16 at the target rate, for sources such as a microphone
// process (`arecord`, `sox -d`, ffmpeg) or a telephony bridge. Works on Uint8Array chunks of any size
// (frames may straddle chunk boundaries), so Node streams, web ReadableStreams and arrays all fit.

import { ValidationError } from '../errors.js'
import { Linear16Encoder, type Linear16Options } from './linear16.js'
import { bytesPerSample, decodeToMono, type SampleFormat } from './pcm.js'

/** Anything that yields byte chunks: Node Readable, web ReadableStream (Node 20+), arrays, generators. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>

const ENCODINGS: readonly SampleFormat[] = ['u8', 's16le', 's24le', 's32le', 'f32le', 'f64le']

/** Splits bytes into whole frames across chunk boundaries and decodes them to mono float. */
export class PcmDecoder {
  readonly format: SampleFormat
  readonly channels: number
  private readonly frameSize: number
  private carry: Uint8Array
  private carryLen = 0

  constructor(format: SampleFormat, channels: number) {
    if (!ENCODINGS.includes(format)) {
      throw new ValidationError(`encoding must be one of ${ENCODINGS.join(', ')} (got ${String(format)})`)
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > 64) {
      throw new ValidationError(`channels must be an integer from 1 to 64 (got ${channels})`)
    }
    this.format = format
    this.channels = channels
    this.frameSize = bytesPerSample(format) * channels
    this.carry = new Uint8Array(this.frameSize)
  }

  /** Bytes of an incomplete frame held back for the next push. */
  get pendingBytes(): number {
    return this.carryLen
  }

  push(bytes: Uint8Array): Float32Array {
    let data = bytes
    if (this.carryLen > 0) {
      data = new Uint8Array(this.carryLen + bytes.length)
      data.set(this.carry.subarray(0, this.carryLen))
      data.set(bytes, this.carryLen)
    }
    const whole = data.length - (data.length % this.frameSize)
    this.carryLen = data.length - whole
    this.carry.set(data.subarray(whole))
    return decodeToMono(data.subarray(0, whole), this.format, this.channels)
  }
}

export interface PcmStreamOptions extends Linear16Options {
  /** Sample encoding of the source: s16le, f32le or u8 (also s24le, s32le, f64le). */
  encoding: SampleFormat
  /** Source sample rate in Hz. */
  sampleRate: number
  /** Interleaved channels in the source (default 1); they are averaged to mono. */
  channels?: number
}

/**
 * Converts a raw PCM byte stream to LINEAR16 chunks (Int16 LE mono at `targetSampleRate`, default
 * 16 kHz, each `chunkMs` long except the last). Memory stays bounded: one chunk in, one chunk out.
 */
export async function* pcmToLinear16(source: ByteSource, options: PcmStreamOptions): AsyncGenerator<Uint8Array> {
  if (!Number.isInteger(options.sampleRate) || options.sampleRate < 1000 || options.sampleRate > 384_000) {
    throw new ValidationError(`sampleRate must be an integer from 1000 to 384000 Hz (got ${options.sampleRate})`)
  }
  const decoder = new PcmDecoder(options.encoding, options.channels ?? 1)
  const encoder = new Linear16Encoder(options.sampleRate, options)
  for await (const bytes of source) {
    yield* encoder.push(decoder.push(bytes))
  }
  yield* encoder.end()
}
