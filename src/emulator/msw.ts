// msw front: the same core behind `http` handlers (Node and browser), plus `ws.link` handlers for
// the sockets where msw can intercept them (the global WebSocket: browsers, Node 22+, or Node 20
// with a polyfilled global; see toolchain notes §4). msw cannot refuse a handshake, so a refused
// socket never opens and is closed with code 4000 + HTTP status (4401, 4404, 4429, 4503...).
// msw's socket reports the first offered subprotocol as `protocol`; the core accepts the token in
// any position, so JS 1.4.10 / WEB (the token as the only subprotocol) see it echoed as on the server.

import { http, HttpResponse, ws, type HttpHandler, type WebSocketHandler, type WebSocketHandlerConnection } from 'msw'
import type { EmulatorCore } from './core/core.js'
import { holdOpen } from './msw-hold-open.js'

// The core and its fault API again, from this entry: `symbl-sdk/emulator` also holds the Node server
// (node:http, ws), which a browser bundle cannot load; this module imports nothing from Node.
export { EmulatorCore, type EmulatorCoreOptions } from './core/core.js'
export { Faults, type FailRule, type LatencyRule, type PathMatcher, type SocketFaultRule } from './core/faults.js'
export type { PreloadContext, PreloadKey } from './core/preload.js'
export type { PreloadedMessage, Speaker } from './core/types.js'

export interface EmulatorHandlerOptions {
  /** REST base URL to intercept (default https://api.symbl.ai). */
  baseUrl?: string
  /** WebSocket base URL to intercept (default: baseUrl with ws(s)://). */
  wsUrl?: string
}

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader()
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

/**
 * The request body as chunks. Firefox has no `Request.prototype.body` (it is undefined even when
 * the request has a body: https://bugzilla.mozilla.org/show_bug.cgi?id=1387483), so there the body
 * is read whole with arrayBuffer(); an empty one counts as none, as `body: null` does elsewhere.
 */
async function bodyOf(request: Request): Promise<AsyncIterable<Uint8Array> | null> {
  if (request.body !== undefined) return request.body ? chunks(request.body) : null
  if (request.method === 'GET' || request.method === 'HEAD') return null
  const bytes = new Uint8Array(await request.arrayBuffer())
  return bytes.length ? once(bytes) : null
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes
}

export function createEmulatorHandlers(core: EmulatorCore, options: EmulatorHandlerOptions = {}): Array<HttpHandler | WebSocketHandler> {
  const baseUrl = (options.baseUrl ?? 'https://api.symbl.ai').replace(/\/+$/, '')
  const wsBase = (options.wsUrl ?? baseUrl.replace(/^http/, 'ws')).replace(/\/+$/, '')
  core.publicHttpUrl = baseUrl
  core.publicWsUrl = wsBase

  const rest = http.all(`${baseUrl}/*`, async ({ request }) => {
    if (request.method === 'OPTIONS') return new HttpResponse(null, { status: 204 })
    // A socket's handshake arriving here as HTTP: on Node the client used `ws`, whose upgrade msw
    // sees only as a request. Say so (426) instead of a confusing 404 for an unknown REST path.
    if (request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      const message =
        'This WebSocket handshake reached msw as a plain HTTP request: msw intercepts only the global WebSocket. ' +
        'Give the client the global one: new Symbl({ WebSocket: globalThis.WebSocket }) (Node 20: set globalThis.WebSocket from `ws` before server.listen())'
      return HttpResponse.json({ message }, { status: 426 })
    }
    const answer = await core.handle({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await bodyOf(request),
    })
    if (answer.contentType !== undefined && typeof answer.body === 'string')
      return new HttpResponse(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } })
    return HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status })
  })

  // One link for every socket path of the host (each link and each open connection adds a listener on
  // msw's BroadcastChannel); the core routes the path and refuses unknown ones (closed with 4404).
  const sockets = [
    ws.link(`${wsBase}/*`).addEventListener('connection', ({ client, info }) => {
      // The offered subprotocols (the token, for JS 1.4.10 / WEB clients). `info.protocols` is what
      // the client passed; `client.socket.protocol` is still empty while this listener runs.
      const offered = info.protocols
      const protocols = typeof offered === 'string' ? [offered] : Array.isArray(offered) ? offered.map(String) : []
      const url = new URL(client.url)
      const delay = core.faults.takeHandshakeDelay(url.pathname)
      if (delay <= 0) return accept(client, url, protocols)
      // faults.delayHandshakes: the socket stays CONNECTING for the delay, then is decided as usual.
      // msw's connection type omits `socket`; the runtime object (WebSocketClientConnection) has it.
      const hold = holdOpen((client as unknown as { socket: WebSocket }).socket)
      void core.holdHandshake(delay).then((go) => {
        if (hold.closed) return hold.release()
        if (!go) {
          client.close(1006, '') // the emulator closed: as a dropped connection
          return hold.release()
        }
        accept(client, url, protocols)
        hold.release()
      })
    }),
  ]

  function accept(client: WebSocketHandlerConnection['client'], url: URL, protocols: string[]): void {
    const result = core.openSocket({ url, headers: new Headers(), protocols })
    if (!result.ok) {
      // Close reasons are limited to 123 bytes.
      client.close(4000 + result.status, result.message.slice(0, 120))
      return
    }
    // Frames the interceptor delivers in a later microtask; a close issued right after sending must
    // not overtake them (the interceptor drops sends once the socket is CLOSING), so closes are queued too.
    const handler = result.attach({
      send: (text) => client.send(text),
      close: (code, reason) => queueMicrotask(() => client.close(code, reason)),
      // An abrupt drop: no further frames; 1006 as a real dropped connection gives.
      terminate: () => client.close(1006, ''),
    })
    // Keep frame order even when binary data arrives as Blob (async to read); the close is queued
    // behind the frames so that audio sent just before closing is still processed.
    let queue = Promise.resolve()
    const enqueue = (fn: () => void | Promise<void>): void => {
      queue = queue.then(fn).catch(() => undefined) // a handler bug must not stall later frames
    }
    client.addEventListener('message', (event) => {
      const data: unknown = event.data
      enqueue(async () => {
        if (typeof data === 'string') handler.onText(data)
        else if (data instanceof ArrayBuffer) handler.onBinary(new Uint8Array(data))
        else if (ArrayBuffer.isView(data)) handler.onBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
        else if (data instanceof Blob) handler.onBinary(new Uint8Array(await data.arrayBuffer()))
      })
    })
    client.addEventListener('close', () => enqueue(() => handler.onClose()))
  }
  return [rest, ...sockets]
}
