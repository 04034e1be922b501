import { ConfigError } from '../errors.js'
import type { Platform, WebSocketConstructor, WebSocketLike } from '../platform.js'
import { openInjected } from './open-socket.js'

/**
 * Server-side web runtimes without Node's modules (Cloudflare Workers / workerd, Vercel Edge):
 * the runtime's own WebSocket, which takes no headers, so the token goes as the subprotocol (or
 * `access_token` query) as in browsers; uploads through the runtime's fetch, which streams bodies.
 * No files by path, no microphone.
 */
/** Cloudflare Workers and workerd say so in `navigator.userAgent`. */
function isCloudflareWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent === 'Cloudflare-Workers'
}

export const workerPlatform: Platform = {
  // Platform['name'] (src/platform.ts) lists the runtimes by name; this one is only used in messages.
  name: 'worker',
  // workerd reports every refused handshake with its status ("… but received 401 instead.", checked with
  // 401, 403, 426, 500 and by test/consumers/workerd), which refusedStatus reads. Other runtimes of this entry
  // (Vercel Edge) are unchecked: there, as in a browser, a socket closed before it opened may have been the token.
  seesHandshakeStatus: isCloudflareWorkers(),
  streamsRequestBodies: true,
  enforcesCors: false,
  async openWebSocket(url: string, token: string, impl: WebSocketConstructor | undefined): Promise<WebSocketLike> {
    const WS = impl ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined)
    if (!WS) throw new ConfigError('This runtime has no WebSocket; pass one as the `WebSocket` option')
    return openInjected(WS, url, token)
  },
  async upload(request) {
    return (await import('../async/upload-fetch.js')).fetchUpload(request, 'stream')
  },
}
