import type { Platform, WebSocketConstructor, WebSocketLike } from '../platform.js'
import { openInjected } from './open-socket.js'

/**
 * Bun, through the Node entry (Bun resolves the `node` export condition): Bun's own WebSocket, which
 * takes handshake headers as an extension (`new WebSocket(url, { headers })`), so the token goes as
 * `X-API-KEY` as on Node; Bun's own fetch for uploads (it streams request bodies). Files and Node
 * streams as on Node (Bun implements node:fs).
 */
export function bunPlatform(node: Platform): Platform {
  return {
    ...node,
    name: 'bun',
    // Bun reports every refused handshake as "Expected 101 status code: 401" (checked with 401, 403, 426, 500
    // and by test/consumers/bun), which refusedStatus reads: a failure without a status is not the token.
    seesHandshakeStatus: true,
    streamsRequestBodies: true,
    enforcesCors: false,
    async openWebSocket(url: string, token: string, impl: WebSocketConstructor | undefined): Promise<WebSocketLike> {
      if (impl) return openInjected(impl, url, token)
      const WS = globalThis.WebSocket as unknown as new (url: string, options: { headers: Record<string, string> }) => WebSocketLike
      return new WS(url, { headers: { 'X-API-KEY': token } })
    },
    async upload(request) {
      return (await import('../async/upload-fetch.js')).fetchUpload(request, 'stream')
    },
  }
}
