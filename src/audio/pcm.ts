// PCM sample conversions: float <-> signed 16-bit little-endian (LINEAR16, what the streaming API
// takes), and decoding of interleaved integer/float frames to mono float (for WAV and raw streams).

import { ValidationError } from '../errors.js'
import { invalid } from '../http/check.js'
import type { SampleFormat } from './types.js'

export type { SampleFormat }

/**
 * Float [-1, 1] -> Int16 with clamping, written as little-endian bytes whatever the host byte order.
 *
 * Scaling is by 32768 with rounding to nearest, then clamped: -1 -> -32768, +1 -> 32767 (the one
 * value that clips), 0.5 -> 16384, NaN -> 0. Scaling by 32768 (not 32767) keeps it the exact inverse
 * of int16ToFloat32, so Int16 -> float -> Int16 round trips are lossless, and it treats both
 * polarities with the same gain (no even-order distortion from asymmetric scaling).
 *
 * Writes input.length samples into output starting at `offset`; returns output. Self-contained: the
 * AudioWorklet processor gets this function by source text (see worklet-source.ts), so it throws a
 * plain RangeError; apps call `floatToInt16LE`, which checks its arguments first.
 */
export function floatToInt16LECore(input: Float32Array, output?: Int16Array, offset = 0): Int16Array {
  const out = output ?? new Int16Array(input.length)
  if (offset + input.length > out.length) {
    throw new RangeError(`floatToInt16LE: ${input.length} samples do not fit at offset ${offset} of ${out.length}`)
  }
  const n = input.length
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    for (let i = 0; i < n; i++) {
      const v = Math.round(input[i] * 32768)
      // NaN fails both comparisons and is stored as 0 by the typed array.
      out[offset + i] = v > 32767 ? 32767 : Math.max(v, -32768)
    }
  } else {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
    for (let i = 0; i < n; i++) {
      const v = Math.round(input[i] * 32768)
      view.setInt16((offset + i) * 2, v > 32767 ? 32767 : v < -32768 ? -32768 : v || 0, true)
    }
  }
  return out
}

/**
 * Float [-1, 1] -> Int16 LE, as `floatToInt16LECore` (which documents the scaling), with its
 * arguments checked: a ValidationError names a wrong type or an output too small for input at offset.
 */
export function floatToInt16LE(input: Float32Array, output?: Int16Array, offset = 0): Int16Array {
  if (!(input instanceof Float32Array)) invalid('floatToInt16LE: input', 'a Float32Array of samples in [-1, 1]', input)
  if (output !== undefined && !(output instanceof Int16Array)) invalid('floatToInt16LE: output', 'an Int16Array', output)
  if (!(Number.isSafeInteger(offset) && offset >= 0)) invalid('floatToInt16LE: offset', 'a whole number, 0 or more', offset)
  const room = output ? output.length : input.length
  if (offset + input.length > room)
    throw new ValidationError(
      `floatToInt16LE: ${input.length} samples do not fit at offset ${offset} of an output of ${room}: pass a larger output or a smaller offset`,
    )
  return floatToInt16LECore(input, output, offset)
}

/** Int16 (host order, as produced on little-endian hosts by floatToInt16LE) -> float, x / 32768. */
export function int16ToFloat32(input: Int16Array): Float32Array {
  if (!(input instanceof Int16Array)) invalid('int16ToFloat32: input', 'an Int16Array', input)
  const out = new Float32Array(input.length)
  for (let i = 0; i < input.length; i++) out[i] = input[i] / 32768
  return out
}

/** Little-endian LINEAR16 bytes of an Int16Array (a view, no copy). */
export function int16Bytes(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)
}

export function bytesPerSample(format: SampleFormat): number {
  switch (format) {
    case 'u8':
      return 1
    case 's16le':
      return 2
    case 's24le':
      return 3
    case 's32le':
    case 'f32le':
      return 4
    case 'f64le':
      return 8
  }
}

/**
 * Decodes whole interleaved frames of `bytes` and mixes them down to mono by averaging the channels.
 * `bytes.length` must be a multiple of the frame size (channels x bytesPerSample). Integer formats
 * scale so that the most negative code maps to -1.
 */
export function decodeToMono(bytes: Uint8Array, format: SampleFormat, channels: number): Float32Array {
  const size = bytesPerSample(format)
  const frameSize = size * channels
  const frames = Math.floor(bytes.length / frameSize)
  const out = new Float32Array(frames)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const gain = 1 / channels
  let p = 0
  for (let f = 0; f < frames; f++) {
    let sum = 0
    for (let c = 0; c < channels; c++, p += size) {
      switch (format) {
        case 'u8':
          sum += (bytes[p] - 128) / 128
          break
        case 's16le':
          sum += view.getInt16(p, true) / 32768
          break
        case 's24le':
          // Assemble in the top 24 bits of an int32 so the sign comes for free.
          sum += ((bytes[p] << 8) | (bytes[p + 1] << 16) | (bytes[p + 2] << 24)) / 2147483648
          break
        case 's32le':
          sum += view.getInt32(p, true) / 2147483648
          break
        case 'f32le':
          sum += view.getFloat32(p, true)
          break
        case 'f64le':
          sum += view.getFloat64(p, true)
          break
      }
    }
    out[f] = channels === 1 ? sum : sum * gain
  }
  return out
}
