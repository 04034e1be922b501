// partLoader: a part called again and again is imported once (an import() per call goes through the
// module resolver every time, which tripled a Conversation API call's cost), while a failed load is
// not kept, so the next call downloads again (what a page that went offline needs).
import { describe, expect, it } from 'vitest'
import { NetworkError } from '../../../src/errors.js'
import { partLoader } from '../../../src/utils/load-part.js'

describe('partLoader', () => {
  it('loads once and hands the same module to every later call', async () => {
    let loads = 0
    const module = { answer: 42 }
    const load = partLoader('the test part', async () => (loads++, module))
    const got = await Promise.all([load(), load()])
    await load()
    expect(got).toEqual([module, module])
    expect(loads).toBe(1)
  })

  it('does not keep a failed load: the next call tries again', async () => {
    let loads = 0
    const load = partLoader('the test part', async () => {
      loads++
      if (loads === 1) throw new TypeError('Failed to fetch dynamically imported module')
      return { ok: true }
    })
    const first = await load().catch((e: unknown) => e)
    expect(first).toBeInstanceOf(NetworkError)
    expect((first as NetworkError).message).toContain('the test part')
    await expect(load()).resolves.toEqual({ ok: true })
    expect(loads).toBe(2)
  })
})
