// A Node script using the SDK must exit by itself once it is done: no timer, socket or pending
// close handshake may keep the process alive, and nothing may crash it. Each case runs
// exit-script.ts in its own process (tsx) against the protocol-speaking fake server.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeServer } from './fake-server.js'
import { until } from './helpers.js'

const SCRIPT = fileURLToPath(new URL('./exit-script.ts', import.meta.url))
/** Far below the 60 s backoff and `ws`'s 30 s close-handshake wait the cases would otherwise hang on. */
const EXIT_WITHIN_MS = 8000

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

interface Run {
  events: string[]
  /** Resolves with the exit code, and how long after `mark()` the process exited. */
  exited: Promise<{ code: number | null; afterMarkMs: number; output: string }>
  mark(): void
}

function run(scenario: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, SCENARIO: scenario, SYMBL_URL: server.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const events: string[] = []
  let output = ''
  let markedAt = Date.now()
  child.stdout.on('data', (d: Buffer) => {
    output += d
    for (const line of String(d).split('\n')) if (line.startsWith('event:')) events.push(line.slice(6))
  })
  child.stderr.on('data', (d: Buffer) => (output += d))
  const exited = new Promise<{ code: number | null; afterMarkMs: number; output: string }>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 40_000)
    child.on('exit', (code) => {
      clearTimeout(kill)
      resolve({ code, afterMarkMs: Date.now() - markedAt, output })
    })
  })
  return { events, exited, mark: () => (markedAt = Date.now()) }
}

async function expectCleanExit(r: Run): Promise<void> {
  const { code, afterMarkMs, output } = await r.exited
  expect(code, output).toBe(0)
  expect(afterMarkMs, output).toBeLessThan(EXIT_WITHIN_MS)
}

describe('a Node script using the SDK exits by itself', { timeout: 45_000 }, () => {
  it('after a completed stop()', async () => {
    const r = run('stop')
    await expectCleanExit(r)
    expect(r.events).toEqual(['stopped'])
  })

  it.each(['close-in-backoff', 'close-in-reconnecting-listener'])(
    'after close() during a reconnection backoff (%s): the backoff timer is cleared',
    async (scenario) => {
      const r = run(scenario)
      await until(() => r.events.includes('started') && server.sockets.length === 1, 'started', 20_000)
      r.mark()
      server.drop(server.last, 1011)
      await expectCleanExit(r)
      expect(server.sockets).toHaveLength(1)
    },
  )

  it('after the keep-alive gives up on a half-open socket: it is destroyed, not left waiting 30 s for a close handshake', async () => {
    const r = run('half-open')
    await until(() => r.events.includes('started') && server.sockets.length === 1, 'started', 20_000)
    // The peer vanishes: it reads nothing more (no pong, no answer to a close frame).
    server.behaviour.pong = false
    server.last.dropped = true
    server.last.ws.pause()
    r.mark()
    await expectCleanExit(r)
    expect(r.events).toEqual(['started', 'error:AudioNotDeliveredError', 'closed'])
  })

  it('after an aborted start', async () => {
    server.behaviour.start = 'silent'
    const r = run('abort-start')
    await expectCleanExit(r)
    expect(r.events).toEqual(['rejected:gave up'])
  })

  it('without crashing when a call is stopped while its subscribe socket is still being opened', async () => {
    const r = run('telephony-stop-while-opening')
    await expectCleanExit(r)
    expect(r.events).toEqual(['stopped'])
  })

  it('an app listener that throws does not break the reconnection (its exception is reported on its own)', async () => {
    const r = run('throwing-listener')
    await until(() => r.events.includes('started') && server.sockets.length === 1, 'started', 20_000)
    server.drop(server.last, 1011)
    await expectCleanExit(r)
    expect(r.events).toEqual(['started', 'uncaught:app bug in reconnecting', 'reconnected', 'stopped:1'])
  })
})
