// Incremental WAV (RIFF/RF64) reader: PCM 8/16/24/32-bit and IEEE float 32/64-bit, plain or
// WAVE_FORMAT_EXTENSIBLE, any rate and channel count (mixed down to mono). Bytes are pushed in
// chunks of any size, so a file of any length is read with bounded memory.

import { AudioFormatError } from './errors.js'
import { Linear16Encoder, type Linear16Options } from './linear16.js'
import { bytesPerSample, type SampleFormat } from './pcm.js'
import { invalid } from '../http/check.js'
import { iterate, PcmDecoder, toBytes, type ByteSource } from './pcm-stream.js'
import type { WavInfo, WavStream } from './types.js'

export type { WavInfo, WavStream }

// Codes of compressed formats seen in the wild, to name them in the error.
const COMPRESSED: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x0161: 'WMA',
  0x1610: 'AAC',
  0x674f: 'Ogg Vorbis',
  0xf1ac: 'FLAC',
}

type State = 'riff' | 'chunk' | 'fmt' | 'ds64' | 'skip' | 'data' | 'done'

/** Push-based decoder: push(bytes) returns the mono samples those bytes completed. */
export class WavDecoder {
  private state: State = 'riff'
  private header = new Uint8Array(64)
  private headerLen = 0
  private need = 12
  private chunkSize = 0
  private skipLeft = 0
  private dataLeft = 0
  private rf64DataSize: number | undefined
  private pcm: PcmDecoder | undefined
  private wavInfo: WavInfo | undefined
  private bytesSeen = 0
  private framesOut = 0

  /** The format, once the header up to the data chunk has been read. */
  get info(): WavInfo | undefined {
    return this.wavInfo
  }

  /** True once the data chunk has been reached: info is complete and samples follow. */
  get headerComplete(): boolean {
    return this.state === 'data' || this.state === 'done'
  }

  push(bytes: Uint8Array): Float32Array {
    if (!(bytes instanceof Uint8Array)) invalid('WavDecoder.push: bytes', 'a Uint8Array (or Buffer)', bytes)
    if (this.bytesSeen === 0 && bytes.length > 0) this.checkMagic(bytes)
    this.bytesSeen += bytes.length
    const parts: Float32Array[] = []
    let p = 0
    while (p < bytes.length) {
      if (this.state === 'skip') {
        const n = Math.min(this.skipLeft, bytes.length - p)
        p += n
        this.skipLeft -= n
        if (this.skipLeft === 0) this.expect('chunk', 8)
      } else if (this.state === 'data') {
        const n = Math.min(this.dataLeft, bytes.length - p)
        const samples = this.pcm!.push(bytes.subarray(p, p + n))
        if (samples.length > 0) parts.push(samples)
        this.framesOut += samples.length
        p += n
        this.dataLeft -= n
        if (this.dataLeft === 0) this.state = 'done'
      } else if (this.state === 'done') {
        p = bytes.length // trailing chunks (LIST, id3 ...) after the data are ignored
      } else {
        // Header states: gather `need` bytes, then parse them.
        const n = Math.min(this.need - this.headerLen, bytes.length - p)
        this.header.set(bytes.subarray(p, p + n), this.headerLen)
        this.headerLen += n
        p += n
        if (this.headerLen === this.need) this.parseHeader()
      }
    }
    if (parts.length === 1) return parts[0]
    const out = new Float32Array(parts.reduce((s, x) => s + x.length, 0))
    let o = 0
    for (const x of parts) {
      out.set(x, o)
      o += x.length
    }
    return out
  }

  /** Call when the input ends: throws if the file held no header or no audio. */
  end(): void {
    if (this.bytesSeen === 0) throw new AudioFormatError('empty', 'The WAV input is empty (0 bytes)')
    if (this.state !== 'data' && this.state !== 'done') {
      throw new AudioFormatError(
        'truncated',
        `The WAV header is truncated: the input ended after ${this.bytesSeen} bytes, before the audio data began`,
      )
    }
    if (this.framesOut === 0) throw new AudioFormatError('empty', 'The WAV file holds no audio samples (zero-length data)')
  }

  private checkMagic(bytes: Uint8Array): void {
    const head = String.fromCharCode(...bytes.subarray(0, 4))
    if (!['RIFF', 'RF64'].some((m) => m.startsWith(head))) {
      const hint = head === 'RIFX' ? ' (big-endian RIFX is not supported)' : head === 'FORM' ? ' (this looks like AIFF)' : ''
      throw new AudioFormatError('not-wav', `Not a WAV file: it does not start with RIFF${hint}`)
    }
  }

  private expect(state: State, need: number): void {
    this.state = state
    this.need = need
    this.headerLen = 0
    if (need > this.header.length) this.header = new Uint8Array(need)
  }

  private parseHeader(): void {
    const h = this.header
    const view = new DataView(h.buffer, 0, this.need)
    const id = (o: number) => String.fromCharCode(h[o], h[o + 1], h[o + 2], h[o + 3])
    switch (this.state) {
      case 'riff':
        // checkMagic saw only the first push, which may have held fewer than 4 bytes.
        if (id(0) !== 'RIFF' && id(0) !== 'RF64') this.checkMagic(h.subarray(0, 4))
        if (id(8) !== 'WAVE') throw new AudioFormatError('not-wav', `Not a WAV file: RIFF type is '${id(8)}', not 'WAVE'`)
        this.expect('chunk', 8)
        return
      case 'chunk': {
        const chunkId = id(0)
        const size = view.getUint32(4, true)
        this.chunkSize = size
        if (chunkId === 'fmt ') {
          if (size < 16 || size > 1024) throw new AudioFormatError('invalid', `Invalid WAV: fmt chunk of ${size} bytes`)
          this.expect('fmt', size + (size & 1))
        } else if (chunkId === 'ds64' && size >= 24 && size <= 1024) {
          this.expect('ds64', size + (size & 1))
        } else if (chunkId === 'data') {
          if (!this.wavInfo) throw new AudioFormatError('invalid', 'Invalid WAV: the data chunk comes before the fmt chunk')
          this.startData(size)
        } else {
          this.skipLeft = size + (size & 1) // chunks are word-aligned
          this.state = 'skip'
          if (this.skipLeft === 0) this.expect('chunk', 8)
        }
        return
      }
      case 'ds64':
        // RF64: the real 64-bit data size (riffSize at 0, dataSize at 8).
        this.rf64DataSize = view.getUint32(8, true) + view.getUint32(12, true) * 2 ** 32
        this.expect('chunk', 8)
        return
      case 'fmt':
        this.parseFmt(view, this.chunkSize)
        this.expect('chunk', 8)
        return
      default:
        return
    }
  }

  private parseFmt(view: DataView, size: number): void {
    let tag = view.getUint16(0, true)
    const channels = view.getUint16(2, true)
    const sampleRate = view.getUint32(4, true)
    const blockAlign = view.getUint16(12, true)
    let bits = view.getUint16(14, true)
    if (tag === 0xfffe) {
      if (size < 40) throw new AudioFormatError('invalid', 'Invalid WAV: WAVE_FORMAT_EXTENSIBLE header is too short')
      const validBits = view.getUint16(18, true)
      if (validBits > 0) bits = validBits
      tag = view.getUint16(24, true) // first two bytes of the SubFormat GUID
    }
    if (tag !== 1 && tag !== 3) {
      const name = COMPRESSED[tag]
      const code = `0x${tag.toString(16).padStart(4, '0')}`
      throw name
        ? new AudioFormatError(
            'compressed',
            `Compressed WAV (${name}, format ${code}) is not supported: convert it to PCM first, e.g. \`sox in.wav -e signed-integer -b 16 out.wav\``,
          )
        : new AudioFormatError('unsupported', `Unsupported WAV format ${code}: only PCM (1) and IEEE float (3) can be read`)
    }
    if (channels === 0 || sampleRate === 0 || blockAlign === 0 || blockAlign % channels !== 0) {
      throw new AudioFormatError('invalid', `Invalid WAV: ${channels} channels, ${sampleRate} Hz, block align ${blockAlign}`)
    }
    // Bounds of pcmToLinear16; beyond them a header is corrupt or hostile (a 4 GHz rate would make
    // the resampler build a filter of millions of taps).
    if (sampleRate < 1000 || sampleRate > 384_000) {
      throw new AudioFormatError('unsupported', `Unsupported WAV: a sample rate of ${sampleRate} Hz (1000 to 384000 Hz can be read)`)
    }
    if (channels > 64) throw new AudioFormatError('unsupported', `Unsupported WAV: ${channels} channels (at most 64 can be mixed down)`)
    // The container size decides the decoding; samples with fewer valid bits are left-justified in it.
    const container = blockAlign / channels
    const formats: Record<number, SampleFormat> = tag === 1 ? { 1: 'u8', 2: 's16le', 3: 's24le', 4: 's32le' } : { 4: 'f32le', 8: 'f64le' }
    const sampleFormat = formats[container]
    if (!sampleFormat || bits > container * 8) {
      throw new AudioFormatError('unsupported', `Unsupported WAV: ${bits}-bit ${tag === 1 ? 'PCM' : 'float'} in ${container}-byte samples`)
    }
    this.wavInfo = {
      encoding: tag === 1 ? 'pcm' : 'float',
      sampleFormat,
      sampleRate,
      channels,
      bitsPerSample: bits,
      dataBytes: undefined,
      frames: undefined,
      durationSeconds: undefined,
    }
    this.pcm = new PcmDecoder(sampleFormat, channels)
  }

  private startData(size: number): void {
    const info = this.wavInfo!
    // 0 and 0xFFFFFFFF are what writers put when they stream a WAV without knowing its length.
    const known = this.rf64DataSize ?? (size === 0 || size === 0xffffffff ? undefined : size)
    info.dataBytes = known
    if (known !== undefined) {
      info.frames = Math.floor(known / (info.channels * bytesPerSample(info.sampleFormat)))
      info.durationSeconds = info.frames / info.sampleRate
    }
    this.dataLeft = known ?? Infinity
    this.state = 'data'
  }
}

/**
 * Opens a WAV byte stream: reads up to the first samples (so a bad, empty or truncated file fails
 * here), then streams the rest on demand. Throws AudioFormatError (reason not-wav, compressed,
 * unsupported, empty, truncated, invalid).
 */
export async function openWav(source: ByteSource | ArrayBuffer | ArrayBufferView): Promise<WavStream> {
  const decoder = new WavDecoder()
  const whole = source instanceof ArrayBuffer || ArrayBuffer.isView(source)
  const iterable: ByteSource = whole ? [toBytes(source, 'openWav')] : iterate(source, 'openWav')
  const it: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    Symbol.asyncIterator in iterable ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]()
  const close = async () => {
    await it.return?.()
  }
  const first: Float32Array[] = []
  let finished = false
  try {
    while (first.length === 0) {
      const r = await it.next()
      if (r.done) {
        finished = true
        decoder.end()
        break
      }
      const s = decoder.push(toBytes(r.value, 'openWav'))
      if (s.length > 0) first.push(s)
    }
  } catch (err) {
    await close().catch(() => {})
    throw err
  }
  const info = decoder.info!
  const samples = (async function* (): AsyncGenerator<Float32Array> {
    yield* first
    if (finished) return
    try {
      for (;;) {
        const r = await it.next()
        if (r.done) break
        const s = decoder.push(toBytes(r.value, 'openWav'))
        if (s.length > 0) yield s
      }
      decoder.end()
    } finally {
      await close()
    }
  })()
  return {
    info,
    samples,
    linear16(options?: Linear16Options) {
      const encoder = new Linear16Encoder(info.sampleRate, options)
      return (async function* () {
        for await (const s of samples) yield* encoder.push(s)
        yield* encoder.end()
      })()
    },
    async close() {
      await samples.return(undefined)
      await close()
    },
  }
}

/** Decodes a whole in-memory WAV file to mono float. */
export function decodeWav(bytes: Uint8Array | ArrayBuffer): { info: WavInfo; samples: Float32Array } {
  const decoder = new WavDecoder()
  const samples = decoder.push(toBytes(bytes, 'decodeWav'))
  decoder.end()
  return { info: decoder.info!, samples }
}
