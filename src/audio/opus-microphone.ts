// The microphone as Opus packets: the usual capture (getUserMedia → AudioWorklet → resampler →
// LINEAR16 at the Opus rate) feeding the browser's Opus encoder. The handle is the capture's own,
// except that `stop()` also flushes the encoder, so the last packet is out before it resolves (the
// connection sends `stop_request` after it); a capture that ends by itself (device lost) flushes too
// before `onEnded` is called. `mute()` zero-fills the PCM: the encoder goes on making packets of
// silence every 20 ms, so the stream keeps its timing.
//
// An encoder failure goes to `onError` as a SymblError with code 'microphone' and the capture ends
// (not a MicrophoneError: importing that class here would split it from the capture's chunk into
// a file of its own, which every LINEAR16 page would then fetch).
import { SymblError } from '../errors.js'
import { OpusEncoder, type OpusEncoderSettings } from './opus-encoder.js'
import type { MicrophoneHandle, MicrophoneOptions } from './types.js'

/** `options.onChunk` receives Opus packets (one ArrayBuffer each) instead of PCM; `targetSampleRate` is the encoder's rate. */
export async function captureOpus(
  capture: (options: MicrophoneOptions) => Promise<MicrophoneHandle>,
  options: MicrophoneOptions & { targetSampleRate: number },
  bitrate: number,
  onError: (error: SymblError) => void,
): Promise<MicrophoneHandle> {
  const settings: OpusEncoderSettings = { sampleRate: options.targetSampleRate, bitrate }
  let handle: MicrophoneHandle | undefined
  let failed = false
  const fail = (error: unknown) => {
    if (failed) return
    failed = true
    onError(
      new SymblError('microphone', `The browser's Opus encoder failed: ${String((error as Error)?.message ?? error)}`, { cause: error }),
    )
  }
  const encoder = new OpusEncoder(settings, options.onChunk, (error) => {
    // The encoder is dead: end the capture rather than stream nothing.
    fail(error)
    void handle?.stop()
  })
  let ended: Promise<void> | undefined
  try {
    handle = await capture({
      ...options,
      onChunk: (pcm) => {
        try {
          encoder.encode(pcm)
        } catch (error) {
          // Thrown here it would surface in the capture's message handler, where nobody can catch it.
          fail(error)
          void handle?.stop()
        }
      },
      onEnded: (error) => {
        // Runs inside the capture's stop (or when the device went away), after its last PCM chunk.
        ended = encoder
          .flush()
          .catch(fail)
          .then(() => {
            encoder.close()
            options.onEnded?.(error)
          })
      },
    })
  } catch (error) {
    encoder.close()
    throw error
  }
  const inner = handle
  const stop = async () => {
    await inner.stop()
    await ended
  }
  // The capture's handle with its own stop: everything else (getters included) read from it.
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'stop') return stop
      const value = Reflect.get(target, key, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
