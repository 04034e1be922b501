// Checks `startConnection` options before anything touches the network, so a bad value fails with
// a message that names it instead of a server error (or, worse, audio the server silently ignores).
import { ValidationError } from '../errors.js'
import { describe } from '../http/url.js'
import type { AudioFormat } from './frames.js'
import type { StreamingOptions } from './types.js'

const ID = /^[a-zA-Z0-9-]{6,64}$/
const ENCODINGS = ['LINEAR16', 'FLAC', 'MULAW', 'Opus', 'OPUS']

export function newConnectionId(): string {
  const c = globalThis.crypto
  if (c?.randomUUID) return c.randomUUID()
  let id = ''
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16)
  return id
}

export function checkOptions(options: StreamingOptions): { id: string; format: AudioFormat } {
  if (!options || typeof options !== 'object') throw new ValidationError('startConnection takes an options object, e.g. { insightTypes: ["question"] }')
  const id = options.id ?? newConnectionId()
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new ValidationError(`id must be 6 to 64 letters, digits or dashes (a UUID works), got ${describe(id)}`)
  }
  const { config = {} } = options
  if (typeof config !== 'object' || config === null) throw new ValidationError('config must be an object')
  const sr = config.speechRecognition ?? {}
  const format: AudioFormat = { encoding: sr.encoding ?? 'LINEAR16', sampleRateHertz: sr.sampleRateHertz ?? 16000 }
  checkFormat(format, 'config.speechRecognition')
  const t = config.confidenceThreshold
  if (t !== undefined && !(typeof t === 'number' && t >= 0 && t <= 1)) {
    throw new ValidationError(`config.confidenceThreshold must be a number from 0.5 to 1, got ${describe(t)}`)
  }
  for (const key of ['insightTypes', 'customVocabulary'] as const) {
    const list = options[key]
    if (list !== undefined && !(Array.isArray(list) && list.every((x) => typeof x === 'string'))) {
      throw new ValidationError(`${key} must be an array of strings, got ${describe(list)}`)
    }
  }
  const trackers = options.trackers
  if (
    trackers !== undefined &&
    !(Array.isArray(trackers) && trackers.every((x) => x && typeof x.name === 'string' && Array.isArray(x.vocabulary) && x.vocabulary.every((v) => typeof v === 'string')))
  ) {
    throw new ValidationError('trackers must be an array of { name: string, vocabulary: string[] }')
  }
  if (options.speaker !== undefined && (typeof options.speaker !== 'object' || options.speaker === null)) {
    throw new ValidationError('speaker must be an object like { userId: "jane@example.com", name: "Jane" }')
  }
  for (const key of ['noConnectionTimeout', 'disconnectOnStopRequestTimeout'] as const) {
    const v = options[key]
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 1800)) throw new ValidationError(`${key} must be whole seconds from 0 to 1800, got ${describe(v)}`)
  }
  if (options.disconnectOnStopRequest !== undefined && typeof options.disconnectOnStopRequest !== 'boolean') {
    throw new ValidationError('disconnectOnStopRequest must be a boolean')
  }
  for (const key of ['startTimeoutMs', 'stopTimeoutMs', 'maxQueueSeconds', 'highWaterMark', 'maxResendBytes'] as const) {
    const v = options[key]
    if (v !== undefined && !(typeof v === 'number' && v > 0 && v < Infinity)) throw new ValidationError(`${key} must be a positive number, got ${describe(v)}`)
  }
  const tail = options.resendTailMs
  if (tail !== undefined && !(typeof tail === 'number' && tail >= 0 && tail < Infinity)) {
    throw new ValidationError(`resendTailMs must be a number of milliseconds >= 0, got ${describe(tail)}`)
  }
  if (options.onQueueFull !== undefined && !['wait', 'drop-oldest', 'error'].includes(options.onQueueFull)) {
    throw new ValidationError(`onQueueFull must be 'wait', 'drop-oldest' or 'error', got ${describe(options.onQueueFull)}`)
  }
  if (options.signal !== undefined && !(options.signal && typeof options.signal.addEventListener === 'function')) {
    throw new ValidationError('signal must be an AbortSignal')
  }
  return { id, format }
}

export function checkFormat(format: AudioFormat, where: string): void {
  if (!ENCODINGS.includes(format.encoding)) {
    throw new ValidationError(`${where}.encoding must be one of ${ENCODINGS.join(', ')}, got ${describe(format.encoding)}`)
  }
  const rate = format.sampleRateHertz
  if (!(Number.isInteger(rate) && rate >= 8000 && rate <= 48000)) {
    throw new ValidationError(`${where}.sampleRateHertz must be a whole number of Hz from 8000 to 48000, got ${describe(rate)}`)
  }
}
