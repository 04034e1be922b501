// msw front: the same core behind `http` handlers (Node and browser), plus `ws.link` handlers for
// the sockets where msw can intercept them (the global WebSocket: browsers, Node 22+, or Node 20
// with a polyfilled global; see toolchain notes §4). msw cannot refuse a handshake, so a refused
// socket is opened and closed at once with code 4000 + HTTP status (4401, 4429, 4503...).

import { http, HttpResponse, ws, type HttpHandler, type WebSocketHandler } from 'msw'
import type { EmulatorCore } from './core/core.js'

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

const SOCKET_PATHS = ['/v1/streaming/:id', '/v1/realtime/insights/:id', '/v1/subscribe/:id', '/session/subscribe/:id', '/events/:id']

export function createEmulatorHandlers(core: EmulatorCore, options: EmulatorHandlerOptions = {}): Array<HttpHandler | WebSocketHandler> {
  const baseUrl = (options.baseUrl ?? 'https://api.symbl.ai').replace(/\/+$/, '')
  const wsBase = (options.wsUrl ?? baseUrl.replace(/^http/, 'ws')).replace(/\/+$/, '')
  core.publicHttpUrl = baseUrl
  core.publicWsUrl = wsBase

  const rest = http.all(`${baseUrl}/*`, async ({ request }) => {
    if (request.method === 'OPTIONS') return new HttpResponse(null, { status: 204 })
    const answer = await core.handle({ method: request.method, url: new URL(request.url), headers: request.headers, body: request.body ? chunks(request.body) : null })
    return HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status })
  })

  const sockets = SOCKET_PATHS.map((path) =>
    ws.link(`${wsBase}${path}`).addEventListener('connection', ({ client }) => {
      // The offered subprotocol (the token, for JS 1.4.10 / WEB clients), as the interceptor exposes it.
      const protocol = (client as unknown as { socket?: { protocol?: string } }).socket?.protocol
      const result = core.openSocket({ url: new URL(client.url), headers: new Headers(), protocols: protocol ? [protocol] : [] })
      if (!result.ok) {
        client.close(4000 + result.status, result.message.slice(0, 120))
        return
      }
      const handler = result.attach({
        send: (text) => client.send(text),
        close: (code, reason) => client.close(code, reason),
        terminate: () => client.close(4006, 'dropped'),
      })
      // Keep frame order even when binary data arrives as Blob (async to read).
      let queue = Promise.resolve()
      client.addEventListener('message', (event) => {
        const data: unknown = event.data
        queue = queue.then(async () => {
          if (typeof data === 'string') handler.onText(data)
          else if (data instanceof ArrayBuffer) handler.onBinary(new Uint8Array(data))
          else if (ArrayBuffer.isView(data)) handler.onBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
          else if (data instanceof Blob) handler.onBinary(new Uint8Array(await data.arrayBuffer()))
        })
      })
      client.addEventListener('close', () => handler.onClose())
    }),
  )
  return [rest, ...sockets]
}
