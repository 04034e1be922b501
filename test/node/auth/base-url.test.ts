// SYMBL_BASE_URL on servers: read by the Node entry like SYMBL_APP_ID (options win), checked like
// `baseUrl` with an error that names the variable, and used by createTokenHandler too.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findBaseUrl } from '../../../src/auth/credentials.js'
import { ConfigError } from '../../../src/errors.js'
import { createTokenHandler, Symbl } from '../../../src/node.js'

const saved = { ...process.env }
let server: Server
let seen: string[]
let base: string
beforeEach(async () => {
  seen = []
  server = createServer((req: IncomingMessage, res) => {
    seen.push(`${req.method} ${req.url}`)
    const body = req.url?.startsWith('/oauth2/') ? { accessToken: 'env-token', expiresIn: 600 } : { messages: [] }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.SYMBL_APP_ID = 'env-app'
  process.env.SYMBL_APP_SECRET = 'env-app-secret'
})
afterEach(async () => {
  process.env = { ...saved }
  await new Promise((r) => server.close(r))
})

describe('SYMBL_BASE_URL', () => {
  it('is where new Symbl() sends its requests when no baseUrl option is given (REST and WebSocket)', async () => {
    process.env.SYMBL_BASE_URL = `${base}/`
    const symbl = new Symbl()
    expect(symbl.baseUrl).toBe(base)
    expect(symbl.wsBaseUrl).toBe(base.replace('http:', 'ws:'))
    await symbl.conversations.getMessages('c1')
    expect(seen).toEqual(['POST /oauth2/token:generate', 'GET /v1/conversations/c1/messages'])
  })

  it('loses to the baseUrl option; empty or unset means the default', () => {
    process.env.SYMBL_BASE_URL = base
    expect(new Symbl({ baseUrl: 'https://eu.symbl.test' }).baseUrl).toBe('https://eu.symbl.test')
    process.env.SYMBL_BASE_URL = '  '
    expect(new Symbl().baseUrl).toBe('https://api.symbl.ai')
    delete process.env.SYMBL_BASE_URL
    expect(new Symbl({ baseUrl: undefined }).baseUrl).toBe('https://api.symbl.ai')
  })

  it('that is not an http(s) URL is a ConfigError naming the variable', () => {
    for (const [value, why] of [
      ['api.symbl.ai', /SYMBL_BASE_URL environment variable .*is not a valid URL/],
      ['ftp://api.symbl.ai', /SYMBL_BASE_URL environment variable must start with http: or https:, got ftp:/],
      ['https://api.symbl.ai/?x=1', /SYMBL_BASE_URL environment variable must not have a query string/],
      ['https://me:hunter2-pass@api.symbl.ai', /SYMBL_BASE_URL environment variable must not contain a user name or password/],
      ['https://me:hunter2 pass@api symbl', /SYMBL_BASE_URL environment variable \("https:\/\/…@api symbl"\) is not a valid URL/],
    ] as const) {
      process.env.SYMBL_BASE_URL = value
      expect(() => new Symbl(), value).toThrow(ConfigError)
      expect(() => new Symbl(), value).toThrow(why)
      expect(() => createTokenHandler(), value).toThrow(why)
      expect(() => new Symbl(), value).not.toThrow(/hunter2/)
    }
    expect(() => findBaseUrl(undefined, { SYMBL_BASE_URL: 'wss://x.test' })).toThrow(/got wss:/)
  })

  it('is where createTokenHandler gets its tokens from', async () => {
    process.env.SYMBL_BASE_URL = base
    const response = await createTokenHandler()(new Request('http://app.test/symbl-token'))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ accessToken: 'env-token' })
    expect(seen).toEqual(['POST /oauth2/token:generate'])
  })
})
