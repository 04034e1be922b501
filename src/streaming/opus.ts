// The Opus part of a streaming connection, loaded on first use (only by a connection whose encoding
// is Opus), so a LINEAR16 page downloads none of it: the packet check of `sendAudio`, the encoder
// check before `start_request` with its LINEAR16 fallback, and the microphone → Opus capture.
import { opusUnsupported } from '../audio/opus-encoder.js'
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

/**
 * Before `start_request`: a connection whose Opus the browser encodes (see `OpusOptions.encoder`)
 * checks that this browser can; if not, it sends LINEAR16 at 16 kHz instead and says why. A
 * connection of app-encoded packets is never changed (the app, not the browser, makes the Opus).
 */
export async function opusFallback(
  format: AudioFormat,
  options: OpusOptions | undefined,
  canCapture: boolean,
): Promise<EncodingFallback | undefined> {
  if (opusEncoder(options, canCapture) === 'app') return undefined
  const reason = await opusUnsupported({ sampleRate: format.sampleRateHertz, bitrate: options?.bitrate ?? DEFAULT_OPUS_BITRATE })
  return reason === undefined ? undefined : { from: { ...format }, to: { ...FALLBACK }, reason }
}
