// Auth end to end: the Node entry's token flow through /oauth2/token:generate, reuse, refresh after
// the emulator expires every token, and the recommended browser setup (the browser entry with a
// tokenProvider that calls the app's own token endpoint, made with createTokenHandler on node:http).
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Symbl as BrowserSymbl } from '../../../src/browser.js'
import { AuthError, ConfigError } from '../../../src/errors.js'
import { createTokenHandler, REJECTED_TOKEN_HEADER, Symbl, toNodeListener } from '../../../src/node.js'
import type { WebSocketConstructor } from '../../../src/platform.js'
import { fast, JOB_DELAY_MS, seenSince, textMessages, useEmulator } from './helpers.js'
import { startEmulator } from '../../../src/emulator/index.js'

const env = useEmulator()
const TOKEN_PATH = /^\/oauth2\/token:generate$/

describe('Node entry: app credentials → token', () => {
  it('generates a token on the first call and sends it; the emulator accepts it', async () => {
    const symbl = env.client()
    const mark = env.requests.length
    const { conversations } = (await symbl.http.request<{ conversations: unknown[] }>({ method: 'GET', path: '/v1/conversations' })) as {
      conversations: unknown[]
    }
    expect(Array.isArray(conversations)).toBe(true)
    expect(seenSince(env, mark, 'POST', TOKEN_PATH)).toBe(1)
    const token = await symbl.tokens.get()
    expect(token.split('.')).toHaveLength(3)
    expect(env.emu.core.tokens.isValid(token)).toBe(true)
  })

  it('reuses the token: many concurrent and later calls cause one token request', async () => {
    const symbl = env.client()
    const mark = env.requests.length
    const conversation = await symbl.text.process({ messages: textMessages().slice(0, 2) }, fast)
    await Promise.all([conversation.getMessages(), conversation.getMembers(), conversation.getTopics(), conversation.getAnalytics()])
    await conversation.getQuestions()
    expect(seenSince(env, mark, 'POST', TOKEN_PATH)).toBe(1)
    expect(seenSince(env, mark, 'GET', /^\/v1\/conversations\/\d+\/(messages|members|topics|analytics|questions)$/)).toBe(5)
  })

  it('after expireTokens() the next call gets a 401, refreshes once and succeeds', async () => {
    const symbl = env.client()
    const conversation = await symbl.text.process({ messages: textMessages().slice(0, 2) }, fast)
    const before = await symbl.tokens.get()
    env.emu.faults.expireTokens()
    const mark = env.requests.length
    // Concurrent calls that all fail with the same expired token still cause a single refresh.
    const [messages, members] = await Promise.all([conversation.getMessages(), conversation.getMembers()])
    expect(messages.messages).toHaveLength(2)
    expect(members.members).toHaveLength(2)
    expect(seenSince(env, mark, 'POST', TOKEN_PATH)).toBe(1)
    expect(seenSince(env, mark, 'GET', /\/messages$/)).toBe(2)
    const after = await symbl.tokens.get()
    expect(after).not.toBe(before)
    expect(env.emu.core.tokens.isValid(after)).toBe(true)
    expect(env.emu.core.tokens.isValid(before)).toBe(false)
  })

  it('a wrong app secret is an AuthError that names the credentials, and nothing else is sent', async () => {
    const strict = await startEmulator({ port: 0, jobDelayMs: JOB_DELAY_MS, credentials: { appId: 'right', appSecret: 'pair' } })
    try {
      const symbl = new Symbl({ baseUrl: strict.url, appId: 'right', appSecret: 'wrong', retry: { baseDelayMs: 1 } })
      const error = await symbl.conversations.getMessages('123').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AuthError)
      expect((error as AuthError).status).toBe(401)
      expect((error as AuthError).message).toMatch(/app id and secret/)
      expect((error as AuthError).message).not.toContain('wrong')
    } finally {
      await strict.close()
    }
  })
})

describe('browser entry with a tokenProvider backed by createTokenHandler', () => {
  let tokenServer: Server
  let tokenUrl: string
  let tokenCalls = 0

  beforeAll(async () => {
    const handler = createTokenHandler({
      baseUrl: env.emu.url,
      appId: 'web-app',
      appSecret: 'server-side-secret',
      authorize: (req) => req.headers.get('cookie') === 'session=ok',
    })
    const listener = toNodeListener(handler)
    tokenServer = createServer((req, res) => {
      if (req.url === '/symbl-token') {
        tokenCalls++
        return listener(req, res)
      }
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', r))
    tokenUrl = `http://127.0.0.1:${(tokenServer.address() as { port: number }).port}/symbl-token`
  })
  afterAll(() => new Promise<void>((r) => tokenServer.close(() => r())))

  const browserClient = (cookie = 'session=ok') =>
    new BrowserSymbl({
      baseUrl: env.emu.url,
      retry: { baseDelayMs: 1 },
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      // The README's provider: it passes on a token Symbl refused, so the endpoint replaces it.
      tokenProvider: ({ rejectedToken }) =>
        fetch(tokenUrl, { headers: { cookie, ...(rejectedToken ? { [REJECTED_TOKEN_HEADER]: rejectedToken } : {}) } }).then((r) =>
          r.json(),
        ),
    })

  it('refuses app credentials', () => {
    expect(() => new BrowserSymbl({ appId: 'a', appSecret: 'b' } as never)).toThrow(ConfigError)
  })

  it('processes text and reads the results with tokens from the app server; the secret never leaves it', async () => {
    tokenCalls = 0
    const symbl = browserClient()
    const conversation = await symbl.text.process({ messages: textMessages() }, fast)
    expect(conversation.status).toBe('completed')
    const { messages } = await conversation.getMessages()
    expect(messages.map((m) => m.text)).toContain('What is the budget for the marketing campaign?')
    const token = await symbl.tokens.get()
    expect(env.emu.core.tokens.isValid(token)).toBe(true)
    // The token endpoint answered with the lifetime, so the browser cached the token: one call.
    expect(tokenCalls).toBe(1)
  })

  it('after expireTokens() the browser reports the refused token; its server replaces it and the call succeeds', async () => {
    const symbl = browserClient()
    const conversation = await symbl.text.process({ messages: textMessages().slice(0, 2) }, fast)
    const before = await symbl.tokens.get()
    tokenCalls = 0
    env.emu.faults.expireTokens()
    const mark = env.requests.length
    const [messages, members] = await Promise.all([conversation.getMessages(), conversation.getMembers()])
    expect(messages.messages).toHaveLength(2)
    expect(members.members).toHaveLength(2)
    // One call to the app's endpoint, which made one token call to Symbl.
    expect(tokenCalls).toBe(1)
    expect(seenSince(env, mark, 'POST', TOKEN_PATH)).toBe(1)
    const after = await symbl.tokens.get()
    expect(after).not.toBe(before)
    expect(env.emu.core.tokens.isValid(after)).toBe(true)
  })

  it('the endpoint ignores a reported token that is not the one it holds', async () => {
    const symbl = browserClient()
    const token = await symbl.tokens.get()
    const mark = env.requests.length
    const answer = (await fetch(tokenUrl, { headers: { cookie: 'session=ok', [REJECTED_TOKEN_HEADER]: 'made-up' } }).then((r) =>
      r.json(),
    )) as { accessToken: string; expiresIn: number }
    expect(answer.accessToken).toBe(token)
    expect(answer.expiresIn).toBeGreaterThan(0)
    expect(seenSince(env, mark, 'POST', TOKEN_PATH)).toBe(0)
  })

  it('an unauthorised browser session gets a clear error and no token', async () => {
    const symbl = browserClient('session=none')
    const error = await symbl.conversations.getMessages('1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(String((error as Error).message)).toMatch(/tokenProvider/)
  })

  it('streams over the subprotocol token (what a browser WebSocket can do)', async () => {
    const symbl = browserClient()
    const connection = await symbl.streaming.startConnection({ keepAlive: false, reconnect: false })
    expect(connection.conversationId).toMatch(/^\d+$/)
    const conversation = await connection.stop()
    expect(conversation.conversationId).toBe(connection.conversationId)
  })
})
