import { describe, expect, it, vi } from 'vitest'
import { TokenSource, type TokenRequest } from '../../../src/auth/token-source.js'
import { ConfigError, SymblError } from '../../../src/errors.js'
import { fakeJwt } from '../helpers.js'

describe('TokenSource', () => {
  it('caches a token until shortly before expiresIn runs out, then renews it', async () => {
    let now = 1_000_000
    let n = 0
    const provider = vi.fn((_r: TokenRequest) => ({ accessToken: `t${++n}`, expiresIn: 100 }))
    const source = new TokenSource(provider, () => now)
    expect(await source.get()).toBe('t1')
    now += 80_000
    expect(await source.get()).toBe('t1')
    now += 11_000 // within the last 10% of the lifetime
    expect(await source.get()).toBe('t2')
    expect(provider).toHaveBeenCalledTimes(2)
    expect(provider.mock.calls[1]![0].reason).toBe('expiring')
  })

  it('reads the JWT exp claim when the provider returns a bare string', async () => {
    let now = 5_000_000
    const exp = Math.floor(now / 1000) + 3600
    const tokens = [fakeJwt({ exp }), fakeJwt({ exp: exp + 3600 })]
    const source = new TokenSource(
      () => tokens.shift()!,
      () => now,
    )
    const first = await source.get()
    expect((await source.info()).expiresAt).toBe(exp * 1000)
    now = exp * 1000 - 30_000
    expect(await source.get()).not.toBe(first)
  })

  it('keeps a string token without expiry until the server refuses it', async () => {
    let n = 0
    const source = new TokenSource(() => `plain-${++n}`)
    expect(await source.get()).toBe('plain-1')
    expect(await source.get()).toBe('plain-1')
    source.invalidate('plain-1')
    expect(await source.get()).toBe('plain-2')
  })

  it('makes a single provider call for many concurrent requests', async () => {
    let resolve!: (v: string) => void
    const provider = vi.fn(() => new Promise<string>((r) => (resolve = r)))
    const source = new TokenSource(provider)
    const all = Promise.all(Array.from({ length: 20 }, () => source.get()))
    resolve('shared')
    expect(await all).toEqual(Array(20).fill('shared'))
    expect(provider).toHaveBeenCalledTimes(1)
  })

  it('invalidates only the token that was refused, so concurrent 401s refresh once', async () => {
    let n = 0
    const provider = vi.fn((_r: TokenRequest) => `tok-${++n}`)
    const source = new TokenSource(provider)
    await source.get()
    source.invalidate('tok-1')
    const fresh = await source.get()
    source.invalidate('tok-1') // a late 401 for the old token must not drop the new one
    expect(await source.get()).toBe(fresh)
    expect(provider).toHaveBeenCalledTimes(2)
    expect(provider.mock.calls[1]![0].reason).toBe('rejected')
    // The refused token is passed on (a token endpoint needs it to replace its cached token).
    expect(provider.mock.calls[1]![0].rejectedToken).toBe('tok-1')
    expect(provider.mock.calls[0]![0].rejectedToken).toBeUndefined()
  })

  it.each([[''], [null], [42], [{}], [{ accessToken: '' }]])('rejects a provider result of %j with a ConfigError', async (bad) => {
    const source = new TokenSource(() => bad as never)
    await expect(source.get()).rejects.toBeInstanceOf(ConfigError)
    await expect(source.get()).rejects.toThrow(/must return a token string or \{ accessToken, expiresIn \}/)
  })

  it('wraps a failing provider without leaking a token from its message, and tries again next time', async () => {
    const jwt = fakeJwt({ exp: 9e9 })
    let fail = true
    const source = new TokenSource(() => {
      if (fail) throw new Error(`upstream said no for ${jwt}`)
      return 'ok'
    })
    const error = await source.get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SymblError)
    expect((error as Error).message).toContain('tokenProvider failed')
    expect((error as Error).message).not.toContain(jwt)
    fail = false
    expect(await source.get()).toBe('ok')
  })

  it('stops waiting when the caller aborts, without cancelling the shared call', async () => {
    let resolve!: (v: string) => void
    const source = new TokenSource(() => new Promise<string>((r) => (resolve = r)))
    const controller = new AbortController()
    const aborted = source.get(controller.signal)
    const other = source.get()
    controller.abort(new Error('user gave up'))
    await expect(aborted).rejects.toThrow('user gave up')
    resolve('late')
    expect(await other).toBe('late')
  })
})

describe('TokenSource renewal failures', () => {
  it('keeps using a still-valid token when its early renewal fails, and renews on a later call', async () => {
    let now = 1_000_000
    let calls = 0
    const source = new TokenSource(
      () => {
        calls++
        if (calls === 2) throw new Error('token server down')
        return { accessToken: `t${calls}`, expiresIn: 100 }
      },
      () => now,
    )
    expect(await source.get()).toBe('t1')
    now += 95_000 // inside the renewal margin, before expiry
    expect(await source.get()).toBe('t1')
    expect(calls).toBe(2)
    expect(await source.get()).toBe('t3')
  })

  it('fails once the token has really expired and renewal fails', async () => {
    let now = 1_000_000
    let calls = 0
    const source = new TokenSource(
      () => {
        if (++calls > 1) throw new Error('token server down')
        return { accessToken: 't1', expiresIn: 100 }
      },
      () => now,
    )
    await source.get()
    now += 101_000
    await expect(source.get()).rejects.toThrow(/tokenProvider failed/)
  })
})
