// Nothing an app prints, logs or serialises shows the app secret or a token: util.inspect at any
// depth, JSON.stringify and a walk of own properties of the client, its HTTP client, a
// conversation and a streaming connection (items 6); no password from `baseUrl` (7); no
// token-shaped text from a server that is not Symbl (8).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { HttpError, SymblError, ValidationError } from '../../../src/errors.js'
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js'
import { Symbl } from '../../../src/node.js'
import { fakeJwt } from '../helpers.js'
import { exposed, leakedPiece } from '../secret-check.js'

const SECRET = 'Sup3r-secret-APP-value-0042'

/** Every string reachable through own properties (enumerable or not, symbols too, Map and Set entries). */
function ownStrings(root: unknown): string[] {
  const out: string[] = []
  const seen = new Set<unknown>()
  const visit = (value: unknown, depth: number) => {
    if (typeof value === 'string') return void out.push(value)
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value) || depth > 12) return
    seen.add(value)
    if (value instanceof Map) for (const [k, v] of value) visit(k, depth + 1), visit(v, depth + 1)
    if (value instanceof Set) for (const v of value) visit(v, depth + 1)
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'string') out.push(key)
      const descriptor = Object.getOwnPropertyDescriptor(value, key)
      if (descriptor && 'value' in descriptor) visit(descriptor.value, depth + 1)
    }
  }
  visit(root, 0)
  return out
}

describe('printing the client, its HTTP client, a conversation or a connection shows no secret (item 6)', () => {
  let emu: RunningEmulator
  beforeAll(async () => {
    emu = await startEmulator({ credentials: { appId: 'app-1', appSecret: SECRET }, jobDelayMs: 1 })
  })
  afterAll(() => emu.close())

  it('util.inspect at depth Infinity, JSON.stringify and an own-property walk hold no 8-character piece of the secret or the token', async () => {
    const symbl = new Symbl({ baseUrl: emu.url, appId: 'app-1', appSecret: SECRET } as never)
    const conversation = await symbl.text.process({ messages: [{ payload: { content: 'Hello there, this is a test.' } }] }, { wait: false })
    const connection = await symbl.streaming.startConnection()
    const token = symbl.tokens.peek()!
    expect(token.length).toBeGreaterThan(8)
    for (const [name, value] of Object.entries({
      symbl,
      http: symbl.http,
      tokens: symbl.tokens,
      conversation,
      connection,
      streamingConversation: connection.conversation,
    })) {
      const text = `${exposed(value)}\n${ownStrings(value).join('\n')}`
      expect(leakedPiece(text, SECRET), name).toBeUndefined()
      expect(leakedPiece(text, token), name).toBeUndefined()
    }
    // What they do show: enough to tell which client and which conversation.
    expect(String(JSON.stringify(conversation))).toContain(conversation.conversationId)
    expect(exposed(symbl.http)).toContain(emu.url)
    await connection.stop()
  })
})

describe('baseUrl with user info (item 7)', () => {
  it.each([
    ['baseUrl', 'http://user:PASSWORD-123@127.0.0.1:8787'],
    ['baseUrl', 'https://PASSWORD-123@api.example.com/x'],
    ['wsBaseUrl', 'wss://user:PASSWORD-123@api.example.com'],
  ])('%s %s is refused with a ValidationError that does not quote the password', (name, url) => {
    let error: unknown
    try {
      new Symbl({ baseUrl: 'http://127.0.0.1:8787', accessToken: 't', [name]: url })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(new RegExp(`${name} must not contain a user name or password`))
    expect(exposed(error)).not.toContain('PASSWORD')
  })

  it('an invalid URL with user info is quoted without it', () => {
    let error: unknown
    try {
      new Symbl({ baseUrl: 'http://user:PASSWORD-123@[bad', accessToken: 't' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect(exposed(error)).not.toContain('PASSWORD')
  })
})

describe('a server that is not Symbl (your own token endpoint) answering with tokens (item 8)', () => {
  const jwt = fakeJwt({ sub: 'someone', exp: 4_000_000_000 }).replace(/sig$/, 'c2lnbmF0dXJlLXZhbHVlLWxvbmc')
  const opaque = 'AbCdEfGh0123456789_-xYz9876543210QwErTy'
  const hex = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
  let server: Server
  let base: string
  let answer: { status: number; body: string; type?: string } = { status: 200, body: '' }
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume()
      req.on('end', () => res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' }).end(answer.body))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  const tokens = { jwt, opaque, hex }
  const answers = (token: string) => [
    { status: 200, body: JSON.stringify({ accessToken: token, expiresIn: 86400 }) },
    { status: 200, body: JSON.stringify({ token_type: 'bearer', access_token: token }) },
    { status: 400, body: JSON.stringify({ message: `Already issued ${token}` }) },
    { status: 405, body: `Use GET or POST. Authorization: Bearer ${token}`, type: 'text/plain' },
    { status: 500, body: `{"accessToken": "${token}"`, type: 'text/plain' },
    // Deeper than redaction walks: that part of the body was kept as it came, token included.
    { status: 400, body: `${'{"a":'.repeat(30)}{"message":"issued ${token}"}${'}'.repeat(30)}` },
  ]

  for (const [kind, token] of Object.entries(tokens)) {
    it(`no piece of a ${kind} token it sends back reaches the error (text job, upload, job status, telephony start)`, async () => {
      const symbl = new Symbl({ baseUrl: base, accessToken: 'the-real-token', retry: 0 })
      for (const a of answers(token)) {
        answer = a
        const calls = [
          () => symbl.text.process({ messages: [{ payload: { content: 'hi' } }] }, { wait: false }),
          () => symbl.audio.processFile(new Uint8Array(64), { wait: false, contentType: 'audio/wav' }),
          () => symbl.conversations.getMessages('123'),
          () => new Conversation(symbl, { conversationId: '123', jobId: '456' }).wait({ pollInterval: { initialMs: 1 } }),
          // A 200 without connectionId: the answer was kept as the ConnectionError's details as it came.
          () => symbl.telephony.startPstn({ phoneNumber: '14082924837' }),
        ]
        for (const call of calls) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          )
          // getMessages succeeds on a 200: nothing to check then.
          if (error === undefined) continue
          expect(error).toBeInstanceOf(SymblError)
          expect((error as SymblError).code).not.toBe('validation')
          const text = exposed(error)
          expect(leakedPiece(text, token), `${a.status} ${a.body}: ${text}`).toBeUndefined()
          if (error instanceof HttpError) expect(error.status).toBe(a.status)
        }
      }
    })
  }

  // Redaction's secret-field pattern backtracked over every word start: quadratic on `a-a-a-…`, so
  // this body (a server's, or a proxy's error page) held the failing call for minutes.
  it('an error body of 512 KiB made to be slow to redact still fails the call with its status and the token hidden', async () => {
    const symbl = new Symbl({ baseUrl: base, accessToken: 'the-real-token', retry: 0 })
    answer = { status: 400, body: `${'a-'.repeat(256 * 1024)} key: ${opaque}`, type: 'text/plain' }
    const error = await symbl.conversations.getMessages('123').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(400)
    expect(leakedPiece(exposed(error), opaque)).toBeUndefined()
  })
})

describe('a job status that is not a status word (item 8, the job-status path)', () => {
  it("a token answered as a job's status reaches neither the JobError nor onStatus", async () => {
    const token = fakeJwt({ sub: 'someone', exp: 4_000_000_000 }).replace(/sig$/, 'c2lnbmF0dXJlLXZhbHVlLWxvbmc')
    const server = createServer((req, res) => {
      req.resume()
      const body = req.url?.startsWith('/v1/job/') ? { id: 'job-1', status: token } : { conversationId: '123', jobId: 'job-1' }
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const symbl = new Symbl({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        accessToken: 'the-real-token',
        retry: 0,
      })
      const statuses: string[] = []
      const error = await symbl.text
        .process(
          { messages: [{ payload: { content: 'hi' } }] },
          { waitTimeout: 200, pollInterval: { initialMs: 1 }, onStatus: (s: string) => statuses.push(s) },
        )
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SymblError)
      expect((error as SymblError).message).toMatch(/answered without a status/)
      expect(leakedPiece(exposed(error), token)).toBeUndefined()
      expect(leakedPiece(statuses.join(' '), token)).toBeUndefined()
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})

describe('errors of the runtime or of a fetch wrapper that carry the request (its headers hold the token)', () => {
  it('a NetworkError keeps neither the Request, its options nor its headers in its cause chain; the code stays', async () => {
    const TOKEN = 'opaque-Token-Value-12345'
    const failing = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      // What ky's errors and some instrumentation wrappers attach.
      throw Object.assign(new TypeError('fetch failed'), {
        request,
        options: { headers: init?.headers },
        headers: Object.fromEntries(request.headers),
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', config: { headers: init?.headers } }),
      })
    }
    const symbl = new Symbl({ baseUrl: 'http://127.0.0.1:9', accessToken: TOKEN, retry: 0, fetch: failing as typeof fetch })
    const error = await symbl.conversations.getMessages('123').then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SymblError)
    expect((error as SymblError).code).toBe('network')
    expect(leakedPiece(exposed(error), TOKEN)).toBeUndefined()
    expect((error as { cause: { cause: { code: string } } }).cause.cause.code).toBe('ECONNREFUSED')
  })
})
