import { ConfigError } from '../errors.js'
import type { Platform, WebSocketConstructor, WebSocketLike } from '../platform.js'
import { openInjected } from './open-socket.js'

/**
 * Deno, through the Node entry (Deno resolves the `node` export condition; credentials still come
 * from the environment and symbl.conf): Deno's own WebSocket, which takes no headers, so the token
 * goes as the subprotocol (or `access_token` query) as in browsers; Deno's own fetch for uploads
 * (it streams request bodies). Files and Node streams through Deno's node:fs.
 */
export function denoPlatform(node: Platform): Platform {
  return {
    ...node,
    name: 'deno',
    // Deno reports every refused handshake as "Invalid status code: 401" (checked with 401, 403, 426, 500
    // and by test/consumers/deno), which refusedStatus reads: a failure without a status is not the token.
    seesHandshakeStatus: true,
    streamsRequestBodies: true,
    enforcesCors: false,
    async openWebSocket(url: string, token: string, impl: WebSocketConstructor | undefined): Promise<WebSocketLike> {
      const WS = impl ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined)
      if (!WS) throw new ConfigError('This Deno has no WebSocket; pass one as the `WebSocket` option')
      return openInjected(WS, url, token)
    },
    async upload(request) {
      return (await import('../async/upload-fetch.js')).fetchUpload(request, 'stream')
    },
  }
}
