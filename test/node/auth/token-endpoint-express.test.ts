// The README's Express setup, for real: a session middleware puts `req.session` on the request, and
// the token route hands tokens only to logged-in users. `toNodeListener`'s authorize gets the Node
// (Express) request, which the fetch `Request` the handler's own authorize sees cannot carry.
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { createTokenHandler, toNodeListener } from '../../../src/node.js'

type SessionRequest = express.Request & { session?: { user?: string } }

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
})

async function listen(app: RequestListener): Promise<string> {
  const server = createServer(app)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('the token endpoint in an Express app', () => {
  it('gives tokens only to requests whose session has a user', async () => {
    let tokenCalls = 0
    const symbl = await listen(
      express().post('/oauth2/token:generate', (_req, res) => {
        tokenCalls++
        res.json({ accessToken: 'express-token', expiresIn: 600 })
      }),
    )
    const app = express()
    // A stand-in for express-session: the cookie names the logged-in user.
    app.use((req: SessionRequest, _res, next) => {
      const user = /(?:^|; )sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1]
      req.session = user ? { user } : {}
      next()
    })
    const handler = createTokenHandler({ baseUrl: symbl, appId: 'app', appSecret: 'express-app-secret', retry: 0 })
    app.get('/symbl-token', toNodeListener(handler, { authorize: (req: SessionRequest) => Boolean(req.session?.user) }))
    // Mounted in a router too: the path before the mount point is kept.
    const router = express.Router()
    router.post('/token', toNodeListener(handler, { authorize: (req: SessionRequest) => req.session?.user === 'admin' }))
    app.use('/api', router)
    const base = await listen(app)

    const anonymous = await fetch(`${base}/symbl-token`)
    expect(anonymous.status).toBe(403)
    expect(tokenCalls).toBe(0)
    const alice = await fetch(`${base}/symbl-token`, { headers: { cookie: 'sid=alice' } })
    expect(alice.status).toBe(200)
    expect(alice.headers.get('cache-control')).toBe('no-store')
    expect(await alice.json()).toMatchObject({ accessToken: 'express-token' })
    expect((await fetch(`${base}/api/token`, { method: 'POST', headers: { cookie: 'sid=alice' } })).status).toBe(403)
    expect((await fetch(`${base}/api/token`, { method: 'POST', headers: { cookie: 'sid=admin' } })).status).toBe(200)
    expect(tokenCalls).toBe(1)
  })
  it('leaves the answer to authorize when it sent one itself (a redirect to the login page)', async () => {
    const app = express()
    const handler = createTokenHandler({ baseUrl: 'http://127.0.0.1:9', appId: 'app', appSecret: 'express-app-secret', retry: 0 })
    app.get(
      '/symbl-token',
      toNodeListener(handler, {
        authorize: (_req, res: express.Response) => {
          res.redirect('/login')
          return false
        },
      }),
    )
    const answer = await fetch(`${await listen(app)}/symbl-token`, { redirect: 'manual' })
    expect(answer.status).toBe(302)
    expect(answer.headers.get('location')).toBe('/login')
  })
})
