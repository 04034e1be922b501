// Scores the emulator's sentiment sign on the blind group (test/fixtures/language-set-blind.ts): the
// same rule as language-eval.ts (a sentence is right when the emulator's `suggested` label has the
// labelled sign), plus the confusion per class, since the group carries sentiment labels only.
// Used by bench/language.ts (prints) and test/emulator/language.test.ts (reports).

import { sentimentOf } from '../../src/emulator/core/analysis/sentiment.js'
import type { BlindSentimentCase } from '../fixtures/language-set-blind.js'

type Sign = -1 | 0 | 1
const SIGN: Record<'positive' | 'neutral' | 'negative', Sign> = { positive: 1, neutral: 0, negative: -1 }
const NAME: Record<Sign, string> = { 1: 'positive', 0: 'neutral', [-1]: 'negative' }

export interface BlindMiss {
  t: string
  want: Sign
  got: Sign
  polarity: number
}
export interface BlindScore {
  right: number
  of: number
  /** confusion[want][got]: how many sentences labelled `want` the emulator called `got`. */
  confusion: Record<Sign, Record<Sign, number>>
  misses: BlindMiss[]
}

export function scoreBlind(cases: BlindSentimentCase[]): BlindScore {
  const row = (): Record<Sign, number> => ({ 1: 0, 0: 0, [-1]: 0 }) as Record<Sign, number>
  const s: BlindScore = { right: 0, of: 0, confusion: { 1: row(), 0: row(), [-1]: row() } as BlindScore['confusion'], misses: [] }
  for (const c of cases) {
    const r = sentimentOf(c.t)
    const got = SIGN[r.suggested]
    s.of++
    s.confusion[c.s][got]++
    if (got === c.s) s.right++
    else s.misses.push({ t: c.t, want: c.s, got, polarity: r.polarity.score })
  }
  return s
}

export function reportBlind(s: BlindScore): string {
  const line = (want: Sign): string => {
    const r = s.confusion[want]
    const n = r[1] + r[0] + r[-1]
    return `  ${NAME[want].padEnd(8)} right ${r[want]}/${n} (called positive ${r[1]}, neutral ${r[0]}, negative ${r[-1]})`
  }
  return [`blind group (${s.of}): sign accuracy ${(s.right / s.of).toFixed(2)} (${s.right}/${s.of})`, line(1), line(-1), line(0)].join('\n')
}

export const describeMiss = (m: BlindMiss): string => `${NAME[m.got]} (want ${NAME[m.want]}) ${m.polarity.toFixed(3)}: ${m.t}`
