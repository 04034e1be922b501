// What a refused WebSocket handshake means. Node's `ws` reports the HTTP answer in its `error`
// event ("Unexpected server response: 401"); a browser shows any refusal only as a close with
// code 1006, so there it may have been the token (`platform.seesHandshakeStatus` is false).
import type { Platform } from '../platform.js'

/**
 * The HTTP status of a refused handshake, from the socket's last error message; undefined if it does
 * not say. The wordings (each checked against a real refusal, test/consumers/shared/refused-handshake.js):
 * Node's `ws` ("Unexpected server response: 401"), Bun ("Expected 101 status code: 401"), Deno ("Invalid
 * status code: 401"), workerd ("expected server to reply with HTTP status code 101 (switching protocols),
 * but received 401 instead."). Browsers never say.
 */
export function refusedStatus(error: string | undefined): number | undefined {
  const m = /(?:Unexpected server response|Expected 101 status code|Invalid status code): (\d{3})|but received (\d{3}) instead/.exec(
    error ?? '',
  )
  return Number(m?.[1] ?? m?.[2]) || undefined
}

/**
 * Whether a socket that closed during its opening may have been refused for its token, so that
 * the token is dropped from the cache and the next attempt asks for a fresh one: a 401, or, where
 * the status cannot be seen (browsers), any socket that closed before its handshake completed.
 */
export function tokenRefused(status: number | undefined, opened: boolean, platform: Pick<Platform, 'seesHandshakeStatus'>): boolean {
  return status === 401 || (!opened && !status && !platform.seesHandshakeStatus)
}

/** What a refused handshake's status most likely means, for the error's message. */
export function handshakeHint(status: number): string {
  if (status === 401 || status === 403) return ': the token was not accepted. Check what your tokenProvider returns'
  // An HTTP mock answered the upgrade as a plain request. msw on Node intercepts only the global
  // WebSocket, not the `ws` package the SDK uses there by default (its emulator front answers 426).
  if (status === 426)
    return ': the server took it for a plain HTTP request. With msw on Node, give the client the global WebSocket, which msw intercepts: new Symbl({ WebSocket: globalThis.WebSocket }) (Node 20: set the global from `ws` first)'
  return ''
}
