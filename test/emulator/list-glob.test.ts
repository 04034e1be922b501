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
