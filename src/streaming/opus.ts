// The Opus part of a streaming connection, loaded on first use (only by a connection whose encoding
// is Opus), so a LINEAR16 page downloads none of it: the packet check of `sendAudio`, the encoder
// check before `start_request` with its LINEAR16 fallback, and the microphone → Opus capture.
import { opusUnsupported } from '../audio/opus-encoder.js'
import { ConfigError, ValidationError } from '../errors.js'
import type { AudioFormat } from './frames.js'
import type { EncodingFallback, OpusOptions } from './types.js'

export { captureOpus } from '../audio/opus-microphone.js'
export { opusPacketMs } from '../audio/opus-packet.js'

/** Default target bit rate: Symbl's web SDK's, and clear speech (8× less than LINEAR16 at 16 kHz). */
export const DEFAULT_OPUS_BITRATE = 32_000

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
