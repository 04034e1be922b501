// Speakers from audio (issue 16): the emulator's diarization on recordings made at run time (espeak-ng
// voices, and sox-synthesised voices at different pitches; test/emulator/diarization-audio.ts), through
// the upload path (AudioIngest: WAV parsing, speech segments, voice features, clustering). Prints the
// share of speech time on the right speaker (target >= 90 % for two voices), of all the speech and of
// the speech the segmenter found, and the time taken per minute of audio.
import { LiveDiarizer } from '../src/emulator/core/audio/diarize.js'
import { AudioIngest } from '../src/emulator/core/audio/ingest.js'
import { SpeechSegmenter } from '../src/emulator/core/audio/segments.js'
import { VoiceFeatures } from '../src/emulator/core/audio/voice.js'
import { WavParser } from '../src/emulator/core/audio/wav.js'
import { conversationWav, hasVoiceTools, speakerAccuracy } from '../test/emulator/diarization-audio.js'

if (!hasVoiceTools) {
  console.log('diarization: skipped (needs espeak-ng and sox: apt-get install -y espeak-ng sox)')
  process.exit(0)
}
// Turn orders: alternating, and (`*`) one where a voice speaks several turns before the next is heard.
for (const [name, speakers, synth, order] of [
  ['espeak-ng, 2 voices', 2, false, undefined],
  ['espeak-ng, 2 voices *', 2, false, [0, 0, 0, 1, 0, 1, 1, 0]],
  ['espeak-ng, 3 voices', 3, false, undefined],
  ['espeak-ng, 3 voices *', 3, false, [0, 0, 1, 1, 2, 2, 0, 1]],
  ['sox pitches, 2 voices', 2, true, undefined],
  ['sox pitches, 3 voices', 3, true, undefined],
] as const) {
  const { wav, turns } = conversationWav(speakers, order ? { synth, order: [...order] } : { synth })
  const t0 = performance.now()
  const ingest = new AudioIngest(speakers)
  for (let i = 0; i < wav.length; i += 65536) await ingest.push(wav.subarray(i, i + 65536))
  const result = await ingest.finish()
  const ms = performance.now() - t0
  if ('error' in result) throw new Error(result.error)
  const { speechSegments, speakers: labels = [], durationSeconds = 0 } = result.info
  const labelled = speechSegments.map((s, i) => ({ ...s, label: String(labels[i]) }))
  const { accuracy, speechSeconds } = speakerAccuracy(labelled, turns)
  const found = speechSegments.reduce((s, x) => s + (x.end - x.start), 0)
  // Of the speech found: the right-speaker time over the segments' time inside the truth's turns.
  const inside = speakerAccuracy(
    labelled.map((l) => ({ ...l, label: 'all' })),
    turns.map((t) => ({ ...t, speaker: 0 })),
  ).accuracy
  console.log(
    `${name.padEnd(22)} right speaker ${(accuracy * 100).toFixed(1)} % of ${speechSeconds.toFixed(1)} s of speech ` +
      `(${((accuracy / (inside || 1)) * 100).toFixed(1)} % of the ${found.toFixed(1)} s found), ${speechSegments.length} segments, ` +
      `${((ms / durationSeconds) * 60).toFixed(0)} ms per minute of audio`,
  )
}

// Live streams: the same audio in 100 ms chunks, each segment labelled as it ends.
for (const [name, speakers, synth, order] of [
  ['live, espeak-ng 2', 2, false, undefined],
  ['live, espeak-ng 2 *', 2, false, [0, 0, 0, 1, 0, 1, 1, 0]],
  ['live, espeak-ng 3', 3, false, undefined],
  ['live, sox pitches 2', 2, true, undefined],
  ['live, sox pitches 3', 3, true, undefined],
] as const) {
  const { wav, turns } = conversationWav(speakers, order ? { synth, order: [...order] } : { synth })
  const parser = new WavParser()
  const samples = parser.push(wav) as Float32Array
  const rate = parser.format?.sampleRate ?? 16000
  const voices = new VoiceFeatures()
  const diarizer = new LiveDiarizer(speakers)
  const labelled: Array<{ start: number; end: number; label: string }> = []
  const segmenter = new SpeechSegmenter({ onSegment: (s) => labelled.push({ ...s, label: String(diarizer.label(s, voices.frames)) }) })
  const step = rate / 10
  for (let i = 0; i < samples.length; i += step) {
    const chunk = samples.subarray(i, i + step)
    voices.push(chunk, rate)
    segmenter.push(chunk, rate)
  }
  segmenter.finish()
  const { accuracy, speechSeconds } = speakerAccuracy(labelled, turns)
  console.log(
    `${name.padEnd(22)} right speaker ${(accuracy * 100).toFixed(1)} % of ${speechSeconds.toFixed(1)} s of speech, ${new Set(labelled.map((l) => l.label)).size} speakers told`,
  )
}
