import WebSocket from 'ws'
import { Symbl } from '../../../src/node.js'
import type { StreamingConnection } from '../../../src/streaming/connection.js'
import type { StreamingEvents } from '../../../src/streaming/types.js'
import type { FakeServer } from './fake-server.js'

export function client(server: FakeServer, extra: Record<string, unknown> = {}): Symbl {
  return new Symbl({ baseUrl: server.url, accessToken: 'token-1', retry: { baseDelayMs: 1 }, ...extra })
}

/** Resolves with the arguments of the next `event`. */
export function next<K extends keyof StreamingEvents>(
  connection: StreamingConnection,
  event: K,
): Promise<Parameters<StreamingEvents[K]>[0]> {
  return new Promise((resolve) => connection.once(event, ((arg: unknown) => resolve(arg as never)) as never))
}

/** Polls `check` until it is true (no wall-clock assertion: only a generous cap against hanging). */
export async function until(check: () => boolean, what = 'condition', capMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > capMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

export const tick = () => new Promise((r) => setTimeout(r, 0))

/**
 * A client socket class that looks congested while `hold.on` is set (bufferedAmount 1 GiB), so the
 * connection's queue keeps what is given to it: pass `{ WebSocket: hold.Socket }` to the client.
 */
export function heldSocket(): { Socket: typeof WebSocket; on: boolean } {
  const state = { Socket: class HeldSocket extends WebSocket {}, on: false }
  const real = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'bufferedAmount')!.get!
  Object.defineProperty(state.Socket.prototype, 'bufferedAmount', {
    get(this: WebSocket) {
      return state.on ? 1 << 30 : (real.call(this) as number)
    },
  })
  return state
}
