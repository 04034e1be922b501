// faults.delayHandshakes on both fronts: the server (real sockets with `ws`) and the msw handlers
// (msw's patched global WebSocket). A held handshake stays unanswered (the client's socket is
// CONNECTING) for the delay, and is then decided as usual: token, refusal faults, limits.

import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmulatorCore, startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { createEmulatorHandlers } from '../../src/emulator/msw.js'
import { connect, lifecycle, token } from './helpers.js'

const START = {
  type: 'start_request',
  config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 } },
  speaker: { userId: 'jane@example.com', name: 'Jane' },
}
const HOLD_MS = 300

describe('delayHandshakes: server front', () => {
  let emu: RunningEmulator
  let tok: string
  beforeAll(async () => {
    emu = await startEmulator({ jobDelayMs: 0 })
    tok = await token(emu)
  })
  afterAll(() => emu.close())

  it('holds matching handshakes for the delay, other paths not, then runs the session as usual', async () => {
    emu.faults.delayHandshakes(HOLD_MS, { path: '/v1/streaming/:id' })
    const started = performance.now()
    let heldOpen = false
    const held = connect(`${emu.wsUrl}/v1/streaming/delay-1?access_token=${tok}`).then((c) => {
      heldOpen = true
      return c
    })
    // A subscribe socket (another path) opens at once, while the streaming one is still held.
    const sub = await connect(`${emu.wsUrl}/v1/subscribe/delay-1?access_token=${tok}`)
    expect(heldOpen).toBe(false)
    const c = await held
    expect(performance.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 5)
    c.send(START)
    await c.next((f) => lifecycle(f) === 'recognition_started')
    c.send({ type: 'stop_request' })
    expect((await c.closed).code).toBe(1000)
    sub.ws.close()
  })

  it('decides after the hold: a refusal fault or a bad token still refuse, and `times` counts handshakes', async () => {
    emu.faults.delayHandshakes(HOLD_MS, { times: 2 }).refuseHandshakes(1, 503)
    let started = performance.now()
    await expect(connect(`${emu.wsUrl}/v1/streaming/delay-2?access_token=${tok}`)).rejects.toMatchObject({ status: 503 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 5)
    started = performance.now()
    await expect(connect(`${emu.wsUrl}/v1/streaming/delay-2?access_token=nope`)).rejects.toMatchObject({ status: 401 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 5)
    // Both counted uses are spent: a long hold armed for one other id leaves this one alone.
    emu.faults.delayHandshakes(60_000, { path: '/v1/streaming/delay-other' })
    const c = await connect(`${emu.wsUrl}/v1/streaming/delay-2?access_token=${tok}`)
    c.ws.close()
    emu.faults.clear()
  })

  it('refuses bad arguments with a RangeError naming them', () => {
    expect(() => emu.faults.delayHandshakes(-1)).toThrow(RangeError)
    expect(() => emu.faults.delayHandshakes(Number.NaN)).toThrow(/ms must be a finite number/)
    expect(() => emu.faults.delayHandshakes(10, { times: 0 })).toThrow(/times must be a positive integer/)
  })

  it('close() ends a held handshake, and a client giving up during the hold harms nothing', async () => {
    const own = await startEmulator({ jobDelayMs: 0 })
    const ownTok = await token(own)
    own.faults.delayHandshakes(60_000, { times: 2 })
    const gaveUp = connect(`${own.wsUrl}/v1/streaming/delay-3?access_token=${ownTok}`, { handshakeTimeout: 100 })
    await expect(gaveUp).rejects.toThrow(/timed out/i)
    const pending = connect(`${own.wsUrl}/v1/streaming/delay-4?access_token=${ownTok}`)
    const outcome = pending.then(
      () => 'opened',
      () => 'failed',
    )
    await new Promise((r) => setTimeout(r, 50))
    await own.close()
    expect(await outcome).toBe('failed')
    expect(own.core.timers.size).toBe(0)
  })
})

describe('delayHandshakes: msw front', () => {
  const BASE = 'https://api.symbl.test'
  const WS = 'wss://api.symbl.test'
  const core = new EmulatorCore({ jobDelayMs: 0 })
  const server = setupServer(...createEmulatorHandlers(core, { baseUrl: BASE }))
  let tok: string
  beforeAll(async () => {
    if (typeof globalThis.WebSocket === 'undefined') {
      ;(globalThis as { WebSocket?: unknown }).WebSocket = (await import('ws')).default
    }
    server.listen({ onUnhandledRequest: 'bypass' })
    const res = await fetch(`${BASE}/oauth2/token:generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'application', appId: 'a', appSecret: 'b' }),
    })
    tok = ((await res.json()) as { accessToken: string }).accessToken
  })
  afterAll(() => {
    server.close()
    core.dispose()
  })

  /** Opens msw's WebSocket; resolves with when it opened (or its close code if it never did). */
  function open(url: string): { ws: WebSocket; result: Promise<{ openedAfter?: number; code?: number }> } {
    const started = performance.now()
    const ws = new WebSocket(url)
    const result = new Promise<{ openedAfter?: number; code?: number }>((resolve) => {
      ws.addEventListener('open', () => resolve({ openedAfter: performance.now() - started }))
      ws.addEventListener('close', (e) => resolve({ code: e.code }))
    })
    return { ws, result }
  }

  it('keeps the socket CONNECTING for the delay, then opens it and the session runs', async () => {
    core.faults.delayHandshakes(HOLD_MS, { path: '/v1/realtime/insights/:id' })
    const held = open(`${WS}/v1/realtime/insights/msw-delay-1?access_token=${tok}`)
    const other = open(`${WS}/v1/subscribe/msw-delay-1?access_token=${tok}`)
    expect((await other.result).openedAfter).toBeDefined()
    expect(held.ws.readyState).toBe(WebSocket.CONNECTING)
    const { openedAfter } = await held.result
    expect(openedAfter).toBeGreaterThanOrEqual(HOLD_MS - 5)
    expect(held.ws.readyState).toBe(WebSocket.OPEN)
    const frames: string[] = []
    held.ws.addEventListener('message', (e) => frames.push(String(e.data)))
    const closed = new Promise<number>((resolve) => held.ws.addEventListener('close', (e) => resolve(e.code)))
    held.ws.send(JSON.stringify(START))
    held.ws.send(JSON.stringify({ type: 'stop_request' }))
    expect(await closed).toBe(1000)
    expect(frames.map((f) => lifecycle(JSON.parse(f)))).toContain('recognition_started')
    other.ws.close()
  })

  it('decides after the hold: an armed refusal closes with 4503 without ever opening', async () => {
    core.faults.delayHandshakes(HOLD_MS).refuseHandshakes(1, 503)
    const started = performance.now()
    const refused = open(`${WS}/v1/streaming/msw-delay-2?access_token=${tok}`)
    expect(await refused.result).toEqual({ code: 4503 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 5)
  })

  it('a client closing during the hold never opens; dispose() ends a held handshake with 1006', async () => {
    core.faults.delayHandshakes(HOLD_MS)
    const quitter = open(`${WS}/v1/streaming/msw-delay-3?access_token=${tok}`)
    await new Promise((r) => setTimeout(r, 20))
    quitter.ws.close()
    expect((await quitter.result).openedAfter).toBeUndefined()
    await new Promise((r) => setTimeout(r, HOLD_MS + 50))
    expect(quitter.ws.readyState).toBe(WebSocket.CLOSED)

    core.faults.delayHandshakes(60_000)
    const held = open(`${WS}/v1/streaming/msw-delay-4?access_token=${tok}`)
    await new Promise((r) => setTimeout(r, 20))
    core.dispose()
    expect(await held.result).toEqual({ code: 1006 })
  })
})
