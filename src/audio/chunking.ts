// The rate and chunk-size rules both capture paths share: the microphone (whose resampling runs in
// the AudioWorklet) and Linear16Encoder (Node files and streams). Their own module so that the
// microphone does not load the encoder and the checked Resampler it never uses on the main thread.
import { invalid } from '../http/check.js'

/** The API rejects LINEAR16 frames above 8192 bytes (contract 6.3). */
export const MAX_CHUNK_SAMPLES = 4096

export function validateTargetRate(rate: number): number {
  if (!Number.isInteger(rate) || rate < 8000 || rate > 48000) invalid('targetSampleRate', 'a whole number of Hz from 8000 to 48000', rate)
  return rate
}

export function chunkSamplesFor(chunkMs: number, rate: number): number {
  // typeof first: '20' compares as a number and would have been taken.
  if (!(typeof chunkMs === 'number' && chunkMs > 0 && chunkMs <= 10_000))
    invalid('chunkMs', 'a number of milliseconds above 0, at most 10000', chunkMs)
  return Math.max(1, Math.min(MAX_CHUNK_SAMPLES, Math.round((chunkMs * rate) / 1000)))
}
