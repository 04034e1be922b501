// Issued tokens are bounded (a cap on live tokens, the oldest evicted) and expired ones are pruned
// from the front as new ones are issued, without scanning every token on each issue.

import { describe, expect, it } from 'vitest'
import { TokenIssuer } from '../../src/emulator/core/tokens.js'
import { startEmulator } from '../../src/emulator/index.js'
import { api, token } from './helpers.js'

describe('token store bounds', () => {
  it('keeps at most maxTokens live tokens: many app ids evict the oldest, the newest stay valid', () => {
    const issuer = new TokenIssuer({ maxTokens: 50 })
    const tokens: string[] = []
    for (let i = 0; i < 1000; i++) tokens.push(issuer.issue(`app-${i}`, 's')!.accessToken)
    expect(issuer.size).toBe(50)
    expect(issuer.isValid(tokens[0])).toBe(false)
    expect(issuer.isValid(tokens[949])).toBe(false)
    expect(issuer.isValid(tokens[950])).toBe(true)
    expect(issuer.isValid(tokens[999])).toBe(true)
    // An evicted app gets a new token on its next token:generate; a kept one gets its cached token.
    expect(issuer.issue('app-0', 's')!.accessToken).not.toBe(tokens[0])
    expect(issuer.issue('app-999', 's')!.accessToken).toBe(tokens[999])
  })

  it('prunes expired tokens as new ones are issued', () => {
    let now = 1_000_000
    const issuer = new TokenIssuer({ lifetimeSeconds: 60, now: () => now })
    for (let i = 0; i < 200; i++) issuer.issue(`old-${i}`, 's')
    expect(issuer.size).toBe(200)
    now += 61_000
    issuer.issue('new', 's')
    expect(issuer.size).toBe(1)
  })

  it("expireTokens({ appId }) expires that app's tokens only; without it, every token", async () => {
    const emu = await startEmulator()
    try {
      const a = await token(emu, 'app-a')
      const b = await token(emu, 'app-b')
      emu.faults.expireTokens({ appId: 'app-a' })
      expect((await api(emu, a, 'GET', '/v1/conversations')).status).toBe(401)
      expect((await api(emu, b, 'GET', '/v1/conversations')).status).toBe(200)
      const a2 = await token(emu, 'app-a')
      expect(a2).not.toBe(a)
      emu.faults.expireTokens()
      expect((await api(emu, a2, 'GET', '/v1/conversations')).status).toBe(401)
      expect((await api(emu, b, 'GET', '/v1/conversations')).status).toBe(401)
    } finally {
      await emu.close()
    }
  })

  it('the server answers 401 for an evicted token and a new token:generate works', async () => {
    const emu = await startEmulator({ maxTokens: 3 })
    try {
      const first = await token(emu, 'a0')
      for (let i = 1; i <= 3; i++) await token(emu, `a${i}`)
      expect((await api(emu, first, 'GET', '/v1/conversations')).status).toBe(401)
      const again = await token(emu, 'a0')
      expect((await api(emu, again, 'GET', '/v1/conversations')).status).toBe(200)
    } finally {
      await emu.close()
    }
  })
})
