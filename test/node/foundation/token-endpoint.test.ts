import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTokenHandler, toNodeListener } from '../../../src/node.js'

const BASE = 'https://api.symbl.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const creds = { baseUrl: BASE, appId: 'app', appSecret: 'very-secret-app-secret', retry: 0 }

describe('createTokenHandler', () => {
  it('serves a token with its remaining lifetime, no-store, and reuses it', async () => {
    let calls = 0
    server.use(
      http.post(`${BASE}/oauth2/token:generate`, () => (calls++, HttpResponse.json({ accessToken: 'abc.def.ghi', expiresIn: 600 }))),
    )
    const handler = createTokenHandler(creds)
    const res = await handler(new Request('http://app.test/token'))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as { accessToken: string; expiresIn: number }
    expect(body.accessToken).toBe('abc.def.ghi')
    expect(body.expiresIn).toBeGreaterThan(590)
    expect(body.expiresIn).toBeLessThanOrEqual(600)
    await handler(new Request('http://app.test/token', { method: 'POST' }))
    expect(calls).toBe(1)
  })

  it('answers 405 to other methods and 403 when authorize says no', async () => {
    server.use(http.post(`${BASE}/oauth2/token:generate`, () => HttpResponse.json({ accessToken: 't', expiresIn: 600 })))
    expect((await createTokenHandler(creds)(new Request('http://a.test/', { method: 'PUT' }))).status).toBe(405)
    const guarded = createTokenHandler({ ...creds, authorize: (r) => r.headers.get('cookie') === 'session=ok' })
    expect((await guarded(new Request('http://a.test/'))).status).toBe(403)
    expect((await guarded(new Request('http://a.test/', { headers: { cookie: 'session=ok' } }))).status).toBe(200)
  })

  it('answers 502 without the secret or the reason when Symbl refuses the credentials', async () => {
    server.use(http.post(`${BASE}/oauth2/token:generate`, () => HttpResponse.json({ message: 'bad' }, { status: 401 })))
    const res = await createTokenHandler(creds)(new Request('http://a.test/'))
    expect(res.status).toBe(502)
    const text = await res.text()
    expect(text).not.toContain('very-secret-app-secret')
    expect(JSON.parse(text)).toMatchObject({ code: 'auth' })
  })

  it('needs credentials up front', () => {
    const saved = { ...process.env }
    delete process.env.SYMBL_APP_ID
    delete process.env.SYMBL_APP_SECRET
    try {
      expect(() => createTokenHandler({ configFile: '/nonexistent/symbl.conf' })).toThrow(/Cannot read the config file/)
    } finally {
      process.env = saved
    }
  })

  it('works as a node:http listener', async () => {
    server.use(http.post(`${BASE}/oauth2/token:generate`, () => HttpResponse.json({ accessToken: 'node-token', expiresIn: 100 })))
    const srv: Server = createServer(toNodeListener(createTokenHandler(creds)))
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    try {
      const { port } = srv.address() as AddressInfo
      const res = await fetch(`http://127.0.0.1:${port}/symbl-token`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(await res.json()).toMatchObject({ accessToken: 'node-token' })
    } finally {
      srv.close()
    }
  })
})
