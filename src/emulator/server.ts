// Real HTTP + WebSocket front on loopback: node:http for REST (bodies streamed into the core, never
// buffered here) and `ws` in noServer mode so handshakes can be refused (401, faults) before the
// upgrade and the offered subprotocol echoed back exactly.

import { STATUS_CODES, createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { EmulatorCore, type EmulatorCoreOptions } from './core/core.js'
import type { Faults } from './core/faults.js'
import type { CoreResponse, HeaderBag } from './core/http.js'

export interface EmulatorOptions extends EmulatorCoreOptions {
  /** Port on the host; 0 (default) picks a free one. */
  port?: number
  /** Interface to bind (default 127.0.0.1). */
  host?: string
  /** Use an existing core (e.g. shared with msw handlers). */
  core?: EmulatorCore
  /**
   * Further `Host` names to answer (default: only localhost, 127.0.0.1, [::1] and `host`). Other
   * Host headers get 421: a DNS-rebinding page (evil.example resolving to 127.0.0.1) cannot reach it.
   */
  allowedHosts?: string[]
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:8787 */
  url: string
  /** e.g. ws://127.0.0.1:8787 */
  wsUrl: string
  port: number
  core: EmulatorCore
  faults: Faults
  close(): Promise<void>
}

function headerBag(req: IncomingMessage): HeaderBag {
  return {
    get(name) {
      const v = req.headers[name.toLowerCase()]
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v
    },
  }
}

/**
 * The request body as chunks, without the destroy-on-break of `for await (req)`: if the core stops
 * early (413, validation), the rest is drained by `resume()` so the answer can still be sent.
 */
function bodyChunks(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const queue: Buffer[] = []
      let done = false
      let failure: Error | undefined
      let wake: (() => void) | undefined
      const onData = (c: Buffer): void => {
        queue.push(c)
        req.pause()
        wake?.()
      }
      const onEnd = (): void => {
        done = true
        wake?.()
      }
      const onError = (e: Error): void => {
        failure = e
        wake?.()
      }
      req.on('data', onData).on('end', onEnd).on('error', onError)
      const cleanup = (): void => {
        req.off('data', onData).off('end', onEnd).off('error', onError)
        req.resume()
      }
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          while (!queue.length && !done && !failure) {
            req.resume()
            await new Promise<void>((r) => (wake = r))
            wake = undefined
          }
          if (queue.length) return { value: queue.shift()!, done: false }
          cleanup()
          if (failure) throw failure
          return { value: undefined, done: true }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          cleanup()
          return { value: undefined, done: true }
        },
      }
    },
  }
}

const BAD_URL = { status: 400, body: { message: 'Malformed request target.' } }

/** How long an answer given before the whole body arrived keeps reading the rest (nginx's lingering_time). */
const LINGER_MS = 30_000

/**
 * Lingering close (RFC 9112 §9.6): after an early answer (a 401 or 413 before the upload is in), read
 * and drop the rest of the body instead of closing at once. A socket closed under a client that is
 * still sending is reset, and Firefox and WebKit then report a network error instead of the answer
 * (a 16 MB upload with a bad token: NetworkError, not AuthError), so the SDK could not refresh the
 * token. Real API fronts linger too. A body still coming after LINGER_MS gets the socket destroyed.
 */
function lingerThenClose(req: IncomingMessage): void {
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS)
  timer.unref()
  req.once('end', () => clearTimeout(timer)).once('close', () => clearTimeout(timer))
  req.resume()
}

// CORS as open as the real API (a browser app calls it cross-origin with its token in `Authorization`
// or `x-api-key`): any origin, no cookies (no allow-credentials). That is safe because every API
// route needs a token and a token only reaches its own app's data (core/tokens.ts): a page without
// the app's token reads nothing. The HTML pages get no CORS headers: they are opened by following a
// link, never fetched cross-origin, and their keyed URLs are their only access control (core/pages.ts).
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-api-key, content-type',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

/** The host name of a Host header, lower-case, without port or trailing dot (`[::1]` keeps its brackets). */
function hostName(header: string): string {
  const h = header.trim().toLowerCase()
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0]
  return name.replace(/\.$/, '')
}

/**
 * DNS rebinding guard: a page on evil.example whose name is re-pointed at 127.0.0.1 reaches the
 * emulator same-origin, but its requests still say `Host: evil.example`. Only loopback names, the
 * bound host and `allowedHosts` are answered. IP literals are always fine: rebinding needs a name.
 */
function hostCheck(bound: string, extra: string[] = []): (header: string | undefined) => string | undefined {
  const allowed = new Set(
    [...LOOPBACK_NAMES, bound.includes(':') ? `[${bound}]` : bound, ...extra].map((h) =>
      hostName(h.includes(':') && !h.startsWith('[') ? `[${h}]` : h),
    ),
  )
  return (header) => {
    if (header === undefined || header === '') return undefined // HTTP/1.0 clients; browsers always send Host
    const name = hostName(header)
    if (allowed.has(name) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(name) || /^\[[0-9a-f:.]+\]$/.test(name)) return undefined
    return `Host "${name.slice(0, 100)}" is not served: this emulator answers localhost, 127.0.0.1, [::1] and the host it listens on. If you reach it by this name on purpose, start it with allowedHosts: ["${name.slice(0, 100)}"] (CLI: --allow-host ${name.slice(0, 100)}).`
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const core = options.core ?? new EmulatorCore(options)
  const host = options.host ?? '127.0.0.1'
  const badHost = hostCheck(host, options.allowedHosts)
  const base = (): string => `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`
  /** The request target as a URL; null when it cannot be one (an absolute-form target such as `http://[bad/x`). */
  const requestUrl = (req: IncomingMessage): URL | null => {
    try {
      return new URL(req.url ?? '/', base())
    } catch {
      return null
    }
  }

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refusedHost = badHost(req.headers.host)
    if (refusedHost) {
      const body = JSON.stringify({ message: refusedHost })
      res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body)
      req.resume()
      return
    }
    // The demo runs in a browser on another origin: answer CORS preflights.
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end()
      return
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const url = requestUrl(req)
    const answer: CoreResponse = url
      ? await core.handle({ method: req.method ?? 'GET', url, headers: headerBag(req), body: hasBody ? bodyChunks(req) : null })
      : BAD_URL
    const raw = answer.contentType !== undefined && typeof answer.body === 'string'
    const payload = raw ? (answer.body as string) : JSON.stringify(answer.body ?? {})
    const early = !req.readableEnded && hasBody
    res.writeHead(answer.status, {
      'content-type': raw ? answer.contentType! : 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...(raw ? {} : CORS),
    })
    res.end(payload)
    if (early) lingerThenClose(req)
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', ...CORS })
      res.end(JSON.stringify({ message: 'Internal emulator error.' }))
    })
  })
  // Upgrade requests are taken out of the HTTP server's connection tracking (closeAllConnections
  // does not see them): keep them here until `ws` owns them, so close() can end them too.
  const upgrading = new Set<Duplex>()
  const chosenProtocol = new WeakMap<IncomingMessage, string | undefined>()
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    // Echo exactly the protocol the core picked (the token, when sent as a subprotocol).
    handleProtocols: (_offered, req) => chosenProtocol.get(req) ?? false,
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined)
    upgrading.add(socket)
    socket.once('close', () => upgrading.delete(socket))
    const refuse = (status: number, message: string): void => {
      const body = JSON.stringify({ message })
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      )
      // The client may never read the answer: do not keep a half-open socket around for it.
      socket.once('finish', () => socket.destroy())
    }
    const refusedHost = badHost(req.headers.host)
    if (refusedHost) return refuse(403, refusedHost)
    const protocols = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
    const url = requestUrl(req)
    if (!url) return refuse(400, BAD_URL.body.message)
    // faults.delayHandshakes: hold the handshake unanswered, then decide as usual (unless the client
    // gave up or the emulator closed meanwhile).
    const delay = core.faults.takeHandshakeDelay(url.pathname)
    if (delay <= 0) return accept(req, socket, head, url, protocols, refuse)
    void core.holdHandshake(delay).then((go) => {
      if (!go || socket.destroyed) return socket.destroy()
      accept(req, socket, head, url, protocols, refuse)
    })
  })

  function accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    url: URL,
    protocols: string[],
    refuse: (status: number, message: string) => void,
  ): void {
    let result: ReturnType<EmulatorCore['openSocket']>
    try {
      result = core.openSocket({ url, headers: headerBag(req), protocols })
    } catch {
      // This runs in an event handler: a throw here would be an uncaught exception (a crash).
      return refuse(500, 'Internal emulator error.')
    }
    if (!result.ok) return refuse(result.status, result.message)
    chosenProtocol.set(req, result.protocol)
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      upgrading.delete(socket)
      const handler = result.attach({
        send: (text) => ws.readyState === ws.OPEN && ws.send(text),
        close: (code, reason) => ws.close(code, reason),
        terminate: () => ws.terminate(),
      })
      ws.on('message', (data: RawData, isBinary: boolean) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
        try {
          if (isBinary) handler.onBinary(bytes)
          else handler.onText(bytes.toString('utf8'))
        } catch {
          // A handler bug must not take the process down; the client just gets no answer.
        }
      })
      ws.on('close', () => handler.onClose())
      ws.on('error', () => undefined)
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = base()
  const wsUrl = url.replace(/^http/, 'ws')
  core.publicHttpUrl = url
  core.publicWsUrl = wsUrl

  return {
    url,
    wsUrl,
    port,
    core,
    faults: core.faults,
    async close() {
      for (const client of wss.clients) client.terminate()
      for (const socket of upgrading) socket.destroy()
      wss.close()
      core.dispose()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
