import { it } from 'vitest'
import { captureMicrophone } from '../../src/audio/microphone.js'
import { dominantFrequency, rms, windowedMagnitude } from '../node/audio-measure.js'
it('probe', async () => {
  const chunks: ArrayBuffer[] = []
  const h = await captureMicrophone({ constraints: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }, onChunk: (b) => chunks.push(b) })
  await new Promise(r => setTimeout(r, 2500))
  await h.stop()
  const all = chunks.flatMap((b) => Array.from(new Int16Array(b), (v) => v / 32768))
  // segments of 1600 samples
  const segs = []
  for (let o = 0; o + 1600 <= all.length; o += 1600) { const s = all.slice(o, o + 1600); segs.push([o/16000, rms(s).toFixed(4), dominantFrequency(s, 16000, 100, 7900, 10)].join(':')) }
  console.log('rate', h.sampleRate, 'settings', JSON.stringify(h.track.getSettings()), 'label', h.track.label)
  console.log('segs', segs.join(' '))
})
