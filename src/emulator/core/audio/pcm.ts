// PCM sample decoding to mono floats, chunk by chunk (frames may straddle chunk boundaries, so the
// tail of an incomplete frame is carried over). Used by the WAV parser and by streaming LINEAR16/MULAW.

export type SampleFormat = 'int' | 'float' | 'mulaw' | 'alaw'

export interface PcmFormat {
  sampleFormat: SampleFormat
  bitsPerSample: number
  channels: number
}

function mulaw(byte: number): number {
  const u = ~byte & 0xff
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)
  return ((u & 0x80 ? 0x84 - t : t - 0x84) as number) / 32768
}

function alaw(byte: number): number {
  let a = byte ^ 0x55
  const seg = (a & 0x70) >> 4
  let t = (a & 0x0f) << 4
  t = seg === 0 ? t + 8 : seg === 1 ? t + 0x108 : (t + 0x108) << (seg - 1)
  a = a & 0x80 ? t : -t
  return a / 32768
}

export class PcmDecoder {
  private carry = new Uint8Array(0)
  readonly frameBytes: number

  constructor(readonly format: PcmFormat) {
    this.frameBytes = Math.max(1, (format.bitsPerSample / 8) * format.channels)
  }

  /** Decodes whole frames; returns mono samples in -1..1. */
  push(chunk: Uint8Array): Float32Array {
    let bytes = chunk
    if (this.carry.length) {
      bytes = new Uint8Array(this.carry.length + chunk.length)
      bytes.set(this.carry)
      bytes.set(chunk, this.carry.length)
    }
    const frames = Math.floor(bytes.length / this.frameBytes)
    const used = frames * this.frameBytes
    this.carry = bytes.slice(used)
    const view = new DataView(bytes.buffer, bytes.byteOffset, used)
    const { channels, bitsPerSample, sampleFormat } = this.format
    const width = bitsPerSample / 8
    const out = new Float32Array(frames)
    for (let f = 0; f < frames; f++) {
      let sum = 0
      for (let c = 0; c < channels; c++) {
        const at = f * this.frameBytes + c * width
        sum += this.sample(view, at, width, sampleFormat)
      }
      out[f] = sum / channels
    }
    return out
  }

  private sample(view: DataView, at: number, width: number, kind: SampleFormat): number {
    if (kind === 'mulaw') return mulaw(view.getUint8(at))
    if (kind === 'alaw') return alaw(view.getUint8(at))
    if (kind === 'float') return width === 8 ? view.getFloat64(at, true) : view.getFloat32(at, true)
    switch (width) {
      case 1:
        return (view.getUint8(at) - 128) / 128
      case 2:
        return view.getInt16(at, true) / 32768
      case 3: {
        const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)
        return v / 8388608
      }
      default:
        return view.getInt32(at, true) / 2147483648
    }
  }
}
