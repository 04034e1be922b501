// Two-voice (or N-voice) recordings for the diarization test and bench, made at run time: each turn is
// spoken by espeak-ng in its voice, turns are joined by sox with 0.6 s of silence between them, and the
// truth is where each turn lies in the file. `speakerAccuracy` is the share of speech time labelled
// with the right speaker (under the best matching of labels to voices, as diarization numbers its own
// speakers): issue 16's "≥ 90 % consistently separated".

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const hasVoiceTools = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0

export interface Voice {
  /** espeak-ng arguments: voice variant, pitch (0–99) and speed. */
  args: string[]
}
export const VOICES: Voice[] = [
  { args: ['-v', 'en+m3', '-p', '35', '-s', '165'] },
  { args: ['-v', 'en+f3', '-p', '70', '-s', '175'] },
  { args: ['-v', 'en-us+m7', '-p', '55', '-s', '150'] },
]

export const TURNS = [
  'Good morning, thanks for joining the call today.',
  'Happy to be here. Can you walk me through the new pricing?',
  'Sure. The team plan is billed per seat, every month.',
  'And is there a discount if we sign for a whole year?',
  'Yes, annual contracts get two months free.',
  'That sounds reasonable. I will check with finance.',
  'Great. I will send you the quote by Friday.',
  'Perfect, thank you. Talk to you next week.',
]

export interface Turn {
  speaker: number
  start: number
  end: number
}

const run = (cmd: string, args: string[]): void => {
  const r = spawnSync(cmd, args)
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`)
}

/** sox-synthesised "voices": a sawtooth at the voice's pitch, gliding ±8 % and chopped into 4 Hz syllables. */
export const SYNTH_PITCHES = [110, 210, 155]

/**
 * A WAV of `turns` spoken in turn by the first `speakers` voices (turn i by voice order[i]): espeak-ng
 * voices, or with `synth` sox-made voices at different pitches (each turn as long as its text at 14 characters a second).
 */
export function conversationWav(
  speakers: number,
  { synth = false, order = TURNS.map((_t, i) => i % speakers) }: { synth?: boolean; order?: number[] } = {},
): { wav: Uint8Array; turns: Turn[] } {
  const dir = mkdtempSync(join(tmpdir(), 'emu-diarize-'))
  try {
    const parts: string[] = []
    const turns: Turn[] = []
    const silence = join(dir, 'silence.wav')
    run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', '0.6'])
    let time = 0
    TURNS.forEach((text, i) => {
      const speaker = order[i] as number
      const raw = join(dir, `raw-${i}.wav`)
      const part = join(dir, `turn-${i}.wav`)
      if (synth) {
        const f = SYNTH_PITCHES[speaker] as number
        const seconds = (text.length / 14).toFixed(2)
        run('sox', [
          '-n',
          '-r',
          '16000',
          '-c',
          '1',
          '-b',
          '16',
          raw,
          'synth',
          seconds,
          'sawtooth',
          `${f * 0.92}-${f * 1.08}`,
          'tremolo',
          '4',
          '95',
          'vol',
          '0.4',
        ])
      } else run('espeak-ng', [...(VOICES[speaker] as Voice).args, '-w', raw, text])
      // 16 kHz mono 16-bit, leading and trailing silence trimmed, so the truth is the turn's span.
      run('sox', [
        raw,
        '-r',
        '16000',
        '-c',
        '1',
        '-b',
        '16',
        part,
        'silence',
        '1',
        '0.02',
        '0.5%',
        'reverse',
        'silence',
        '1',
        '0.02',
        '0.5%',
        'reverse',
      ])
      const seconds = Number(spawnSync('soxi', ['-D', part]).stdout.toString().trim())
      if (i > 0) {
        parts.push(silence)
        time += 0.6
      }
      parts.push(part)
      turns.push({ speaker, start: time, end: time + seconds })
      time += seconds
    })
    const out = join(dir, 'conversation.wav')
    run('sox', [...parts, out])
    return { wav: new Uint8Array(readFileSync(out)), turns }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface Labelled {
  start: number
  end: number
  label: string
}

/** Share of the truth's speech time covered by segments with the right label, best label matching. */
export function speakerAccuracy(labelled: Labelled[], turns: Turn[]): { accuracy: number; speechSeconds: number } {
  const labels = [...new Set(labelled.map((l) => l.label))]
  const speakers = [...new Set(turns.map((t) => t.speaker))]
  const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start))
  const speech = turns.reduce((s, t) => s + (t.end - t.start), 0)
  let best = 0
  for (const mapping of permutations(speakers, labels.length)) {
    let right = 0
    for (const l of labelled) {
      const speaker = mapping[labels.indexOf(l.label)]
      for (const t of turns) if (t.speaker === speaker) right += overlap(l, t)
    }
    best = Math.max(best, right)
  }
  return { accuracy: speech ? best / speech : 0, speechSeconds: speech }
}

/** Every assignment of `n` labels to speakers (labels beyond the speakers map to none). */
function* permutations(speakers: number[], n: number, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === n) {
    yield prefix
    return
  }
  const free = speakers.filter((s) => !prefix.includes(s))
  for (const s of free.length ? free : [-1]) yield* permutations(speakers, n, [...prefix, s])
}
