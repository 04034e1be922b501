// Node side of the Opus browser tests (issue 14): what the test server received on an Opus
// connection, decoded as a real server would, one decoder per session (a reconnect is a new
// stream): each packet with libopus (opus-decoder, WASM), the sessions' packets for the browser to
// compare with what it sent, and the pitch and level of the longest stretch of sound.
import { OpusDecoder, type OpusDecoderSampleRate } from 'opus-decoder'
import { dominantFrequency, rms, steadyToneAmplitude } from '../node/audio-measure.js'
import { concat } from '../fixtures/concat.js'

export interface OpusReceived {
  /** Per session (socket), its packets in arrival order, base64. */
  sessions: string[][]
  /** Samples each packet decoded to, per session (960 for 20 ms at 48 kHz). */
  decodedSamples: number[][]
  /** Packets libopus reported errors for. */
  decodeErrors: number
  /** Over the first session's longest stretch of sound (block RMS > 0.01, at most 0.5 s): its length, pitch and level. */
  longestLoudMs: number
  dominantHz: number
  amplitude: number
  /** The first session's longest run of near silence (block RMS < 0.001): a muted microphone. */
  longestQuietMs: number
}

export async function opusReceived(sessions: Buffer[][], rate: number): Promise<OpusReceived> {
  const decodedSamples: number[][] = []
  let decodeErrors = 0
  let first: Float32Array = new Float32Array(0)
  for (const [index, packets] of sessions.entries()) {
    const decoder = new OpusDecoder({ sampleRate: rate as OpusDecoderSampleRate, channels: 1 })
    await decoder.ready
    const parts: Float32Array[] = []
    const counts: number[] = []
    for (const packet of packets) {
      const out = decoder.decodeFrame(new Uint8Array(packet))
      decodeErrors += out.errors.length
      counts.push(out.samplesDecoded)
      parts.push(out.channelData[0].slice(0, out.samplesDecoded))
    }
    decoder.free()
    decodedSamples.push(counts)
    if (index === 0) first = concat(parts, Float32Array)
  }
  return {
    sessions: sessions.map((s) => s.map((p) => p.toString('base64'))),
    decodedSamples,
    decodeErrors,
    ...measure(first, rate),
  }
}

/**
 * Decoded Opus has no exact zeros where the microphone was silent (the codec's noise floor), so
 * stretches of sound are runs of 5 ms blocks above RMS 0.01, not stretches between zeros. The first
 * and last 10 ms of a stretch are left out (the codec's attack and decay smear an edge).
 */
function measure(x: Float32Array, rate: number): Pick<OpusReceived, 'longestLoudMs' | 'dominantHz' | 'amplitude' | 'longestQuietMs'> {
  const block = Math.round(rate / 200)
  const best = longestRun(x, block, (level) => level > 0.01)
  const quiet = longestRun(x, block, (level) => level < 0.001)
  const edge = Math.round(rate / 100)
  const from = best.start + edge
  const stretch = x.subarray(from, from + Math.max(0, Math.min(best.length - 2 * edge, Math.round(rate / 2))))
  const dominantHz = stretch.length ? dominantFrequency(stretch, rate, 100, Math.min(7000, rate / 2 - 100), 5) : 0
  return {
    longestLoudMs: (best.length * 1000) / rate,
    dominantHz,
    amplitude: stretch.length ? steadyToneAmplitude(stretch, dominantHz, rate) : 0,
    longestQuietMs: (quiet.length * 1000) / rate,
  }
}

/** The longest run of blocks whose RMS passes `test`, in samples. */
function longestRun(x: Float32Array, block: number, test: (level: number) => boolean): { start: number; length: number } {
  let best = { start: 0, length: 0 }
  let start = -1
  const blocks = Math.floor(x.length / block)
  for (let b = 0; b <= blocks; b++) {
    const pass = b < blocks && test(rms(x.subarray(b * block, (b + 1) * block)))
    if (pass && start < 0) start = b * block
    if (!pass && start >= 0) {
      if (b * block - start > best.length) best = { start, length: b * block - start }
      start = -1
    }
  }
  return best
}
