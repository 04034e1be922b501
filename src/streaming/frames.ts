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
    const samples = audio instanceof Float32Array || audio instanceof Float64Array
    if (format.encoding === 'LINEAR16' && samples) {
      throw new ValidationError(
        'sendAudio got float samples; LINEAR16 needs 16-bit integers: convert to an Int16Array (clamp each sample to [-1, 1] and multiply by 32767)',
      )
    }
    // An Opus packet is bytes; samples here are PCM sent by mistake (a zero Float32Array even
    // parses as a valid packet, so the packet check alone would let it through).
    if (format.encoding === 'OPUS' && (samples || audio instanceof Int16Array || audio instanceof Int32Array)) {
      throw new ValidationError(
        `sendAudio on an Opus connection takes one raw Opus packet as bytes (a Uint8Array, Buffer or ArrayBuffer), got a ${audio.constructor.name} of samples: encode them first (sendAudioFromMic encodes the microphone), or start the connection with encoding LINEAR16 for PCM`,
      )
    }
    return view(() => new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength))
  }
  const tag = Object.prototype.toString.call(audio)
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return view(() => new Uint8Array(audio as ArrayBuffer))
  throw new ValidationError(
    `sendAudio takes an ArrayBuffer, a typed array or a Buffer, got ${audio === null ? 'null' : typeof audio === 'object' ? tag : typeof audio}`,
  )
}

/** The view, or a ValidationError for a buffer that was transferred (detached): its bytes are gone. */
function view(make: () => Uint8Array): Uint8Array {
  try {
    return make()
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    throw new ValidationError(
      'sendAudio got audio whose ArrayBuffer was transferred (detached), e.g. posted to a worker with a transfer list: its bytes are gone. Send a copy (audio.slice()) before transferring it',
    )
  }
}
