// Resampler speed and quality figures, plus the size of the browser microphone code.
// Run: npx tsx bench/resampler.ts

import { minGzipSize } from './_bundle.js'
import { Resampler } from '../src/audio/resampler.js'
import { measureQuality } from '../test/node/audio-measure.js'

const INPUT_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000]

/** Real-time factor for `seconds` of noise through inRate -> outRate in `block`-sample blocks, best of `runs`. */
function speed(inRate: number, outRate: number, block: number, seconds = 15, runs = 8): number {
  const x = new Float32Array(inRate * seconds)
  for (let i = 0; i < x.length; i++) x[i] = Math.random() * 2 - 1
  let best = Infinity
  // Run 0 is a warm-up (JIT); the figure is the best of the timed runs, as other processes share the cores.
  for (let r = 0; r <= runs; r++) {
    const rs = new Resampler({ inputRate: inRate, outputRate: outRate })
    const out = new Float32Array(rs.maxOutputLength(block))
    const t0 = performance.now()
    for (let o = 0; o < x.length; o += block) rs.process(x.subarray(o, o + block), out)
    rs.flush()
    if (r > 0) best = Math.min(best, performance.now() - t0)
  }
  return (seconds * 1000) / best
}

/** Worst |output count - exact| after 60 s of input at every listed rate, in blocks of 4099. */
function countError(outRate: number): number {
  let worst = 0
  const block = new Float32Array(4099)
  for (const rate of INPUT_RATES) {
    const r = new Resampler({ inputRate: rate, outputRate: outRate })
    for (let left = rate * 60; left > 0; left -= block.length) r.process(block.subarray(0, Math.min(left, block.length)))
    worst = Math.max(worst, Math.abs(r.outputCount + r.flush().length - outRate * 60))
  }
  return worst
}

/** The microphone capture code (worklet source included) as an app bundles it, min+gzip. */
async function bundleSize(): Promise<{ min: number; gz: number }> {
  // Used, not re-exported: an app build keeps no entry exports (bench/_bundle.ts), so a bare
  // re-export bundled to nothing and this line printed 0.0 kB.
  const { min, gzip } = await minGzipSize(
    `import { captureMicrophone } from '${process.cwd()}/src/audio/microphone.ts'; export const c = captureMicrophone`,
  )
  return { min, gz: gzip }
}

const fmt = (n: number, d = 1) => n.toFixed(d)

for (const [inRate, outRate] of [
  [48000, 16000],
  [44100, 16000],
  [96000, 16000],
]) {
  const x4096 = speed(inRate, outRate, 4096)
  const x128 = speed(inRate, outRate, 128)
  const q = measureQuality(() => new Resampler({ inputRate: inRate, outputRate: outRate }), inRate, outRate)
  console.log(
    `resampler ${inRate}->${outRate}: ${fmt(x4096, 0)}x real time (one core; ${fmt(x128, 0)}x in 128-frame worklet blocks); ` +
      `passband ±${fmt(q.passbandDb, 4)} dB to 7 kHz; alias rejection ${fmt(q.rejectionDb)} dB (worst at ${fmt(q.worstFreq, 0)} Hz)`,
  )
}
console.log(`sample-count error over 60 s (8–96 kHz inputs -> 16 kHz): ${countError(16000)}`)
const size = await bundleSize()
console.log(`microphone + worklet code: ${fmt(size.min / 1024)} kB min, ${fmt(size.gz / 1024)} kB min+gzip`)
