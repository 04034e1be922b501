// Raw (headerless) PCM byte streams -> LINEAR16 at the target rate, for sources such as a microphone
// process (`arecord`, `sox -d`, ffmpeg) or a telephony bridge. Works on Uint8Array chunks of any size
// (frames may straddle chunk boundaries), so Node streams, web ReadableStreams and arrays all fit.

import { invalid, isObject } from '../http/check.js'
import { Linear16Encoder } from './linear16.js'
import { bytesPerSample, decodeToMono, type SampleFormat } from './pcm.js'
import type { ByteSource, PcmStreamOptions } from './types.js'

export type { ByteSource, PcmStreamOptions }

const ENCODINGS: readonly SampleFormat[] = ['u8', 's16le', 's24le', 's32le', 'f32le', 'f64le']

/** Splits bytes into whole frames across chunk boundaries and decodes them to mono float. */
export class PcmDecoder {
  readonly format: SampleFormat
  readonly channels: number
  private readonly frameSize: number
  private carry: Uint8Array
  private carryLen = 0

  constructor(format: SampleFormat, channels: number) {
    if (!ENCODINGS.includes(format)) invalid('encoding', `one of ${ENCODINGS.join(', ')}`, format)
    if (!Number.isInteger(channels) || channels < 1 || channels > 64) invalid('channels', 'a whole number from 1 to 64', channels)
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
    if (!(bytes instanceof Uint8Array)) invalid('PcmDecoder.push: bytes', 'a Uint8Array (or Buffer)', bytes)
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

/**
 * Converts a raw PCM byte stream to LINEAR16 chunks (Int16 LE mono at `targetSampleRate`, default
 * 16 kHz, each `chunkMs` long except the last). Memory stays bounded: one chunk in, one chunk out.
 */
export async function* pcmToLinear16(source: ByteSource, options: PcmStreamOptions): AsyncGenerator<Uint8Array> {
  if (!isObject(options))
    invalid('pcmToLinear16 options', 'an object with the source format, e.g. { encoding: "s16le", sampleRate: 16000 }', options)
  checkSampleRate('sampleRate', options.sampleRate)
  // `?? 1` would take an explicit null for "mono": a null here is a mistake, not a choice.
  const decoder = new PcmDecoder(options.encoding, options.channels === undefined ? 1 : options.channels)
  const encoder = new Linear16Encoder(options.sampleRate, options)
  for await (const bytes of iterate(source, 'pcmToLinear16')) {
    yield* encoder.push(decoder.push(toBytes(bytes, 'pcmToLinear16')))
  }
  yield* encoder.end()
}

/** A source rate as the readers accept it: 1000–384000 Hz (beyond, a value is a slip or a corrupt header). */
export function checkSampleRate(name: string, rate: unknown): void {
  if (!(Number.isInteger(rate) && (rate as number) >= 1000 && (rate as number) <= 384_000))
    invalid(name, "an integer number of Hz from 1000 to 384000 (the source's sample rate)", rate)
}

/** `source` as an iterable of chunks, or a ValidationError saying what `who` takes. */
export function iterate(source: unknown, who: string): ByteSource {
  if (source && typeof source === 'object' && (Symbol.asyncIterator in source || Symbol.iterator in source)) return source as ByteSource
  // Safari's web ReadableStreams are not async iterable: read them through their reader.
  if (source && typeof (source as ReadableStream).getReader === 'function') return readerChunks(source as ReadableStream<Uint8Array>)
  const path = typeof source === 'string' ? ': a string is not read as a path; on Node pass fs.createReadStream(path)' : ''
  return invalid(
    `${who}: source`,
    `an iterable or async iterable of byte chunks (a Node Readable, an array of Buffers, an async generator)${path}`,
    source,
  )
}

/** One chunk as bytes: Uint8Array (Buffer), another typed array or an ArrayBuffer; text and others are refused. */
export function toBytes(chunk: unknown, who: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  const hint = typeof chunk === 'string' ? ': read the source as bytes (a Node stream must not have an encoding set)' : ''
  return invalid(`${who}: each chunk`, `bytes (Uint8Array, Buffer or ArrayBuffer)${hint}`, chunk)
}

async function* readerChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    // Stopped early (a bad header, close()): cancel, so the producer is released.
    await reader.cancel().catch(() => {})
    reader.releaseLock()
  }
}
