// Test audio: interleaved samples encoded in every raw PCM format, and WAV files around them.
import type { SampleFormat } from '../../../src/audio/pcm.js'

const SIZE: Record<SampleFormat, number> = { u8: 1, s16le: 2, s24le: 3, s32le: 4, f32le: 4, f64le: 8 }

/** Interleaved samples in [-1, 1] as raw little-endian bytes of `format`. */
export function encodePcm(samples: ArrayLike<number>, format: SampleFormat): Buffer {
  const size = SIZE[format]
  const out = Buffer.alloc(samples.length * size)
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)))
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]
    const o = i * size
    if (format === 'u8') out.writeUInt8(clamp(v * 128 + 128, 0, 255), o)
    else if (format === 's16le') out.writeInt16LE(clamp(v * 32768, -32768, 32767), o)
    else if (format === 's24le') out.writeIntLE(clamp(v * 8388608, -8388608, 8388607), o, 3)
    else if (format === 's32le') out.writeInt32LE(clamp(v * 2147483648, -2147483648, 2147483647), o)
    else if (format === 'f32le') out.writeFloatLE(v, o)
    else out.writeDoubleLE(v, o)
  }
  return out
}

/** A canonical 44-byte-header WAV (PCM tag 1, float tag 3), or any `tag` for error cases. */
export function wavFile(
  samples: ArrayLike<number>,
  format: SampleFormat,
  rate: number,
  channels = 1,
  tag = format.startsWith('f') ? 3 : 1,
): Buffer {
  const data = encodePcm(samples, format)
  const size = SIZE[format]
  const h = Buffer.alloc(44)
  h.write('RIFF', 0)
  h.writeUInt32LE(36 + data.length, 4)
  h.write('WAVEfmt ', 8)
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(tag, 20)
  h.writeUInt16LE(channels, 22)
  h.writeUInt32LE(rate, 24)
  h.writeUInt32LE(rate * channels * size, 28)
  h.writeUInt16LE(channels * size, 32)
  h.writeUInt16LE(size * 8, 34)
  h.write('data', 36)
  h.writeUInt32LE(data.length, 40)
  return Buffer.concat([h, data])
}

/** A sine as interleaved frames: the same tone on every channel. */
export function interleavedTone(freq: number, rate: number, seconds: number, amp: number, channels = 1): Float64Array {
  const frames = Math.round(rate * seconds)
  const out = new Float64Array(frames * channels)
  for (let i = 0; i < frames; i++) {
    const v = amp * Math.sin((2 * Math.PI * freq * i) / rate)
    for (let c = 0; c < channels; c++) out[i * channels + c] = v
  }
  return out
}

/** LINEAR16 bytes -> float samples. */
export function linear16Samples(bytes: Buffer): Float32Array {
  const out = new Float32Array(bytes.length >> 1)
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2) / 32768
  return out
}
