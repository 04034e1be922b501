// The subscribe socket's attempts: what counts as a success, giving up, and the opening deadline.
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConnectionError, type SymblError, TimeoutError, ValidationError } from '../../../src/errors.js'
import type { TelephonyConnection } from '../../../src/telephony/telephony-connection.js'
import { FakeServer } from '../streaming/fake-server.js'
import { client, until } from '../streaming/helpers.js'

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

const fast = { initialDelayMs: 1, maxDelayMs: 2 }

/** Listens to a call's errors and closes (the first listener opens the subscribe socket). */
function watch(connection: TelephonyConnection): { errors: SymblError[]; closes: Array<{ code: number; reason: string }> } {
  const seen = { errors: [] as SymblError[], closes: [] as Array<{ code: number; reason: string }> }
  connection.on('error', (e) => seen.errors.push(e))
  connection.on('close', (info) => seen.closes.push(info))
  return seen
}

const sockets = (connection: TelephonyConnection) => server.subscribers.get(connection.connectionId)?.length ?? 0

/** A TCP server that accepts connections and never answers: a WebSocket handshake to it hangs. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const held: Socket[] = []
  const tcp: Server = createServer((socket) => {
    held.push(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
  return {
    url: `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}`,
    connections: () => held.length,
    close: async () => {
      for (const s of held) s.destroy()
      await new Promise<void>((resolve) => tcp.close(() => resolve()))
    },
  }
}

describe('subscription attempts', () => {
  it('gives up after reconnect.maxAttempts with an error event when the server accepts and drops every socket at once', async () => {
    server.behaviour.onSubscriber = (ws) => ws.terminate()
    const symbl = client(server)
    symbl.telephony.socketOptions = { reconnect: { maxAttempts: 3, ...fast } }
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    const seen = watch(connection)
    await until(() => seen.closes.length === 1, 'the subscription to give up', 5000)
    // The first socket and 3 reopenings; an open alone does not reset the count.
    expect(sockets(connection)).toBe(4)
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]).toBeInstanceOf(ConnectionError)
    expect(seen.errors[0].message).toMatch(/subscription socket was lost \(1006.*gave up after 3 attempts/)
    expect(seen.closes).toEqual([{ code: 1006, reason: 'gave up' }])
    await new Promise((r) => setTimeout(r, 50))
    expect(sockets(connection)).toBe(4)
  })

  it('an error frame before the drop does not count as a success', async () => {
    server.behaviour.onSubscriber = (ws) => {
      ws.send(JSON.stringify({ type: 'error', message: 'no such call' }))
      ws.close(1011, 'bye')
    }
    const symbl = client(server)
    symbl.telephony.socketOptions = { reconnect: { maxAttempts: 2, ...fast } }
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    const seen = watch(connection)
    await until(() => seen.closes.length === 1, 'the subscription to give up', 5000)
    expect(sockets(connection)).toBe(3)
    expect(seen.errors.at(-1)!.message).toMatch(/gave up after 2 attempts/)
    expect(seen.closes).toEqual([{ code: 1011, reason: 'gave up' }])
  })

  it('a socket that delivers a frame, or stays up for stableMs, is a success: the count starts again', async () => {
    // Each socket delivers a frame, then drops: 6 drops with maxAttempts 1 and no giving up.
    let n = 0
    server.behaviour.onSubscriber = (ws) => {
      if (++n > 6) return
      ws.send(JSON.stringify({ type: 'message_response', messages: [] }))
      setTimeout(() => ws.terminate(), 20)
    }
    const symbl = client(server)
    symbl.telephony.socketOptions = { reconnect: { maxAttempts: 1, ...fast } }
    const a = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    const seenA = watch(a)
    await until(() => sockets(a) === 7, 'the seventh socket', 5000)
    expect(seenA.errors).toEqual([])
    expect(seenA.closes).toEqual([])
    await a.stop()

    // No frames at all, but each socket stays up longer than stableMs before it drops.
    let m = 0
    server.behaviour.onSubscriber = (ws) => {
      if (++m <= 4) setTimeout(() => ws.terminate(), 80)
    }
    symbl.telephony.socketOptions = { reconnect: { maxAttempts: 1, ...fast }, keepAlive: false, stableMs: 20 }
    const b = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    const seenB = watch(b)
    await until(() => sockets(b) === 5, 'the fifth socket', 5000)
    expect(seenB.errors).toEqual([])
    await b.stop()
  })

  it('refuses a bad openTimeoutMs or stableMs before dialing', async () => {
    const symbl = client(server)
    symbl.telephony.socketOptions = { openTimeoutMs: -1 }
    await expect(symbl.telephony.startPstn({ phoneNumber: '14082924837' })).rejects.toThrow(ValidationError)
    await expect(symbl.telephony.startPstn({ phoneNumber: '14082924837' })).rejects.toThrow(
      /openTimeoutMs must be a positive number of milliseconds, at most 2147483647 .*, got number -1/,
    )
    symbl.telephony.socketOptions = { stableMs: Number.NaN }
    await expect(symbl.telephony.startSip({ uri: 'sip:555@example.com' })).rejects.toThrow(/stableMs must be a positive number/)
    expect(server.rest).toHaveLength(0)
  })
})

describe('subscription opening deadline', () => {
  it('a WebSocket handshake that never completes fails the attempt with a TimeoutError after openTimeoutMs', async () => {
    const silent = await silentServer()
    try {
      const symbl = client(server, { wsBaseUrl: silent.url })
      symbl.telephony.socketOptions = { reconnect: { maxAttempts: 1, ...fast }, openTimeoutMs: 100 }
      const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
      const seen = watch(connection)
      await until(() => seen.closes.length === 1, 'the subscription to give up', 5000)
      expect(silent.connections()).toBe(2) // the first attempt and one reopening
      expect(seen.errors).toHaveLength(1)
      expect(seen.errors[0]).toBeInstanceOf(TimeoutError)
      expect(seen.errors[0].message).toMatch(
        /did not open within 100 ms \(openTimeoutMs\) while waiting for the WebSocket handshake; gave up after 1 attempts/,
      )
      expect(seen.closes).toEqual([{ code: 1006, reason: 'gave up' }])
    } finally {
      await silent.close()
    }
  })

  it('a tokenProvider that hangs fails the attempt with a TimeoutError too', async () => {
    let calls = 0
    const symbl = client(server, { accessToken: undefined, tokenProvider: () => (calls++ ? new Promise<string>(() => {}) : 'token-1') })
    symbl.telephony.socketOptions = { reconnect: false, openTimeoutMs: 100 }
    const connection = await symbl.telephony.startPstn({ phoneNumber: '14082924837' })
    symbl.tokens.invalidate('token-1')
    const seen = watch(connection)
    await until(() => seen.closes.length === 1, 'the subscription to give up', 5000)
    expect(seen.errors[0]).toBeInstanceOf(TimeoutError)
    expect(seen.errors[0].message).toMatch(/did not open within 100 ms \(openTimeoutMs\) while waiting for the token/)
    expect(server.handshakes).toHaveLength(0)
  })
})
