// The language rules against the hand-labelled set (test/fixtures/language-set.ts), issue 16's targets:
// questions and action items >= 0.9 precision and >= 0.85 recall, person names >= 0.8 recall, sentiment
// sign >= 0.85 accuracy. `npx tsx bench/language.ts --why` prints the figures and every miss.

import { describe, expect, it } from 'vitest'
import { LANGUAGE_SET } from '../fixtures/language-set.js'
import { BLIND_SENTIMENT_SET } from '../fixtures/language-set-blind.js'
import { sentimentOf } from '../../src/emulator/core/analysis/sentiment.js'
import { reportBlind, scoreBlind } from './language-blind-eval.js'
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

  it('gives the sentiment sign: >= 0.85 on the rule-writing part and the held-out third; >= 0.8 on the later groups', () => {
    const { fresh, third } = halves()
    const share = (cases: typeof dev) => {
      const s = score(cases).sentiment
      return s.right / s.of
    }
    expect(share(dev)).toBeGreaterThanOrEqual(0.85)
    // Not clean measures any more (see the fixture and issue 16's notes): the held-out third's misses
    // were seen before the support-talk rules were written, and the later groups were written by the
    // same hand as the rules. These floors keep the figures from falling; a set written by someone who
    // has not seen the rules is the honest test.
    expect(share(heldOut)).toBeGreaterThanOrEqual(0.85)
    expect(share(fresh)).toBeGreaterThanOrEqual(0.8)
    expect(share(third)).toBeGreaterThanOrEqual(0.8)
  })

  it('reads support-call complaints and their opposites', () => {
    for (const t of [
      'The app crashes whenever I export a PDF.',
      "The printer won't connect to the network.",
      'The checkout takes forever.',
      'The fees are too high for a team our size.',
      'We are still waiting for the replacement.',
      'Nobody got back to us about the outage.',
    ])
      expect(sentimentOf(t).suggested, t).toBe('negative')
    for (const t of ['Nothing broke during the upgrade.', 'We had no downtime this quarter.', 'The new editor is much faster.'])
      expect(sentimentOf(t).suggested, t).toBe('positive')
    expect(sentimentOf("It's a little too early to tell.").suggested).toBe('neutral')
  })

  it('scores sentences on their own: a neutral sentence does not dilute a strong one', () => {
    const one = sentimentOf('It is really frustrating and annoying.').polarity.score
    const two = sentimentOf('We phoned them on Monday. We checked the cables twice. It is really frustrating and annoying.')
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

// The blind group (test/fixtures/language-set-blind.ts): 60 sentences labelled for sentiment only, by
// someone who had not seen the rules. Its figure is reported on every run. The floor is issue 16's
// target (0.85, 51/60), which the rules reached when the group was first scored (51/60 exactly). If a
// rule change drops it, do not tune rules against these sentences: that spends the group, and a new
// blind group written by someone who has not seen the rules is then needed for an honest figure.
describe('sentiment sign on the blind group', () => {
  const blind = scoreBlind(BLIND_SENTIMENT_SET)

  it('scores all 60 sentences, 20 of each sign, none copied from the labelled set', () => {
    expect(BLIND_SENTIMENT_SET).toHaveLength(60)
    for (const sign of [1, 0, -1] as const) expect(BLIND_SENTIMENT_SET.filter((c) => c.s === sign)).toHaveLength(20)
    expect(new Set(BLIND_SENTIMENT_SET.map((c) => c.t)).size).toBe(60)
    const { fresh, third } = halves()
    const seen = new Set([...LANGUAGE_SET, ...fresh, ...third].map((c) => c.t.toLowerCase()))
    for (const c of BLIND_SENTIMENT_SET) expect(seen.has(c.t.toLowerCase()), c.t).toBe(false)
    expect(blind.of).toBe(60)
    const c = blind.confusion
    expect(c[1][1] + c[0][0] + c[-1][-1]).toBe(blind.right)
    for (const want of [1, 0, -1] as const) expect(c[want][1] + c[want][0] + c[want][-1]).toBe(20)
    expect(blind.misses).toHaveLength(60 - blind.right)
  })

  it('reports the sign accuracy and the confusion, and holds issue 16 target (>= 0.85)', () => {
    const text = reportBlind(blind)
    console.log(text)
    expect(text).toContain(`blind group (60): sign accuracy ${(blind.right / 60).toFixed(2)}`)
    // counted in whole sentences (0.85 x 60 = 51), so the floor is not at the mercy of floating point
    expect(blind.right).toBeGreaterThanOrEqual(51)
  })
})
