// The streaming wire format (contract 6.2–6.4): the client's frames and the audio they carry.
// Server frames are parsed by the socket layer (src/socket/frames.ts), the same for telephony.
import { ValidationError } from '../errors.js'
import type { AudioEncoding, StreamingOptions } from './types.js'

/** The audio format in effect on the wire. */
export interface AudioFormat {
  encoding: AudioEncoding
  sampleRateHertz: number
}

export const STOP_REQUEST = '{"type":"stop_request"}'

/** Bytes per second of a format; for compressed encodings an upper estimate (16-bit PCM), used only to size queues. */
export function bytesPerSecond(format: AudioFormat): number {
  return format.sampleRateHertz * (format.encoding === 'MULAW' ? 1 : 2)
}

/** Opus, in either spelling the contract lists (6.2). */
export function isOpus(format: AudioFormat): boolean {
  return format.encoding === 'OPUS' || format.encoding === 'Opus'
}

export function isRawPcm(format: AudioFormat): boolean {
  return format.encoding === 'LINEAR16' || format.encoding === 'MULAW'
}

export function startRequest(options: StreamingOptions, format: AudioFormat): string {
  const body: Record<string, unknown> = { type: 'start_request' }
  // The options that go on the wire, in wire order (`config` then gets the format).
  for (const key of 'insightTypes customVocabulary config speaker trackers noConnectionTimeout disconnectOnStopRequest disconnectOnStopRequestTimeout'.split(
    ' ',
  )) {
    body[key] = options[key as keyof StreamingOptions]
  }
  body.config = { ...options.config, speechRecognition: { ...options.config?.speechRecognition, ...format } }
  return JSON.stringify(body)
}

export function modifyRequest(format: AudioFormat): string {
  return JSON.stringify({ type: 'modify_request', speechRecognition: format })
}

/** A view of the bytes of `ArrayBuffer`, any typed array, `DataView` or Node `Buffer`, without copying. */
export function toBytes(audio: unknown, format: AudioFormat): Uint8Array {
  if (ArrayBuffer.isView(audio)) {
    if (format.encoding === 'LINEAR16' && (audio instanceof Float32Array || audio instanceof Float64Array)) {
      throw new ValidationError(
        'sendAudio got float samples; LINEAR16 needs 16-bit integers: convert to an Int16Array (clamp each sample to [-1, 1] and multiply by 32767)',
      )
    }
    return new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength)
  }
  const tag = Object.prototype.toString.call(audio)
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(audio as ArrayBuffer)
  throw new ValidationError(
    `sendAudio takes an ArrayBuffer, a typed array or a Buffer, got ${audio === null ? 'null' : typeof audio === 'object' ? tag : typeof audio}`,
  )
}
