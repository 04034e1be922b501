import { describe, expect, it } from 'vitest'
import { Symbl as BrowserSymbl } from '../../../src/browser.js'
import { ConfigError, ValidationError } from '../../../src/errors.js'
import { Symbl } from '../../../src/node.js'

describe('client options', () => {
  it('defaults to the public API and derives the WebSocket base from baseUrl', () => {
    const a = new Symbl({ accessToken: 't' })
    expect(a.baseUrl).toBe('https://api.symbl.ai')
    expect(a.wsBaseUrl).toBe('wss://api.symbl.ai')
    const b = new Symbl({ accessToken: 't', baseUrl: 'http://127.0.0.1:8787/' })
    expect(b.baseUrl).toBe('http://127.0.0.1:8787')
    expect(b.wsBaseUrl).toBe('ws://127.0.0.1:8787')
    const c = new Symbl({ accessToken: 't', baseUrl: 'https://x.test/prefix', wsBaseUrl: 'wss://ws.x.test' })
    expect([c.baseUrl, c.wsBaseUrl]).toEqual(['https://x.test/prefix', 'wss://ws.x.test'])
  })

  it.each([
    [{ baseUrl: 'not a url' }, /baseUrl "not a url" is not a valid URL/],
    [{ baseUrl: 'ftp://x.test' }, /baseUrl must start with http: or https:/],
    [{ baseUrl: 'https://x.test/?a=1' }, /must not have a query string/],
    [{ wsBaseUrl: 'https://x.test' }, /wsBaseUrl must start with ws: or wss:/],
    [{ timeout: -1 }, /timeout must be a positive number/],
    [{ fetch: 'nope' }, /fetch must be a function/],
    [{ tokenProvider: 'abc' }, /tokenProvider must be a function/],
    [{ accessToken: '' }, /accessToken must be a non-empty string/],
    [{ retry: 'often' }, /retry must be a number of retries or \{ limit/],
    [{ retry: -1 }, /retry must be a number of 0 or more/],
    [{ retry: { baseDelayMs: 'x' } }, /retry\.baseDelayMs must be a number of milliseconds from 0/],
    [{ logger: 'console' }, /logger must be an object/],
    [{ logger: { warn: 'loud' } }, /logger must be an object whose debug\/info\/warn\/error/],
  ])('refuses %j with a ValidationError', (options, message) => {
    expect(() => new Symbl(options as never)).toThrow(ValidationError)
    expect(() => new Symbl(options as never)).toThrow(message)
  })

  it('hangs every API area off the client, created once', () => {
    const s = new Symbl({ accessToken: 't' })
    for (const area of ['audio', 'video', 'text', 'conversations', 'streaming', 'telephony'] as const) {
      expect(s[area]).toBeDefined()
      expect(s[area]).toBe(s[area])
      expect(s[area].client).toBe(s)
    }
  })

  it('the browser entry refuses app credentials and explains the token provider', () => {
    expect(() => new BrowserSymbl({ appSecret: 'x' } as never)).toThrow(ConfigError)
    expect(() => new BrowserSymbl({ appId: 'a', appSecret: 'x' } as never)).toThrow(/tokenProvider/)
    expect(() => new BrowserSymbl({ appId: 'a', appSecret: 'the-secret' } as never)).not.toThrow(/the-secret/)
    expect(new BrowserSymbl({ tokenProvider: () => 't' }).platform.name).toBe('browser')
  })
})
