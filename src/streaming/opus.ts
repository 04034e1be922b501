// The Opus part of a streaming connection, loaded on first use (only by a connection whose encoding
// is Opus, or that was given `opus` options to check), so a LINEAR16 page downloads none of it
// (issue 14: 0 bytes of Opus on a page that never asks for it). Everything Opus lives here: the
// `opus` options and the Opus rates checked, the encoder check before `start_request` with its
// LINEAR16 fallback, the packet check of `sendAudio`, the 20 ms of a browser-encoded packet and
// the microphone → Opus capture. The connection keeps only the dispatch: load this part before the
// start, and call it where it is loaded (each function does nothing on a format that is not Opus).
import type { SymblClient } from '../client.js'
import type { MicrophoneHandle, MicrophoneOptions } from '../audio/types.js'
import { captureOpus } from '../audio/opus-microphone.js'
import { OPUS_FRAME_MS, opusUnsupported } from '../audio/opus-encoder.js'
import { opusPacketMs } from '../audio/opus-packet.js'
import { ConfigError, type SymblError, ValidationError } from '../errors.js'
import { invalid } from '../http/check.js'
import type { AudioFormat } from './frames.js'
import type { EncodingFallback, OpusOptions, StreamingOptions } from './types.js'

// Nothing here is imported from the connection's own modules (frames.ts, options.ts, send-queue.ts):
// a module shared by the connection and this part would be split by the bundler into a chunk of its
// own, one more file for every page. So `isOpus` is frames.ts's one line again, and MAX_FRAME is passed.
const isOpus = (format: AudioFormat): boolean => format.encoding === 'OPUS' || format.encoding === 'Opus'

/** Default target bit rate: Symbl's web SDK's, and clear speech (8× less than LINEAR16 at 16 kHz). */
export const DEFAULT_OPUS_BITRATE = 32_000

/** Opus decodes at 8, 12, 16, 24 or 48 kHz; the contract takes Opus from 16000 to 48000 (6.2). */
const OPUS_RATES = [16000, 24000, 48000]

/** The `opus` options (the other options: options.ts), each named in the ValidationError of a bad value. */
function checkOpusOptions(opus: unknown): void {
  if (opus === undefined) return
  if (typeof opus !== 'object' || opus === null || Array.isArray(opus)) invalid('opus', 'an object such as { bitrate: 32000 }', opus)
  const { encoder, bitrate } = opus as OpusOptions
  if (encoder !== undefined && encoder !== 'browser' && encoder !== 'app') invalid('opus.encoder', "'browser' or 'app'", encoder)
  if (bitrate !== undefined && !(Number.isInteger(bitrate) && bitrate >= 6000 && bitrate <= 510_000))
    invalid('opus.bitrate', 'a whole number of bit/s from 6000 to 510000', bitrate)
}

/** What a LINEAR16 fallback sends: 16 kHz, the rate speech recognition runs at (48 kHz PCM would triple the bytes for nothing). */
const FALLBACK: AudioFormat = { encoding: 'LINEAR16', sampleRateHertz: 16_000 }

/** Who encodes: the browser (`sendAudioFromMic`) where the runtime can capture a microphone, else the app. */
export function opusEncoder(options: OpusOptions | undefined, canCapture: boolean): 'browser' | 'app' {
  return options?.encoder ?? (canCapture ? 'browser' : 'app')
}

/** sendAudioFromMic on an Opus connection: refused where the app makes the packets. */
export function checkMicrophone(options: OpusOptions | undefined): void {
  if (opusEncoder(options, true) === 'app')
    throw new ValidationError(
      "sendAudioFromMic encodes the microphone with the browser's Opus encoder, but this connection was started with opus.encoder 'app' (your code sends the packets): leave opus.encoder out, or set it to 'browser'",
    )
}

/**
 * Before `start_request`: a connection whose Opus the browser encodes (see `OpusOptions.encoder`)
 * checks that this browser can; if not, it sends LINEAR16 at 16 kHz instead and says why. A
 * connection of app-encoded packets is never changed (the app, not the browser, makes the Opus).
 * `opus.encoder: 'browser'` where nothing can capture a microphone is a ConfigError.
 */
export async function opusFallback(
  format: AudioFormat,
  options: OpusOptions | undefined,
  canCapture: boolean,
): Promise<EncodingFallback | undefined> {
  if (!canCapture && options?.encoder === 'browser')
    throw new ConfigError(
      "opus.encoder 'browser' needs a browser (its WebCodecs AudioEncoder and microphone): here, encode the Opus yourself and send each packet with sendAudio (opus.encoder 'app', the default outside browsers)",
    )
  if (opusEncoder(options, canCapture) === 'app') return undefined
  const reason = await opusUnsupported({ sampleRate: format.sampleRateHertz, bitrate: options?.bitrate ?? DEFAULT_OPUS_BITRATE })
  return reason === undefined ? undefined : { from: { ...format }, to: { ...FALLBACK }, reason }
}

/** An Opus format's rate is one Opus takes (`where`: the option's path for the error). Other encodings: nothing. */
export function checkOpusRate(format: AudioFormat, where: string): void {
  const rate = format.sampleRateHertz
  if (isOpus(format) && !OPUS_RATES.includes(rate))
    invalid(`${where}.sampleRateHertz`, `for ${format.encoding} one of ${OPUS_RATES.join(', ')}`, rate)
}

/**
 * Before the first `start_request` (and before any socket): checks the `opus` options and the Opus
 * rate, then on an Opus connection decides the fallback (see `opusFallback`), logged here; the
 * connection switches its format and emits the `fallback` event.
 */
export async function prepareOpus(
  format: AudioFormat,
  options: StreamingOptions,
  client: Pick<SymblClient, 'log' | 'platform'>,
): Promise<EncodingFallback | undefined> {
  checkOpusOptions(options.opus)
  if (!isOpus(format)) return undefined
  checkOpusRate(format, 'config.speechRecognition')
  checkOpusQueue(options, format, 'startConnection')
  const fallback = await opusFallback(format, options.opus, Boolean(client.platform.captureMicrophone))
  if (fallback) client.log('warn', `Opus fell back to LINEAR16 16 kHz: ${fallback.reason}`)
  return fallback
}

/** The longest Opus packet, in seconds (RFC 6716 section 3.2.5: at most 120 ms of audio in one packet). */
const PACKET_MAX_SECONDS = 0.12

/**
 * `onQueueFull: 'drop-oldest'` drops whole packets, never a part of one: on an Opus connection the
 * queue's time bound must hold the longest packet (the other encodings: options.ts checkQueueBound).
 */
export function checkOpusQueue(options: StreamingOptions, format: AudioFormat, where: string): void {
  if (!isOpus(format) || options.onQueueFull !== 'drop-oldest' || (options.maxQueueSeconds ?? 10) >= PACKET_MAX_SECONDS) return
  throw new ValidationError(
    `${where}: maxQueueSeconds must be at least ${PACKET_MAX_SECONDS} with onQueueFull 'drop-oldest' and ${format.encoding}, ` +
      `so that the queue holds one whole Opus packet (up to 120 ms, RFC 6716; packets cannot be cut), got ${options.maxQueueSeconds}`,
  )
}

/** `sendAudio` on an Opus connection: the buffer must be one packet (RFC 6716, checked) of at most `maxBytes`; its duration, from its TOC byte. */
export function packetMs(bytes: Uint8Array, format: AudioFormat, maxBytes: number): number | undefined {
  return isOpus(format) ? opusPacketMs(bytes, maxBytes) : undefined
}

/** How long a microphone chunk lasts on an Opus connection: the browser's encoder makes 20 ms packets. */
export function chunkMs(format: AudioFormat): number | undefined {
  return isOpus(format) ? OPUS_FRAME_MS : undefined
}

/**
 * `sendAudioFromMic` on an Opus connection: the capture with the browser's encoder after it (at
 * `opus.bitrate`), refused where the app encodes. Undefined for other formats (the plain capture).
 */
export function opusCapture(
  format: AudioFormat,
  options: OpusOptions | undefined,
  capture: (options: MicrophoneOptions) => Promise<MicrophoneHandle>,
  onError: (error: SymblError) => void,
): ((options: MicrophoneOptions & { targetSampleRate: number }) => Promise<MicrophoneHandle>) | undefined {
  if (!isOpus(format)) return undefined
  checkMicrophone(options)
  return (mic) => captureOpus(capture, mic, options?.bitrate ?? DEFAULT_OPUS_BITRATE, onError)
}
