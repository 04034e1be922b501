// The few things that differ between Node and browsers, as an interface the core receives from
// the entry point (src/node.ts or src/browser.ts). The core never imports a runtime module itself.

/** The subset of the WHATWG WebSocket that the SDK uses; `ws` and browsers both provide it. */
export interface WebSocketLike {
  readonly readyState: number
  readonly bufferedAmount: number
  readonly protocol: string
  binaryType: string
  send(data: string | ArrayBufferLike | ArrayBufferView): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: { code: number; reason: string; wasClean?: boolean }) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: unknown) => WebSocketLike

export interface Platform {
  readonly name: 'node' | 'browser'
  /**
   * Opens a socket carrying the token the way the runtime allows (contract 2.2): a handshake
   * header on Node, the subprotocol (or `access_token` query) in browsers.
   */
  openWebSocket(url: string, token: string, impl: WebSocketConstructor | undefined): Promise<WebSocketLike>
}

/** RFC 6455 subprotocols must be HTTP tokens; JWTs are. */
export function isSubprotocolSafe(token: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(token)
}

export function withQuery(url: string, key: string, value: string): string {
  return url + (url.includes('?') ? '&' : '?') + `${key}=${encodeURIComponent(value)}`
}
