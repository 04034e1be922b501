// Tracker fuzzy matching counted from where each phrase's own stems occur (issue 11, the class of
// item 3: keep the emulator responsive on long input). It compared every sentence of a message with
// every phrase: the 1000 phrases a request may carry against a message of 600 000 short sentences
// ran past the test timeout, and a 4 MB message with 1000 phrases blocked GET …/trackers 8 s.

import { describe, expect, it } from 'vitest'
import { splitSentences, STOPWORDS, normalize, stem, tokenize } from '../../src/emulator/core/analysis/sentences.js'
import { matchTrackers } from '../../src/emulator/core/analysis/trackers.js'
import type { StoredMessage } from '../../src/emulator/core/types.js'

const message = (id: string, text: string): StoredMessage => ({
  id,
  text,
  from: { id: 's1', name: 'Jane' },
  startMs: 0,
  endMs: 1000,
  origin: 'text',
})

/** The rule as written before: a sentence holding all of one or two wanted stems, else 3/4 of them. */
function fuzzyReference(text: string, phrase: string): boolean {
  const words = tokenize(phrase).map((t) => normalize(t.word))
  const content = words.filter((w) => w && !STOPWORDS.has(w))
  const wanted = (content.length ? content : words.filter(Boolean)).map(stem)
  if (!wanted.length) return false
  const needed = wanted.length <= 2 ? wanted.length : Math.ceil(wanted.length * 0.75)
  return splitSentences(text).some((s) => {
    const have = new Set(tokenize(s.text).map((t) => stem(t.word)))
    return wanted.filter((w) => have.has(w)).length >= needed
  })
}

describe('tracker matching', () => {
  it('finds the same fuzzy matches as comparing every sentence, on 2 000 seeded random cases', () => {
    let seed = 7
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    const words = ['report', 'reports', 'send', 'sending', 'price', 'budget', 'the', 'a', 'call', 'it', 'like', 'really', 'works']
    const sentence = (): string => Array.from({ length: 1 + random(6) }, () => words[random(words.length)]).join(' ')
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: 1 + random(5) }, () => `${sentence()}${'.?!'[random(3)]}`).join(' ')
      const phrase = sentence()
      const [result] = matchTrackers('c', [{ name: 'T', vocabulary: [phrase] }], [message('m1', text)], [])
      const refs = result?.matches[0]?.messageRefs ?? []
      const exact = new RegExp(`(?<![\\w])${phrase}(?![\\w])`, 'i').exec(text)
      const expected = exact ? exact.index : fuzzyReference(text, phrase) ? -1 : undefined
      expect(
        refs.map((r) => r.offset),
        `${phrase} in ${text}`,
      ).toEqual(expected === undefined ? [] : [expected])
    }
  })

  it('matches 1000 phrases against a message of 600 000 sentences', () => {
    const text = `${'Go now. '.repeat(600_000)}Please send the budget report to finance.`
    const vocabulary = [
      ...Array.from({ length: 999 }, (_, i) => `final quarterly board report numbers alpha beta gamma delta epsilon zeta ${i}`),
      'send report budget',
    ]
    const [result] = matchTrackers('c', [{ name: 'Reports', vocabulary }], [message('m1', text)], [])
    expect(result?.matches.map((m) => [m.value, m.messageRefs.map((r) => r.offset)])).toEqual([['send report budget', [-1]]])
  })
})
