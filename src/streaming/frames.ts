// The wire format (contract 6.2–6.5): building client frames and parsing server frames. Parsing
// never throws: a frame the SDK cannot use becomes a `MalformedFrameError` the connection emits.
import { ConnectionError, ValidationError } from '../errors.js'
import { redact, redactValue } from '../logger.js'
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

export type Frame = { type: string; [key: string]: unknown }

export type Parsed = { kind: 'pong' } | { kind: 'frame'; frame: Frame } | { kind: 'bad'; error: MalformedFrameError }

/**
 * The secrets an error built from a frame must hide (`client.http.hidden`): a server may quote the
 * token it refused. A function, so the frames that parse cleanly never build the list.
 */
export type Hidden = () => string[]

export function parseFrame(data: unknown, hidden: Hidden): Parsed {
  if (typeof data !== 'string') {
    const size = (data as { byteLength?: number; size?: number })?.byteLength ?? (data as { size?: number })?.size
    return bad(`a binary frame${size === undefined ? '' : ` of ${size} bytes`} where a JSON text frame was expected`, '', hidden)
  }
  if (data === PONG) return { kind: 'pong' }
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return bad('a text frame that is not JSON', data, hidden)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as Frame).type !== 'string') {
    return bad('a JSON frame without a string `type`', data, hidden)
  }
  return { kind: 'frame', frame: value as Frame }
}

/** The list each known result frame carries, as its typed event promises (contract 5.4, 6.5). */
const LISTS: Record<string, string> = {
  message_response: 'messages',
  insight_response: 'insights',
  topic_response: 'topics',
  tracker_response: 'trackers',
  entity_response: 'entities',
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks a parsed frame before it is emitted under the name its `type` gives: a known type must
 * have the fields its typed event promises (else a listener reading `frame.messages` would throw),
 * and no type may take one of the SDK's own event names (`reserved`: `close`, `open`, …), whose
 * listeners expect the SDK's arguments. Returns the problem as a MalformedFrameError, or undefined.
 */
export function checkFrame(frame: Frame, reserved: readonly string[], hidden: Hidden): MalformedFrameError | undefined {
  const { type } = frame
  let what: string | undefined
  const list = LISTS[type]
  if (reserved.includes(type)) what = `a frame of type "${redact(type, hidden())}", the name of an SDK event`
  else if (list && !(Array.isArray(frame[list]) && (frame[list] as unknown[]).every(isObject)))
    what = `a ${type} frame without a \`${list}\` array of objects`
  else if (
    type === 'transcript_response' &&
    !(isObject(frame.payload) && typeof (frame.payload as { content?: unknown }).content === 'string')
  ) {
    what = 'a transcript_response frame without a string `payload.content`'
  }
  return what === undefined ? undefined : malformed(what, JSON.stringify(frame), hidden)
}

/** "The server sent {what}; ignored", with the start of the frame, redacted (before it is cut: a cut token is no longer recognisable). */
export function malformed(what: string, raw: string, hidden: Hidden): MalformedFrameError {
  return new MalformedFrameError(`The server sent ${what}; ignored`, redact(raw, hidden()).slice(0, 200))
}

function bad(what: string, raw: string, hidden: Hidden): Parsed {
  return { kind: 'bad', error: malformed(what, raw, hidden) }
}

/** The server's error, from the top-level `{type:'error'}` (GO) or the wrapped `message.type === 'error'` (JS) form. */
export function errorFromFrame(frame: Record<string, unknown>, hidden: Hidden): ConnectionError {
  // Both the message and `details` (the whole frame) are server text.
  const body = redactValue(frame, hidden())
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const message = text(body.message) ?? text(body.details) ?? 'unknown error'
  const details = text(body.details)
  return new ConnectionError(`The streaming server reported an error: ${message}${details && details !== message ? ` (${details})` : ''}`, {
    details: body,
  })
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
