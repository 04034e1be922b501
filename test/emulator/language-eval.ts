// Scores the emulator's language rules on the hand-labelled set (test/fixtures/language-set.ts):
// per-label precision and recall, on the rule-writing part and on the held-out third separately.
// Used by bench/language.ts (prints) and test/emulator/language.test.ts (asserts the targets).

import { extractEntities } from '../../src/emulator/core/analysis/entities.js'
import { type InsightContext, insightsOf } from '../../src/emulator/core/analysis/insights.js'
import { sentimentOf } from '../../src/emulator/core/analysis/sentiment.js'
import type { StoredMessage } from '../../src/emulator/core/types.js'
import {
  CONVERSATION_START,
  FRESH_HELD_OUT,
  isHeldOut,
  LANGUAGE_SET,
  type LanguageCase,
  OTHER,
  SPEAKER,
  THIRD_HELD_OUT,
} from '../fixtures/language-set.js'

export interface Counts {
  tp: number
  fp: number
  fn: number
}
export interface Scores {
  question: Counts
  actionItem: Counts
  /** Correct assignee among action items found and labelled. */
  assignee: { right: number; of: number }
  due: { right: number; of: number }
  sentiment: { right: number; of: number }
  people: Counts
  misses: string[]
}

const T0 = Date.parse(CONVERSATION_START)
const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 })
const count = (c: Counts, predicted: boolean, truth: boolean): void => {
  if (predicted && truth) c.tp++
  else if (predicted) c.fp++
  else if (truth) c.fn++
}
export const precision = (c: Counts): number => (c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1)
export const recall = (c: Counts): number => (c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1)

export function score(cases: LanguageCase[]): Scores {
  const s: Scores = {
    question: zero(),
    actionItem: zero(),
    assignee: { right: 0, of: 0 },
    due: { right: 0, of: 0 },
    sentiment: { right: 0, of: 0 },
    people: zero(),
    misses: [],
  }
  const ctx: InsightContext = { conversationId: 'language-set', members: [SPEAKER, OTHER], addressee: () => OTHER }
  cases.forEach((c, i) => {
    const message: StoredMessage = { id: String(i + 1), text: c.t, from: SPEAKER, startMs: T0, endMs: T0 + 3000, origin: 'text' }
    const insights = insightsOf(message, ctx)
    const q = insights.some((x) => x.type === 'question')
    const task = insights.find((x) => x.type === 'action_item' || x.type === 'follow_up')
    count(s.question, q, !!c.q)
    count(s.actionItem, !!task, !!c.a)
    if (q !== !!c.q) s.misses.push(`question ${c.q ? 'missed' : 'false'}: ${c.t}`)
    if (!!task !== !!c.a) s.misses.push(`action ${c.a ? 'missed' : 'false'}: ${c.t}`)
    if (task && c.a) {
      const want = c.a === 'speaker' ? SPEAKER.name : c.a === 'addressee' ? OTHER.name : c.a === 'none' ? undefined : c.a
      s.assignee.of++
      if (task.assignee?.name === want) s.assignee.right++
      else s.misses.push(`assignee ${task.assignee?.name ?? '-'} (want ${want ?? '-'}): ${c.t}`)
      if (c.due) {
        s.due.of++
        if (task.dueBy?.slice(0, 10) === c.due) s.due.right++
        else s.misses.push(`due ${task.dueBy ?? '-'} (want ${c.due}): ${c.t}`)
      }
    }
    const sign = { positive: 1, neutral: 0, negative: -1 }[sentimentOf(c.t).suggested]
    s.sentiment.of++
    if (sign === c.s) s.sentiment.right++
    else s.misses.push(`sentiment ${sign} (want ${c.s}) ${sentimentOf(c.t).polarity.score}: ${c.t}`)
    const found = new Set(
      extractEntities([message], [], ['Sam Carter', 'Sam', 'Dana Lee', 'Dana'])
        .filter((e) => e.type === 'person')
        .map((e) => e.value),
    )
    const want = new Set(c.p ?? [])
    for (const name of want) count(s.people, found.has(name), true)
    for (const name of found)
      if (!want.has(name)) {
        count(s.people, true, false)
        s.misses.push(`person false: ${name} in ${c.t}`)
      }
    for (const name of want) if (!found.has(name)) s.misses.push(`person missed: ${name} in ${c.t}`)
  })
  return s
}

/** The rule-writing part, the held-out third, and the second and third held-out groups (written later, see the fixture). */
export const halves = (): { dev: LanguageCase[]; heldOut: LanguageCase[]; fresh: LanguageCase[]; third: LanguageCase[] } => ({
  dev: LANGUAGE_SET.filter((_c, i) => !isHeldOut(i)),
  heldOut: LANGUAGE_SET.filter((_c, i) => isHeldOut(i)),
  fresh: FRESH_HELD_OUT,
  third: THIRD_HELD_OUT,
})

const pct = (x: number): string => x.toFixed(2)
export function report(name: string, s: Scores): string {
  const pr = (c: Counts): string => `precision ${pct(precision(c))} recall ${pct(recall(c))} (tp ${c.tp} fp ${c.fp} fn ${c.fn})`
  return [
    `${name}`,
    `  questions     ${pr(s.question)}`,
    `  action items  ${pr(s.actionItem)}`,
    `  assignee      ${pct(s.assignee.right / (s.assignee.of || 1))} (${s.assignee.right}/${s.assignee.of})`,
    `  due date      ${pct(s.due.right / (s.due.of || 1))} (${s.due.right}/${s.due.of})`,
    `  sentiment     accuracy ${pct(s.sentiment.right / s.sentiment.of)} (${s.sentiment.right}/${s.sentiment.of})`,
    `  person names  ${pr(s.people)}`,
  ].join('\n')
}
