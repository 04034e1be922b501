import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AuthError, ConfigError, HttpError, NetworkError, NotFoundError, RateLimitError, TimeoutError } from '../../../src/errors.js'
import { Symbl, createTokenHandler } from '../../../src/node.js'
import { fakeJwt } from '../helpers.js'
import type { TokenRequest } from '../../../src/auth/token-source.js'

const BASE = 'https://api.symbl.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

function client(extra: Record<string, unknown> = {}) {
  return new Symbl({ baseUrl: BASE, appId: 'my-app', appSecret: 'super-secret-value', retry: { baseDelayMs: 1 }, ...extra })
}

/** A token endpoint that counts its calls and hands out numbered tokens. */
function tokenRoute(expiresIn = 86400) {
  const calls: unknown[] = []
  server.use(
    http.post(`${BASE}/oauth2/token:generate`, async ({ request }) => {
      calls.push({ body: await request.json(), type: request.headers.get('content-type'), auth: request.headers.get('authorization') })
      return HttpResponse.json({ accessToken: `token-${calls.length}`, expiresIn })
    }),
  )
  return calls
}

const get = (c: Symbl, path = '/v1/conversations/1') => c.http.request<unknown>({ method: 'GET', path })

describe('token generation (contract 2.1)', () => {
  it('posts the app credentials as JSON once and sends the token on every request', async () => {
    const calls = tokenRoute()
    const seen: Array<Record<string, string | null>> = []
    server.use(
      http.get(`${BASE}/v1/conversations/:id`, ({ request }) => {
        seen.push({ authorization: request.headers.get('authorization'), apiKey: request.headers.get('x-api-key') })
        return HttpResponse.json({ id: '1' })
      }),
    )
    const c = client()
    expect(await get(c)).toEqual({ id: '1' })
    await get(c)
    expect(calls).toEqual([
      { body: { type: 'application', appId: 'my-app', appSecret: 'super-secret-value' }, type: 'application/json', auth: null },
    ])
    expect(seen).toEqual([
      { authorization: 'Bearer token-1', apiKey: 'token-1' },
      { authorization: 'Bearer token-1', apiKey: 'token-1' },
    ])
  })

  it('asks once when many requests need a token at the same moment', async () => {
    const calls = tokenRoute()
    server.use(http.get(`${BASE}/v1/conversations/:id`, () => HttpResponse.json({})))
    const c = client()
    await Promise.all(Array.from({ length: 25 }, () => get(c)))
    expect(calls).toHaveLength(1)
  })

  it('turns refused app credentials into an AuthError that names the fix and hides the secret', async () => {
    server.use(http.post(`${BASE}/oauth2/token:generate`, () => HttpResponse.json({ message: 'Unauthorized' }, { status: 401 })))
    const error = await get(client()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).status).toBe(401)
    expect((error as Error).message).toMatch(/app id and secret were refused/)
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain('super-secret-value')
  })

  it('rejects a token answer without accessToken', async () => {
    server.use(http.post(`${BASE}/oauth2/token:generate`, () => HttpResponse.json({ hello: 1 })))
    await expect(get(client())).rejects.toThrow(/answered without an accessToken/)
  })
})

describe('401 handling', () => {
  it('refreshes the token once and retries once', async () => {
    const calls = tokenRoute()
    server.use(
      http.get(`${BASE}/v1/conversations/:id`, ({ request }) =>
        request.headers.get('x-api-key') === 'token-1'
          ? HttpResponse.json({ message: 'Token validation failed for provided token.' }, { status: 401 })
          : HttpResponse.json({ ok: true }),
      ),
    )
    expect(await get(client())).toEqual({ ok: true })
    expect(calls).toHaveLength(2)
  })

  it('gives up with an AuthError when the fresh token is refused too', async () => {
    const calls = tokenRoute()
    let hits = 0
    server.use(
      http.get(
        `${BASE}/v1/conversations/:id`,
        () => (hits++, HttpResponse.json({ message: 'Token validation failed for provided token.' }, { status: 401 })),
      ),
    )
    const error = await get(client()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).serverMessage).toBe('Token validation failed for provided token.')
    expect(hits).toBe(2)
    expect(calls).toHaveLength(2)
  })

  it('refreshes once for many concurrent 401s with the same token', async () => {
    const calls = tokenRoute()
    server.use(
      http.get(`${BASE}/v1/conversations/:id`, ({ request }) =>
        request.headers.get('x-api-key') === 'token-1' ? HttpResponse.json({}, { status: 401 }) : HttpResponse.json({ ok: 1 }),
      ),
    )
    const c = client()
    const results = await Promise.all(Array.from({ length: 10 }, () => get(c)))
    expect(results).toEqual(Array(10).fill({ ok: 1 }))
    expect(calls).toHaveLength(2)
  })

  it('works with a tokenProvider and refreshes through it after a 401', async () => {
    const provider = vi.fn(async (_r: TokenRequest) => ({ accessToken: fakeJwt({ n: provider.mock.calls.length }), expiresIn: 3600 }))
    let first = true
    server.use(
      http.delete(`${BASE}/v1/conversations/:id`, () => {
        if (first) return ((first = false), HttpResponse.json({}, { status: 401 }))
        return HttpResponse.json({ message: 'successfully deleted the conversation' })
      }),
    )
    const c = new Symbl({ baseUrl: BASE, tokenProvider: provider })
    await c.http.request({ method: 'DELETE', path: '/v1/conversations/1' })
    expect(provider).toHaveBeenCalledTimes(2)
    expect(provider.mock.calls[1][0]).toMatchObject({ reason: 'rejected' })
  })
})

describe('retries', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries an idempotent GET after %i', async (status) => {
    tokenRoute()
    let hits = 0
    server.use(
      http.get(`${BASE}/v1/conversations/:id`, () => (++hits < 3 ? HttpResponse.json({}, { status }) : HttpResponse.json({ ok: hits }))),
    )
    expect(await get(client())).toEqual({ ok: 3 })
  })

  it('does not retry a 400 or 404', async () => {
    tokenRoute()
    let hits = 0
    server.use(
      http.get(
        `${BASE}/v1/conversations/:id`,
        () => (hits++, HttpResponse.json({ message: 'The conversationId is either invalid or does not exist.' }, { status: 404 })),
      ),
    )
    const error = await get(client()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect((error as NotFoundError).serverMessage).toBe('The conversationId is either invalid or does not exist.')
    expect((error as Error).message).toContain('GET https://api.symbl.test/v1/conversations/1 failed with HTTP 404')
    expect(hits).toBe(1)
  })

  it('never retries a job-creating POST after a 500 or 503 (the job may exist)', async () => {
    tokenRoute()
    let hits = 0
    server.use(http.post(`${BASE}/v1/process/text`, () => (hits++, HttpResponse.json({}, { status: 503 }))))
    const c = client()
    await expect(c.http.request({ method: 'POST', path: '/v1/process/text', json: {} })).rejects.toBeInstanceOf(HttpError)
    expect(hits).toBe(1)
  })

  it('retries a POST after 429, which proves nothing was created, and honours Retry-After', async () => {
    tokenRoute()
    let hits = 0
    const limit = 'This API has a limit of maximum of `2` number of concurrent jobs per account.'
    server.use(
      http.post(`${BASE}/v1/process/text`, () =>
        ++hits === 1
          ? HttpResponse.json({ statusCode: 429, message: limit }, { status: 429, headers: { 'retry-after': '0' } })
          : HttpResponse.json({ jobId: 'j' }, { status: 201 }),
      ),
    )
    expect(await client().http.request({ method: 'POST', path: '/v1/process/text', json: {} })).toEqual({ jobId: 'j' })
    expect(hits).toBe(2)
  })

  it('fails at once when Retry-After asks for longer than maxRetryAfterMs (instead of waiting the maximum and asking again)', async () => {
    tokenRoute()
    let hits = 0
    server.use(
      http.get(
        `${BASE}/v1/job/:id`,
        () => (hits++, HttpResponse.json({ message: 'busy' }, { status: 503, headers: { 'retry-after': '3600' } })),
      ),
    )
    const started = Date.now()
    const error = await get(client({ retry: { limit: 2, baseDelayMs: 1, maxRetryAfterMs: 300 } }), '/v1/job/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).retryAfterMs).toBe(3_600_000)
    expect(hits).toBe(1)
    expect(Date.now() - started).toBeLessThan(280)
  })

  it('ends with a RateLimitError carrying the server message when 429 persists', async () => {
    tokenRoute()
    const limit = 'This API has a limit of maximum of `2` number of concurrent jobs per account.'
    server.use(http.get(`${BASE}/v1/job/:id`, () => HttpResponse.json({ statusCode: 429, message: limit }, { status: 429 })))
    const error = await get(client({ retry: { limit: 1, baseDelayMs: 1 } }), '/v1/job/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).serverMessage).toBe(limit)
  })

  it('retries network errors for reads and reports a NetworkError at the end', async () => {
    tokenRoute()
    let hits = 0
    server.use(http.get(`${BASE}/v1/conversations/:id`, () => (hits++, HttpResponse.error())))
    const error = await get(client({ retry: { limit: 2, baseDelayMs: 1 } })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toMatch(/Could not reach https:\/\/api\.symbl\.test\/v1\/conversations\/1/)
    // No CORS on a server: the hint is for pages only (Platform.enforcesCors), whatever globals exist.
    expect((error as Error).message).not.toMatch(/CORS/)
    expect(hits).toBe(3)
  })

  it('names CORS only on a platform that enforces it, not when a DOM shim defines document on Node (jsdom, happy-dom)', async () => {
    tokenRoute()
    server.use(http.get(`${BASE}/v1/conversations/:id`, () => HttpResponse.error()))
    vi.stubGlobal('document', {})
    try {
      const error = await get(client({ retry: 0 })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NetworkError)
      expect((error as Error).message).not.toMatch(/CORS/)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('retry: 0 disables retries', async () => {
    tokenRoute()
    let hits = 0
    server.use(http.get(`${BASE}/v1/conversations/:id`, () => (hits++, HttpResponse.json({}, { status: 503 }))))
    await expect(get(client({ retry: 0 }))).rejects.toBeInstanceOf(HttpError)
    expect(hits).toBe(1)
  })
})

describe('timeouts and aborts', () => {
  it('throws a TimeoutError that names the option', async () => {
    tokenRoute()
    server.use(http.get(`${BASE}/v1/conversations/:id`, async () => (await new Promise((r) => setTimeout(r, 500)), HttpResponse.json({}))))
    const error = await get(client({ timeout: 50, retry: 0 })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toMatch(/within 50 ms.*timeout/)
  })

  it('passes the abort reason through when the caller aborts', async () => {
    tokenRoute()
    server.use(http.get(`${BASE}/v1/conversations/:id`, async () => (await new Promise((r) => setTimeout(r, 500)), HttpResponse.json({}))))
    const controller = new AbortController()
    const pending = client().http.request({ method: 'GET', path: '/v1/conversations/1', signal: controller.signal })
    setTimeout(() => controller.abort(new Error('stop now')), 20)
    await expect(pending).rejects.toThrow('stop now')
  })
})

describe('secrets stay out of errors and logs', () => {
  it('logs requests through the logger with tokens and secrets redacted', async () => {
    tokenRoute()
    server.use(http.get(`${BASE}/v1/conversations/:id`, () => HttpResponse.json({}, { status: 401 })))
    const lines: string[] = []
    const logger = {
      debug: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    }
    const c = client({ logger })
    const error = await get(c).catch((e: unknown) => e)
    const everything = lines.join('\n') + JSON.stringify(error) + String((error as Error).stack)
    expect(lines.length).toBeGreaterThan(0)
    expect(everything).not.toMatch(/token-1|token-2|super-secret-value/)
  })

  /** Everything an app could print or send on: message, stack, own properties, the cause chain. */
  const exposed = (error: unknown): string => {
    const parts: string[] = []
    for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
      parts.push(String((e as Error).message), String((e as Error).stack), JSON.stringify(e))
    }
    return parts.join('\n')
  }

  it('a token no HTTP header can carry is refused before sending, without quoting it (fetch quoted it in a NetworkError)', async () => {
    let fetched = 0
    const c = new Symbl({ baseUrl: BASE, accessToken: 'abc\nsecret-tok', retry: 0, fetch: (i, init) => (fetched++, fetch(i, init)) })
    const error = await get(c).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(/character an HTTP header cannot carry at position 3/)
    expect(exposed(error)).not.toContain('secret-tok')
    expect(fetched).toBe(0)
  })

  it('a token ending in a line break (read from a file) is sent trimmed', async () => {
    let seen: string | null = null
    server.use(
      http.get(`${BASE}/v1/conversations/:id`, ({ request }) => ((seen = request.headers.get('x-api-key')), HttpResponse.json({}))),
    )
    await get(new Symbl({ baseUrl: BASE, accessToken: 'file-token\n' }))
    expect(seen).toBe('file-token')
  })

  it('hides a refused token that the server echoes in its error body (an opaque token, not JWT-shaped)', async () => {
    server.use(
      http.get(`${BASE}/v1/conversations/:id`, ({ request }) =>
        HttpResponse.json(
          {
            message: `Token validation failed for provided token ${request.headers.get('x-api-key')}`,
            token: request.headers.get('x-api-key'),
          },
          { status: 401 },
        ),
      ),
    )
    let n = 0
    const error = await get(new Symbl({ baseUrl: BASE, tokenProvider: () => `opaque-token-${++n}`, retry: 0 })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(n).toBe(2)
    expect((error as AuthError).serverMessage).toBe('Token validation failed for provided token [redacted]')
    expect(exposed(error)).not.toMatch(/opaque-token-/)
  })

  it('a runtime error quoting the token becomes a NetworkError whose message and cause chain hide it (the code is kept)', async () => {
    const failing = async (_input: unknown, init?: RequestInit) => {
      const auth = new Headers(init?.headers ?? (_input as Request).headers).get('authorization')
      throw new TypeError(`request failed with ${auth}`, {
        cause: Object.assign(new Error(`socket hang up for ${auth}`), { code: 'ECONNRESET' }),
      })
    }
    const error = await get(new Symbl({ baseUrl: BASE, accessToken: 'opaque-tok-42', retry: 0, fetch: failing as typeof fetch })).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(NetworkError)
    expect(exposed(error)).not.toContain('opaque-tok-42')
    expect((error as { cause: { cause: { code: string } } }).cause.cause.code).toBe('ECONNRESET')
  })

  it('hides an app secret that came from the environment (not only one given as an option) from errors and log lines', async () => {
    vi.stubEnv('SYMBL_APP_ID', 'env-app')
    vi.stubEnv('SYMBL_APP_SECRET', 'env-secret-value-123')
    try {
      server.use(
        http.post(`${BASE}/oauth2/token:generate`, async ({ request }) => {
          const { appSecret } = (await request.json()) as { appSecret: string }
          return HttpResponse.json({ message: `"appSecret" ${appSecret} is not valid` }, { status: 400 })
        }),
      )
      const lines: string[] = []
      const logger = {
        debug: (m: string) => lines.push(m),
        info: (m: string) => lines.push(m),
        warn: (m: string) => lines.push(m),
        error: (m: string) => lines.push(m),
      }
      const error = await get(new Symbl({ baseUrl: BASE, retry: 0, logger })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(HttpError)
      expect((error as HttpError).serverMessage).toBe('"appSecret" [redacted] is not valid')
      // The token endpoint logs why it failed: the secret from the environment must not be in it.
      const handler = createTokenHandler({ baseUrl: BASE, retry: 0, logger })
      expect((await handler(new Request('http://app.test/symbl-token'))).status).toBe(502)
      expect(lines.some((l) => l.includes('token endpoint'))).toBe(true)
      expect(exposed(error) + lines.join('\n')).not.toContain('env-secret-value-123')
    } finally {
      vi.unstubAllEnvs()
    }
  })
})
