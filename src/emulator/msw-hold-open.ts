// faults.delayHandshakes through msw: msw opens a mocked socket in a microtask right after its
// connection listeners ran and does not wait for async ones, so a delayed handshake cannot be
// expressed by awaiting. Instead the socket's `open` event is caught when msw dispatches it, the
// socket is kept CONNECTING (as a real client's is while its handshake is unanswered) and the event
// is replayed when the hold ends. Checked against msw 2.15 (@mswjs/interceptors' WebSocketOverride:
// a plain `readyState` field, `open` dispatched through `dispatchEvent`).

const CONNECTING = 0
const OPEN = 1

interface MutableSocket {
  readyState: number
  dispatchEvent(event: Event): boolean
}

export interface OpenHold {
  /** Ends the hold: replays `open` unless the socket was closed meanwhile. */
  release(): void
  /** Whether the client closed the socket while it was held. */
  readonly closed: boolean
}

/** Keeps `socket` from opening until `release()`. */
export function holdOpen(socket: WebSocket): OpenHold {
  const target = socket as unknown as MutableSocket
  let held: Event | undefined
  target.dispatchEvent = function dispatchHeld(this: MutableSocket, event: Event): boolean {
    if (event.type !== 'open') return Object.getPrototypeOf(target).dispatchEvent.call(this, event) as boolean
    held = event
    this.readyState = CONNECTING
    return true
  }
  return {
    get closed() {
      return target.readyState > OPEN
    },
    release() {
      delete (target as Partial<MutableSocket>).dispatchEvent // the prototype's again
      if (!held || target.readyState !== CONNECTING) return
      target.readyState = OPEN
      target.dispatchEvent(held)
    },
  }
}
