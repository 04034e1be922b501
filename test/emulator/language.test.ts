// The language rules against the hand-labelled set (test/fixtures/language-set.ts), issue 16's targets:
// questions and action items >= 0.9 precision and >= 0.85 recall, person names >= 0.8 recall, sentiment
// sign >= 0.85 accuracy. `npx tsx bench/language.ts --why` prints the figures and every miss.

import { describe, expect, it } from 'vitest'
import { LANGUAGE_SET } from '../fixtures/language-set.js'
import { sentimentOf } from '../../src/emulator/core/analysis/sentiment.js'
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

  it('gives the sentiment sign: >= 0.85 on the rule-writing part; both held-out groups are below target', () => {
    const { fresh } = halves()
    const d = score(dev).sentiment
    expect(d.right / d.of).toBeGreaterThanOrEqual(0.85)
    // Known gap (issue 16): on the held-out third (0.82) and the second held-out group (0.80) misses
    // are words VADER's lexicon lacks or scores against business talk; the floors keep it from getting
    // worse, they are not the target.
    const h = score(heldOut).sentiment
    expect(h.right / h.of).toBeGreaterThanOrEqual(0.8)
    const f = score(fresh).sentiment
    expect(f.right / f.of).toBeGreaterThanOrEqual(0.75)
  })

  it('scores sentences on their own: a neutral sentence does not dilute a strong one', () => {
    const one = sentimentOf('It is really frustrating and annoying.').polarity.score
    const two = sentimentOf('The line drops every call. We checked the cables twice. It is really frustrating and annoying.')
    expect(two.suggested).toBe('negative')
    expect(two.polarity.score).toBeCloseTo(one, 1)
    // and the stronger sentence wins over a milder one of the other sign
    expect(sentimentOf('Thanks for calling. The outage cost us a terrible, awful week.').suggested).toBe('negative')
  })

  it('reads business talk: intensifiers, hedges, topic words, questions', () => {
    // "definitely" stresses the word (VADER alone scores it +1.7, which cancels "annoying")
    expect(sentimentOf('The new screen is definitely annoying.').suggested).toBe('negative')
    expect(sentimentOf('The new screen is definitely confusing.').polarity.score).toBeLessThan(
      sentimentOf('The new screen is confusing.').polarity.score,
    )
    expect(sentimentOf("I don't think the plan will hold.").polarity.score).toBeLessThan(0)
    expect(sentimentOf('Our support team answers within an hour.').suggested).toBe('neutral')
    expect(sentimentOf('It looks like the meeting moved to Monday.').suggested).toBe('neutral')
    expect(sentimentOf('The printer stopped working again.').suggested).toBe('negative')
    // a question's words count half: asking whether the upgrade is free is not praise
    const asked = sentimentOf('Is the upgrade free?').polarity.score
    expect(asked).toBeCloseTo(sentimentOf('The upgrade is free.').polarity.score / 2, 2)
    expect(sentimentOf('Is the upgrade free?').suggested).toBe('neutral')
    expect(sentimentOf('Why does the export fail every single night?').suggested).toBe('negative')
  })

  it('reads conversational phrases and contrast beyond "but"', () => {
    // reassurance idioms are not problems; discourse markers and greeting formulas carry no feeling
    for (const t of ['No worries.', 'Sure, no problem.', 'Not a problem at all.'])
      expect(sentimentOf(t).polarity.score, t).toBeGreaterThan(0)
    expect(sentimentOf("To be honest, I'm not thrilled.").suggested).toBe('negative')
    expect(sentimentOf("I'm afraid we can't do that.").suggested).toBe('negative')
    expect(sentimentOf('Good morning everyone.').suggested).toBe('neutral')
    // although/however: the main clause (or the sentence after "However") weighs more
    expect(sentimentOf('Although the setup was painful, the product works great.').suggested).toBe('positive')
    expect(sentimentOf('The product works great, although the setup was painful.').suggested).toBe('positive')
    expect(sentimentOf('The product is great. However, the setup was painful.').polarity.score).toBeLessThan(0)
  })
})
