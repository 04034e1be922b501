import { ConfigError } from '../errors.js'
import type { Platform, WebSocketConstructor, WebSocketLike } from '../platform.js'
import { openInjected } from './open-socket.js'
import { loadPart } from '../utils/load-part.js'
import { captureMicrophone } from '../audio/load-microphone.js'

/**
 * Browsers cannot set handshake headers, so the token travels as the subprotocol (what Symbl's
 * web SDK does; the server echoes it) or, if it is not a valid subprotocol, as `access_token`.
 */
export const browserPlatform: Platform = {
  name: 'browser',
  seesHandshakeStatus: false,
  streamsRequestBodies: false,
  enforcesCors: true,
  async openWebSocket(url: string, token: string, impl: WebSocketConstructor | undefined): Promise<WebSocketLike> {
    const WS = impl ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined)
    if (!WS) throw new ConfigError('This environment has no WebSocket; pass one as the `WebSocket` option')
    return openInjected(WS, url, token)
  },
  // XMLHttpRequest (for upload progress), loaded with the first upload; the `fetch` the user
  // injected instead, if any (progress then comes once, at the end).
  async upload(request) {
    if (request.fetchInjected)
      return (await loadPart('file uploads', () => import('../async/upload-fetch.js'))).fetchUpload(request, 'blob')
    return (await loadPart('file uploads', () => import('../async/upload-browser.js'))).browserUpload(request)
  },
  // Loaded on first use (load-microphone.ts), so an app that never opens the microphone does not ship it.
  captureMicrophone,
}
