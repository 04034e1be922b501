// The list filter's `*` wildcards: matched without a regex built from the client's pattern (a
// `*a*a*…*b` pattern made that regex backtrack exponentially and blocked the emulator), and still right.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { wildcardMatch } from '../../src/emulator/core/list.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, token } from './helpers.js'

describe('wildcardMatch', () => {
  it('matches like RSQL wildcards: `*` is any run (empty included), case-insensitive, whole string', () => {
    const yes: Array<[string, string]> = [
      ['alpha', 'Alpha'],
      ['alpha*', 'alpha retro'],
      ['*retro', 'alpha retro'],
      ['*a*', 'Beta'],
      ['*', ''],
      ['**', 'x'],
      ['a*b*c', 'abc'],
      ['a*b*c', 'aXbYbZc'],
      ['*ab', 'aaab'],
      ['a.b', 'A.B'],
      ['(x)+[y]', '(X)+[y]'],
    ]
    const no: Array<[string, string]> = [
      ['alpha', 'alpha retro'],
      ['alpha*', 'the alpha'],
      ['*a*b', 'aXbY'],
      ['a*b*c', 'acb'],
      ['a.b', 'axb'],
      ['', 'x'],
      ['x*', ''],
    ]
    for (const [p, t] of yes) expect(wildcardMatch(p, t), `${p} ~ ${t}`).toBe(true)
    for (const [p, t] of no) expect(wildcardMatch(p, t), `${p} !~ ${t}`).toBe(false)
  })

  it('agrees with a regex on 5 000 seeded random patterns and names over a small alphabet', () => {
    let seed = 11
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    const word = (alphabet: string, max: number): string =>
      Array.from({ length: random(max + 1) }, () => alphabet[random(alphabet.length)]).join('')
    for (let i = 0; i < 5000; i++) {
      const pattern = word('ab*', 8)
      const name = word('abAB', 10)
      const regex = new RegExp(`^${pattern.split('*').join('.*')}$`, 'is')
      expect(wildcardMatch(pattern, name), `${pattern} ~ ${name}`).toBe(regex.test(name))
    }
  })

  // A greedy two-pointer match re-reads the text after every mismatch past a '*': pattern x text
  // steps, so this pair took 50 s (a 2 MB conversation name and such a filter in a URL: a minute).
  it('matches a 5 000-character pattern against a 4 MB name in one pass', () => {
    const name = 'a'.repeat(4_000_000)
    expect(wildcardMatch(`*${'a'.repeat(5000)}b`, name)).toBe(false)
    expect(wildcardMatch(`*${'a'.repeat(5000)}*`, name)).toBe(true)
    expect(wildcardMatch(`${'a*'.repeat(2500)}b`, `${name}b`)).toBe(true)
  })
})

describe('GET /v1/conversations?filter= with many wildcards', () => {
  let emu: RunningEmulator
  let tok: string
  beforeAll(async () => {
    emu = await startEmulator({ jobDelayMs: 0 })
    tok = await token(emu)
    for (const name of ['a'.repeat(60), `${'a'.repeat(59)}b`]) {
      await api(emu, tok, 'POST', '/v1/process/text', { name, messages: [{ payload: { content: 'Hello there.' } }] })
    }
    await emu.core.idle()
  })
  afterAll(() => emu.close())

  it('answers a 30-wildcard pattern (exponential for a backtracking regex) and keeps serving', async () => {
    const pattern = `${'*a'.repeat(30)}*b`
    const r = await api(emu, tok, 'GET', `/v1/conversations?filter=${encodeURIComponent(`name==${pattern}`)}`)
    expect(r.status).toBe(200)
    expect(r.body.conversations.map((c: { name: string }) => c.name)).toEqual([`${'a'.repeat(59)}b`])
    const negated = await api(emu, tok, 'GET', `/v1/conversations?filter=${encodeURIComponent(`name!=${pattern}`)}`)
    expect(negated.body.conversations.map((c: { name: string }) => c.name)).toEqual(['a'.repeat(60)])
  })
})
