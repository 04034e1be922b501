// The emulator's cost of decoding Opus streams (issue 14): CPU time per second of audio to check and
// decode raw 20 ms packets (StreamDecoder, as a live stream does; the speech segmenter after it is
// not counted), so one can tell how many real-time Opus streams one core of the emulator follows. Packets are made by
// libopus (opusscript) from 60 s of a voice-like signal (a 140 Hz buzz with harmonics, syllables of
// 200 ms with gaps).

import { performance } from 'node:perf_hooks'
import OpusScript from 'opusscript'
import { StreamDecoder } from '../src/emulator/core/audio/stream-decoder.js'

const RATE = 48000
const SECONDS = 60
const samples = new Int16Array(RATE * SECONDS)
for (let i = 0; i < samples.length; i++) {
  const t = i / RATE
  const syllable = Math.floor(t / 0.2) % 3 !== 2 ? Math.sin(Math.PI * ((t % 0.2) / 0.2)) : 0
  let v = 0
  for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * 140 * h * t) / h
  samples[i] = Math.round(8000 * syllable * v)
}
const encoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP)
encoder.setBitrate(32000)
const packets: Uint8Array[] = []
for (let at = 0; at + 960 <= samples.length; at += 960)
  packets.push(new Uint8Array(encoder.encode(Buffer.from(samples.buffer, at * 2, 960 * 2), 960)))
encoder.delete()
const bytes = packets.reduce((n, p) => n + p.length, 0)

async function decodeOnce(): Promise<{ ms: number; seconds: number }> {
  let decoded = 0
  const decoder = new StreamDecoder('OPUS', RATE, {
    samples: (s, rate) => (decoded += s.length / rate),
    problem: (details) => {
      throw new Error(details)
    },
  })
  decoder.push(packets[0])
  await decoder.idle() // the WASM load is not part of the per-second cost
  const started = performance.now()
  for (const p of packets.slice(1)) decoder.push(p)
  await decoder.idle()
  const ms = performance.now() - started
  await decoder.end()
  return { ms, seconds: decoded }
}

await decodeOnce() // warm-up (JIT)
// One after the other: decoding is synchronous once loaded, so runs side by side would time each other.
const runs = [await decodeOnce(), await decodeOnce(), await decodeOnce()]
const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b))
const perSecond = best.ms / best.seconds
console.log(`emulator Opus stream decode: ${packets.length} packets, ${SECONDS} s at ${((bytes * 8) / SECONDS / 1000).toFixed(1)} kbit/s`)
console.log(
  `  ${perSecond.toFixed(2)} ms CPU per second of audio (best of 3): one core follows ~${Math.floor(1000 / perSecond)} real-time Opus streams`,
)
