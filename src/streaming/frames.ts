// The wire format (contract 6.2–6.5): building client frames and parsing server frames. Parsing
// never throws: a frame the SDK cannot use becomes a `MalformedFrameError` the connection emits.
import { ConnectionError, ValidationError } from '../errors.js'
import { MalformedFrameError } from './errors.js'
import type { AudioEncoding, StreamingOptions } from './types.js'

/** The audio format in effect on the wire. */
export interface AudioFormat {
  encoding: AudioEncoding
  sampleRateHertz: number
}

export const PING = '__PING__'
export const PONG = '__PONG__'
export const STOP_REQUEST = '{"type":"stop_request"}'

/** Bytes per second of a format; for compressed encodings an upper estimate (16-bit PCM), used only to size queues. */
export function bytesPerSecond(format: AudioFormat): number {
  return format.sampleRateHertz * (format.encoding === 'MULAW' ? 1 : 2)
}

export function isRawPcm(format: AudioFormat): boolean {
  return format.encoding === 'LINEAR16' || format.encoding === 'MULAW'
}

export function startRequest(options: StreamingOptions, format: AudioFormat): string {
  return JSON.stringify({
    type: 'start_request',
    insightTypes: options.insightTypes,
    customVocabulary: options.customVocabulary,
    config: { ...options.config, speechRecognition: { ...options.config?.speechRecognition, ...format } },
    speaker: options.speaker,
    trackers: options.trackers,
    noConnectionTimeout: options.noConnectionTimeout,
    disconnectOnStopRequest: options.disconnectOnStopRequest,
    disconnectOnStopRequestTimeout: options.disconnectOnStopRequestTimeout,
  })
}

export function modifyRequest(format: AudioFormat): string {
  return JSON.stringify({ type: 'modify_request', speechRecognition: format })
}

export type Frame = { type: string; [key: string]: unknown }

export type Parsed = { kind: 'pong' } | { kind: 'frame'; frame: Frame } | { kind: 'bad'; error: MalformedFrameError }

export function parseFrame(data: unknown): Parsed {
  if (typeof data !== 'string') {
    const size = (data as { byteLength?: number; size?: number })?.byteLength ?? (data as { size?: number })?.size
    return bad(`The server sent a binary frame${size === undefined ? '' : ` of ${size} bytes`} where a JSON text frame was expected; ignored`, '')
  }
  if (data === PONG) return { kind: 'pong' }
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return bad('The server sent a text frame that is not JSON; ignored', data)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as Frame).type !== 'string') {
    return bad('The server sent a JSON frame without a string `type`; ignored', data)
  }
  return { kind: 'frame', frame: value as Frame }
}

function bad(message: string, raw: string): Parsed {
  return { kind: 'bad', error: new MalformedFrameError(message, raw.slice(0, 200)) }
}

/** The server's error, from the top-level `{type:'error'}` (GO) or the wrapped `message.type === 'error'` (JS) form. */
export function errorFromFrame(body: Record<string, unknown>): ConnectionError {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const message = text(body.message) ?? text(body.details) ?? 'unknown error'
  const details = text(body.details)
  return new ConnectionError(`The streaming server reported an error: ${message}${details && details !== message ? ` (${details})` : ''}`, { details: body })
}

/** A view of the bytes of `ArrayBuffer`, any typed array, `DataView` or Node `Buffer`, without copying. */
export function toBytes(audio: unknown, format: AudioFormat): Uint8Array {
  if (ArrayBuffer.isView(audio)) {
    if (format.encoding === 'LINEAR16' && (audio instanceof Float32Array || audio instanceof Float64Array)) {
      throw new ValidationError('sendAudio got float samples; LINEAR16 needs 16-bit integers: convert to an Int16Array (clamp each sample to [-1, 1] and multiply by 32767)')
    }
    return new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength)
  }
  const tag = Object.prototype.toString.call(audio)
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(audio as ArrayBuffer)
  throw new ValidationError(`sendAudio takes an ArrayBuffer, a typed array or a Buffer, got ${audio === null ? 'null' : typeof audio === 'object' ? tag : typeof audio}`)
}
