// The token endpoint on a real node:http server, spoken to with raw sockets: requests a fetch
// `Request` cannot represent, broken Host headers, clients that leave, and authorize callbacks that
// fail. Every one gets an HTTP answer, and the server keeps serving.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect as http2Connect, createServer as createHttp2Server } from 'node:http2'
import { connect, type AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, ValidationError } from '../../../src/errors.js'
import { createTokenHandler, toNodeListener, type NodeListenerOptions, type TokenHandlerOptions } from '../../../src/node.js'

const SECRET = 'very-secret-app-secret'
const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
})

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

/** A Symbl stand-in that hands out a token. */
async function symbl(): Promise<string> {
  const port = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accessToken: 'node-token', expiresIn: 600 }))
  })
  return `http://127.0.0.1:${port}`
}

async function endpoint(options: Partial<TokenHandlerOptions> = {}, node: NodeListenerOptions = {}): Promise<number> {
  const handler = createTokenHandler({ baseUrl: await symbl(), appId: 'app', appSecret: SECRET, retry: 0, ...options })
  return listen(toNodeListener(handler, node))
}

/** Sends raw bytes; resolves with the status, the head and the (de-chunked) body of the first answer. */
function raw(port: number, text: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let data = ''
    const parts = () => {
      const end = data.indexOf('\r\n\r\n')
      return { end, head: end < 0 ? '' : data.slice(0, end), rest: end < 0 ? '' : data.slice(end + 4) }
    }
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1')
      const { end, head, rest } = parts()
      const length = /content-length: (\d+)/i.exec(head)
      // One whole answer is enough: the server may keep the connection open for another request.
      if (end >= 0 && ((length && rest.length >= Number(length[1])) || (/chunked/i.test(head) && rest.endsWith('0\r\n\r\n')))) socket.end()
    })
    socket.on('error', reject)
    socket.on('close', () => {
      const { head, rest } = parts()
      let body = rest
      if (/transfer-encoding: chunked/i.test(head)) {
        body = ''
        for (let at = 0; ; ) {
          const eol = rest.indexOf('\r\n', at)
          const size = parseInt(rest.slice(at, eol), 16)
          if (!(size > 0)) break
          body += rest.slice(eol + 2, eol + 2 + size)
          at = eol + 2 + size + 2
        }
      }
      resolve({ status: Number(data.split(' ')[1]), head, body })
    })
  })
}

const get = (extra = '') => `GET /symbl-token HTTP/1.1\r\nHost: app.test\r\n${extra}\r\n`

describe('toNodeListener on node:http', () => {
  // (CONNECT never reaches a request listener: node:http hands it to 'connect' listeners or closes the socket;
  // an unknown method such as TRACK gets node:http's own 400.)
  it('answers 405 with Allow to methods a fetch Request cannot even carry, and keeps serving', async () => {
    const port = await endpoint()
    for (const method of ['TRACE', 'DELETE', 'OPTIONS']) {
      const answer = await raw(port, `${method} /symbl-token HTTP/1.1\r\nHost: app.test\r\n\r\n`)
      expect(answer.status, method).toBe(405)
      expect(answer.head.toLowerCase()).toContain('allow: get, post')
    }
    expect((await raw(port, get())).status).toBe(200)
  })

  it('answers 400 to a Host that is not a valid authority, and takes an absolute-form target or no Host (HTTP/1.0)', async () => {
    const port = await endpoint()
    for (const host of ['a b', 'a@b', 'x/y', 'h:port', '[zz]']) {
      const answer = await raw(port, `GET /symbl-token HTTP/1.1\r\nHost: ${host}\r\n\r\n`)
      expect(answer.status, host).toBe(400)
      expect(JSON.parse(answer.body)).toEqual({ message: expect.stringContaining('Host') })
    }
    expect((await raw(port, 'GET http://app.test/symbl-token HTTP/1.1\r\nHost: app.test\r\n\r\n')).status).toBe(200)
    expect((await raw(port, 'GET ftp://app.test/symbl-token HTTP/1.1\r\nHost: app.test\r\n\r\n')).status).toBe(400)
    expect((await raw(port, 'GET /symbl-token HTTP/1.0\r\n\r\n')).status).toBe(200)
    expect((await raw(port, get())).status).toBe(200)
  })

  it('serves node:http2 (compatibility API), whose request headers a fetch Request refuses as they are', async () => {
    const handler = createTokenHandler({ baseUrl: await symbl(), appId: 'app', appSecret: SECRET, retry: 0 })
    const server = createHttp2Server(toNodeListener(handler) as unknown as Parameters<typeof createHttp2Server>[0])
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const client = http2Connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    try {
      const { status, body } = await new Promise<{ status: unknown; body: string }>((resolve, reject) => {
        const request = client.request({ ':path': '/symbl-token', cookie: 'a=1' })
        let status: unknown
        let body = ''
        request.on('response', (headers) => (status = headers[':status']))
        request.on('data', (d: Buffer) => (body += d))
        request.on('end', () => resolve({ status, body }))
        request.on('error', reject)
      })
      expect(status).toBe(200)
      expect(JSON.parse(body)).toMatchObject({ accessToken: 'node-token' })
    } finally {
      client.close()
      await new Promise((r) => server.close(r))
    }
  })

  it("an authorize that throws answers a generic 500 and logs the detail (handler's and listener's)", async () => {
    const lines: string[] = []
    const logger = { error: (m: string) => lines.push(m) }
    const failing = (): boolean => {
      throw new Error(`session store down at redis://:${SECRET}@cache`)
    }
    for (const port of [await endpoint({ logger, authorize: failing }), await endpoint({ logger }, { authorize: failing })]) {
      const answer = await raw(port, get())
      expect(answer.status).toBe(500)
      expect(answer.body).not.toContain('session store')
      expect(answer.body).not.toContain(SECRET)
      expect(JSON.parse(answer.body)).toEqual({ message: 'The token endpoint failed; see the server log' })
    }
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).toContain('session store down')
      expect(line).not.toContain(SECRET)
    }
  })

  it("a handler of the app's own that returns no Response, or a body that fails, still gets the request an answer (a 500)", async () => {
    const failingBody = new ReadableStream({
      pull(controller) {
        controller.error(new Error('body source failed'))
      },
    })
    const handlers = [
      // A token string where a Response belongs: the answer and the log must not show it.
      async () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw' as unknown as Response,
      async () => undefined as unknown as Response,
      async () => new Response(failingBody, { status: 200 }),
    ]
    for (const handler of handlers) {
      const port = await listen(toNodeListener(handler))
      const answer = await raw(port, get())
      expect(answer.status).toBe(500)
      expect(JSON.parse(answer.body)).toEqual({ message: 'The token endpoint failed; see the server log' })
      expect(answer.body).not.toContain('eyJ')
      // The server keeps serving.
      expect((await raw(port, get())).status).toBe(500)
    }
  })

  it('authorize must say true or false: anything else refuses the request (fails closed) and is logged', async () => {
    const lines: string[] = []
    const port = await endpoint(
      { logger: { error: (m: string) => lines.push(m) } },
      { authorize: () => ({ user: undefined }) as unknown as boolean },
    )
    expect((await raw(port, get())).status).toBe(500)
    expect(lines.join('\n')).toMatch(/must return true or false .*got object/)
    const allowed = await endpoint({}, { authorize: async (req) => req.headers.cookie === 'session=ok' })
    expect((await raw(allowed, get())).status).toBe(403)
    expect((await raw(allowed, get('Cookie: session=ok\r\n'))).status).toBe(200)
  })
})

describe('createTokenHandler without credentials', () => {
  const saved = { cwd: process.cwd(), env: { ...process.env } }
  afterEach(() => {
    process.chdir(saved.cwd)
    process.env = { ...saved.env }
  })

  it('says to set the app id and secret, not tokenProvider or accessToken, which a token handler cannot use', () => {
    const empty = mkdtempSync(join(tmpdir(), 'symbl-nocreds-'))
    process.chdir(empty)
    process.env.HOME = empty
    delete process.env.SYMBL_APP_ID
    delete process.env.SYMBL_APP_SECRET
    const error = (() => {
      try {
        createTokenHandler()
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    for (const way of ['createTokenHandler', 'appId', 'appSecret', 'SYMBL_APP_ID', 'SYMBL_APP_SECRET', 'symbl.conf'])
      expect(message).toContain(way)
    expect(message).not.toMatch(/tokenProvider|accessToken/)
  })
})

describe('token endpoint arguments', () => {
  const creds = { appId: 'app', appSecret: SECRET, baseUrl: 'http://127.0.0.1:9' }
  it('refuses what is not options, an authorize that is not a function, and a handler given a Node request', async () => {
    expect(() => createTokenHandler(null as never)).toThrow(ValidationError)
    expect(() => createTokenHandler({ ...creds, authorize: true as never })).toThrow(/authorize must be a function/)
    const handler = createTokenHandler(creds)
    expect(() => toNodeListener(undefined as never)).toThrow(/toNodeListener takes the handler/)
    expect(() => toNodeListener(handler, { authorize: 'yes' as never })).toThrow(/authorize must be a function of the Node request/)
    // app.get('/symbl-token', handler) without toNodeListener: Express passes its own req.
    const nodeLike = { method: 'GET', headers: { host: 'app.test' } }
    await expect(handler(nodeLike as never)).rejects.toThrow(/wrap it: toNodeListener\(handler\)/)
  })
})
