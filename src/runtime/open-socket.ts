import type { WebSocketConstructor, WebSocketLike } from '../platform.js'
import { isSubprotocolSafe, withQuery } from '../platform.js'

/** Opens a WHATWG-style socket, which takes no headers: the token goes as the subprotocol, else in the query. */
export function openInjected(WS: WebSocketConstructor, url: string, token: string): WebSocketLike {
  return isSubprotocolSafe(token) ? new WS(url, [token]) : new WS(withQuery(url, 'access_token', token))
}
