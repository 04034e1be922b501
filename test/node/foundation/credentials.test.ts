import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findAppCredentials, parseIni } from '../../../src/auth/credentials.js'
import { ConfigError } from '../../../src/errors.js'
import { Symbl } from '../../../src/node.js'

const conf = (id: string, secret: string) => `# comment\n[credentials]\napp_id=${id}\napp_secret = ${secret}\n`

describe('finding app credentials like the Python SDK', () => {
  let cwd: string
  let home: string
  const saved = { cwd: process.cwd(), home: process.env.HOME }
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'symbl-cwd-'))
    home = mkdtempSync(join(tmpdir(), 'symbl-home-'))
    process.chdir(cwd)
    process.env.HOME = home
  })
  afterEach(() => {
    process.chdir(saved.cwd)
    process.env.HOME = saved.home
  })

  it('prefers options, then the environment, then symbl.conf in the current directory, then home', () => {
    writeFileSync(join(cwd, 'symbl.conf'), conf('cwd-id', 'cwd-secret'))
    writeFileSync(join(home, 'symbl.conf'), conf('home-id', 'home-secret'))
    const env = { SYMBL_APP_ID: 'env-id', SYMBL_APP_SECRET: 'env-secret' }
    expect(findAppCredentials({ appId: 'opt-id', appSecret: 'opt-secret' }, env)).toEqual({
      appId: 'opt-id',
      appSecret: 'opt-secret',
      source: 'options',
    })
    expect(findAppCredentials({}, env)).toEqual({ appId: 'env-id', appSecret: 'env-secret', source: 'environment' })
    expect(findAppCredentials({}, {})).toEqual({ appId: 'cwd-id', appSecret: 'cwd-secret', source: 'symbl.conf' })
  })

  it('skips a symbl.conf in the current directory that lacks a key, and uses the one in home', () => {
    writeFileSync(join(cwd, 'symbl.conf'), '[credentials]\napp_id=only-id\n')
    writeFileSync(join(home, 'symbl.conf'), conf('home-id', 'home-secret'))
    expect(findAppCredentials({}, {})).toMatchObject({ appId: 'home-id', appSecret: 'home-secret' })
  })

  it('returns nothing when no source has credentials, and the client then explains every way to give them', async () => {
    expect(findAppCredentials({}, {})).toBeUndefined()
    const saved = { id: process.env.SYMBL_APP_ID, secret: process.env.SYMBL_APP_SECRET }
    delete process.env.SYMBL_APP_ID
    delete process.env.SYMBL_APP_SECRET
    try {
      const symbl = new Symbl({ baseUrl: 'http://127.0.0.1:9', retry: 0 })
      const error = await symbl.http.request({ method: 'GET', path: '/v1/conversations/1' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConfigError)
      for (const way of ['tokenProvider', 'accessToken', 'appId', 'SYMBL_APP_ID', 'symbl.conf'])
        expect((error as Error).message).toContain(way)
    } finally {
      Object.assign(process.env, { SYMBL_APP_ID: saved.id, SYMBL_APP_SECRET: saved.secret })
      if (saved.id === undefined) delete process.env.SYMBL_APP_ID
      if (saved.secret === undefined) delete process.env.SYMBL_APP_SECRET
    }
  })

  it('skips the current directory when it was deleted under the process, and still reads home', () => {
    writeFileSync(join(home, 'symbl.conf'), conf('home-id', 'home-secret'))
    rmSync(cwd, { recursive: true })
    expect(findAppCredentials({}, {})).toMatchObject({ appId: 'home-id', source: 'symbl.conf' })
  })

  it('refuses half a pair, saying which half is missing', () => {
    expect(() => findAppCredentials({ appId: 'x' }, {})).toThrow(/Only the app id was given in the appId and appSecret options/)
    expect(() => findAppCredentials({}, { SYMBL_APP_SECRET: 's' })).toThrow(
      /Only the app secret was given in SYMBL_APP_ID and SYMBL_APP_SECRET/,
    )
    expect(() => new Symbl({ appSecret: 'abc' })).toThrow(ConfigError)
  })

  it('reads an explicit configFile and reports what is wrong with it', () => {
    const file = join(cwd, 'other.conf')
    expect(() => findAppCredentials({ configFile: file }, {})).toThrow(/Cannot read the config file .*other\.conf: ENOENT/)
    writeFileSync(file, '[other]\napp_id=a\n')
    expect(() => findAppCredentials({ configFile: file }, {})).toThrow(/no \[credentials\] section with both app_id and app_secret/)
    writeFileSync(file, conf('f-id', 'f-secret'))
    expect(findAppCredentials({ configFile: file }, {})).toMatchObject({ appId: 'f-id' })
  })

  it('parses INI the way configparser does for this file', () => {
    expect(parseIni('[credentials]\r\napp_id: abc\n; note\napp_secret=  s=x  \n[x]\nk=v')).toEqual({
      credentials: { app_id: 'abc', app_secret: 's=x' },
      x: { k: 'v' },
    })
  })
})
