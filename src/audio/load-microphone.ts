// The browser entry's captureMicrophone: a stub that loads the capture code on first use. Because
// nothing imports microphone.ts statically, bundlers put it in its own chunk, so an app that never
// opens the microphone does not ship it (the AudioWorklet source included).
import type { MicrophoneHandle, MicrophoneOptions } from './microphone.js'
import { loadPart } from '../utils/load-part.js'

/**
 * Captures the microphone: getUserMedia → AudioWorklet → LINEAR16 chunks at `targetSampleRate`
 * (default 16 kHz) handed to `onChunk`. See MicrophoneOptions and MicrophoneHandle.
 */
export async function captureMicrophone(options: MicrophoneOptions): Promise<MicrophoneHandle> {
  return (await loadPart('microphone capture', () => import('./microphone.js'))).captureMicrophone(options)
}
