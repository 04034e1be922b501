// Checks `startConnection` options before anything touches the network, so a bad value fails with
// a message that names it instead of a server error (or, worse, audio the server silently ignores).
import { ValidationError } from '../errors.js'
import { invalid } from '../http/check.js'
import { durationMs } from '../utils/duration.js'
import { bytesPerSecond, isOpus, isRawPcm, type AudioFormat } from './frames.js'
import { finite } from '../socket/backoff.js'
import { MAX_FRAME } from './send-queue.js'
import type { StreamingOptions } from './types.js'

const ENCODINGS = ['LINEAR16', 'FLAC', 'MULAW', 'Opus', 'OPUS']

type Test = (v: any) => unknown
const strings: Test = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')
/** Any object, arrays included (as the server sees them); not null. */
const object: Test = (v) => typeof v === 'object' && v !== null

/** The optional fields (`opus` ones: opus.ts, loaded only for Opus), in the order they are checked: names (space-separated; dotted is a path), what each must be, and the test. */
const RULES: Array<[string, string, Test]> = [
  ['config.confidenceThreshold', 'a number from 0 to 1 (Symbl documents 0.5 to 1)', (v) => finite(v) && v >= 0 && v <= 1],
  ['insightTypes customVocabulary', 'an array of strings', strings],
  [
    'trackers',
    'an array of { name: string, vocabulary: string[] }',
    (v) => Array.isArray(v) && v.every((x) => x && typeof x.name === 'string' && strings(x.vocabulary)),
  ],
  ['speaker', 'an object like { userId: "jane@example.com", name: "Jane" }', object],
  ['noConnectionTimeout disconnectOnStopRequestTimeout', 'whole seconds from 0 to 1800', (v) => Number.isInteger(v) && v >= 0 && v <= 1800],
  ['disconnectOnStopRequest', 'a boolean', (v) => typeof v === 'boolean'],
  ['maxQueueSeconds highWaterMark maxResendBytes', 'a positive number', (v) => finite(v, true)],
  ['onQueueFull', "'wait', 'drop-oldest' or 'error'", (v) => ['wait', 'drop-oldest', 'error'].includes(v)],
  ['signal', 'an AbortSignal', (v) => v && typeof v.addEventListener === 'function'],
  ['statsIntervalMs', 'a number of milliseconds from 100 to 2147483647', (v) => finite(v) && v >= 100 && v <= 2_147_483_647],
  ['microphone', 'true, or the options of sendAudioFromMic (an object)', (v) => typeof v === 'boolean' || (object(v) && !Array.isArray(v))],
  ['microphone.maxEarlySeconds', 'a number of seconds from 0 to 600', (v) => finite(v) && v <= 600],
]

export function newConnectionId(): string {
  const c = globalThis.crypto
  if (c?.randomUUID) return c.randomUUID()
  let id = ''
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16)
  return id
}

export function checkOptions(options: StreamingOptions): { id: string; format: AudioFormat } {
  if (!object(options)) throw new ValidationError('startConnection takes an options object, e.g. { insightTypes: ["question"] }')
  const id = options.id ?? newConnectionId()
  if (typeof id !== 'string' || !/^[a-zA-Z0-9-]{6,64}$/.test(id)) invalid('id', '6 to 64 letters, digits or dashes (a UUID works)', id)
  const { config = {} } = options
  if (!object(config)) invalid('config', 'an object', config)
  const sr = config.speechRecognition ?? {}
  const format: AudioFormat = { encoding: sr.encoding ?? 'LINEAR16', sampleRateHertz: sr.sampleRateHertz ?? 16000 }
  checkFormat(format, 'config.speechRecognition')
  for (const [names, expected, ok] of RULES) {
    for (const name of names.split(' ')) {
      const value = name.split('.').reduce((o: any, key) => o?.[key], options)
      if (value !== undefined && !ok(value)) invalid(name, expected, value)
    }
  }
  // Timer delays: bounded to what setTimeout can wait (src/utils/duration.ts).
  for (const name of ['startTimeoutMs', 'stopTimeoutMs'] as const) if (options[name] !== undefined) durationMs(name, options[name], true)
  if (options.resendTailMs !== undefined) durationMs('resendTailMs', options.resendTailMs)
  checkQueueBound(options, format, 'startConnection')
  return { id, format }
}

/**
 * The send queue's bounds (send-queue.ts says why two): `maxQueueSeconds` (default 10) of audio in
 * `format`, in bytes for raw PCM and FLAC (as 16-bit PCM at the declared rate for FLAC), in ms for
 * Opus, whose packets carry their duration. The other bound is Infinity.
 */
export function queueBound(options: StreamingOptions, format: AudioFormat): { bytes: number; ms: number } {
  const seconds = options.maxQueueSeconds ?? 10
  // To the µs: 2.01 * 1000 is 2009.9999999999998, which would refuse the packet that ends exactly at 2010 ms.
  if (isOpus(format)) return { bytes: Number.POSITIVE_INFINITY, ms: Math.round(seconds * 1e6) / 1e3 }
  return { bytes: Math.ceil(seconds * bytesPerSecond(format)), ms: Number.POSITIVE_INFINITY }
}

/**
 * `drop-oldest` keeps the queue exactly within its bound: raw PCM (LINEAR16, MULAW) can lose its
 * oldest bytes anywhere, even inside the newest frame, but a compressed frame cannot be cut, so with
 * FLAC the bound must hold one whole frame (MAX_FRAME bytes). Opus, bounded in time (no byte bound,
 * so it passes here), must hold the longest packet: opus.ts `checkOpusQueue`, in the Opus part.
 */
export function checkQueueBound(options: StreamingOptions, format: AudioFormat, where: string): void {
  if (options.onQueueFull !== 'drop-oldest' || isRawPcm(format) || queueBound(options, format).bytes >= MAX_FRAME) return
  const minimum = Math.ceil((MAX_FRAME / bytesPerSecond(format)) * 1000) / 1000
  throw new ValidationError(
    `${where}: maxQueueSeconds must be at least ${minimum} with onQueueFull 'drop-oldest' and ${format.encoding} at ${format.sampleRateHertz} Hz, ` +
      `so that the queue holds one whole ${MAX_FRAME}-byte frame (compressed frames cannot be cut), got ${options.maxQueueSeconds}`,
  )
}

export function checkFormat(format: AudioFormat, where: string): void {
  if (!ENCODINGS.includes(format.encoding)) invalid(`${where}.encoding`, `one of ${ENCODINGS.join(', ')}`, format.encoding)
  const rate = format.sampleRateHertz
  if (!(Number.isInteger(rate) && rate >= 8000 && rate <= 48000))
    invalid(`${where}.sampleRateHertz`, 'a whole number of Hz from 8000 to 48000', rate)
  // Opus's own rates are checked by opus.ts (checkOpusRate), loaded by every Opus connection before its start.
}
