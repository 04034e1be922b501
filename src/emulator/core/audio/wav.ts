// Incremental WAV (RIFF) parser: buffers only the header (bounded), then decodes the data chunk
// as it streams in. Duration is exact: bytes of the data chunk / block align / sample rate.

import { PcmDecoder, type SampleFormat } from './pcm.js'

export interface WavFormat {
  audioFormat: number
  channels: number
  sampleRate: number
  bitsPerSample: number
  blockAlign: number
  sampleFormat: SampleFormat
}

const MAX_HEADER = 1 << 20
const ascii = (b: Uint8Array, at: number, len: number): string => String.fromCharCode(...b.subarray(at, at + len))

function sampleFormatOf(tag: number): SampleFormat | undefined {
  if (tag === 1) return 'int'
  if (tag === 3) return 'float'
  if (tag === 6) return 'alaw'
  if (tag === 7) return 'mulaw'
  return undefined
}

export class WavParser {
  format?: WavFormat
  error?: string
  /** Bytes of the data chunk received so far. */
  dataBytes = 0
  private header = new Uint8Array(0)
  private dataSize = Number.POSITIVE_INFINITY
  private decoder?: PcmDecoder

  get durationSeconds(): number | undefined {
    if (!this.format) return undefined
    return Math.floor(this.dataBytes / this.format.blockAlign) / this.format.sampleRate
  }

  /** Feeds bytes; returns decoded mono samples of the data chunk, if any. */
  push(chunk: Uint8Array): Float32Array | undefined {
    if (this.error) return undefined
    if (this.decoder) return this.data(chunk)
    const merged = new Uint8Array(this.header.length + chunk.length)
    merged.set(this.header)
    merged.set(chunk, this.header.length)
    this.header = merged
    return this.parseHeader()
  }

  private parseHeader(): Float32Array | undefined {
    const h = this.header
    if (h.length < 12) return undefined
    if (ascii(h, 0, 4) !== 'RIFF' || ascii(h, 8, 4) !== 'WAVE') return this.fail('not a RIFF/WAVE file')
    let at = 12
    const view = new DataView(h.buffer, h.byteOffset, h.length)
    while (at + 8 <= h.length) {
      const id = ascii(h, at, 4)
      const size = view.getUint32(at + 4, true)
      if (id === 'data') {
        if (!this.format) return this.fail('data chunk before fmt chunk')
        // 0 or 0xFFFFFFFF sizes come from streaming writers: read to the end.
        this.dataSize = size === 0 || size === 0xffffffff ? Number.POSITIVE_INFINITY : size
        this.decoder = new PcmDecoder({
          sampleFormat: this.format.sampleFormat,
          bitsPerSample: this.format.bitsPerSample,
          channels: this.format.channels,
        })
        const rest = h.slice(at + 8)
        this.header = new Uint8Array(0)
        return this.data(rest)
      }
      if (at + 8 + size > h.length) break
      if (id === 'fmt ') {
        const error = this.readFmt(view, at + 8, size)
        if (error) return this.fail(error)
      }
      at += 8 + size + (size % 2)
    }
    if (h.length > MAX_HEADER) return this.fail('no data chunk in the first 1 MiB')
    return undefined
  }

  private readFmt(view: DataView, at: number, size: number): string | undefined {
    if (size < 16) return 'fmt chunk too short'
    let tag = view.getUint16(at, true)
    const channels = view.getUint16(at + 2, true)
    const sampleRate = view.getUint32(at + 4, true)
    const blockAlign = view.getUint16(at + 12, true)
    const bitsPerSample = view.getUint16(at + 14, true)
    if (tag === 0xfffe && size >= 26) tag = view.getUint16(at + 24, true) // WAVE_FORMAT_EXTENSIBLE subformat
    const sampleFormat = sampleFormatOf(tag)
    if (!sampleFormat) return `unsupported WAV encoding (format tag ${tag})`
    if (!channels || !sampleRate || !bitsPerSample || bitsPerSample % 8 !== 0) return 'invalid WAV fmt chunk'
    // The decoder reads 4/8-byte floats and 1-byte G.711 samples: other widths would read past a frame.
    if (sampleFormat === 'float' && bitsPerSample !== 32 && bitsPerSample !== 64)
      return `invalid WAV fmt chunk (${bitsPerSample}-bit float)`
    if ((sampleFormat === 'mulaw' || sampleFormat === 'alaw') && bitsPerSample !== 8)
      return `invalid WAV fmt chunk (${bitsPerSample}-bit ${sampleFormat})`
    if (blockAlign !== (bitsPerSample / 8) * channels) return 'invalid WAV block align'
    this.format = { audioFormat: tag, channels, sampleRate, bitsPerSample, blockAlign, sampleFormat }
    return undefined
  }

  private data(chunk: Uint8Array): Float32Array | undefined {
    const room = this.dataSize - this.dataBytes
    if (room <= 0) return undefined // trailing chunks (LIST etc.) after the data are ignored
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk
    this.dataBytes += part.length
    return this.decoder!.push(part)
  }

  private fail(message: string): undefined {
    this.error = message
    this.header = new Uint8Array(0)
    return undefined
  }
}
