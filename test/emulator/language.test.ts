// The language rules against the hand-labelled set (test/fixtures/language-set.ts), issue 16's targets:
// questions and action items >= 0.9 precision and >= 0.85 recall, person names >= 0.8 recall, sentiment
// sign >= 0.85 accuracy. `npx tsx bench/language.ts --why` prints the figures and every miss.

import { describe, expect, it } from 'vitest'
import { LANGUAGE_SET } from '../fixtures/language-set.js'
import { halves, precision, recall, score } from './language-eval.js'

describe('language rules on the labelled set', () => {
  const all = score(LANGUAGE_SET)
  const { dev, heldOut } = halves()

  it('has at least 150 sentences, a third held out', () => {
    expect(LANGUAGE_SET.length).toBeGreaterThanOrEqual(150)
    expect(heldOut.length).toBeGreaterThanOrEqual(50)
  })

  it('finds questions and action items (precision >= 0.9, recall >= 0.85), on both halves', () => {
    for (const s of [all, score(dev), score(heldOut)]) {
      expect(precision(s.question)).toBeGreaterThanOrEqual(0.9)
      expect(recall(s.question)).toBeGreaterThanOrEqual(0.85)
      expect(precision(s.actionItem)).toBeGreaterThanOrEqual(0.9)
      expect(recall(s.actionItem)).toBeGreaterThanOrEqual(0.85)
      expect(s.assignee.right / s.assignee.of).toBeGreaterThanOrEqual(0.9)
      expect(s.due.right / s.due.of).toBeGreaterThanOrEqual(0.9)
    }
  })

  it('finds person names, including names outside any lexicon (recall >= 0.8)', () => {
    expect(recall(all.people)).toBeGreaterThanOrEqual(0.8)
    expect(precision(all.people)).toBeGreaterThanOrEqual(0.9)
  })

  it('gives the sentiment sign: >= 0.85 on the rule-writing part; the held-out third is below target (0.73)', () => {
    const d = score(dev).sentiment
    expect(d.right / d.of).toBeGreaterThanOrEqual(0.85)
    // Known gap (issue 16): on the held-out third VADER's lexicon calls mild business words positive
    // or negative; the floor keeps it from getting worse, not the target.
    const h = score(heldOut).sentiment
    expect(h.right / h.of).toBeGreaterThanOrEqual(0.7)
  })
})
