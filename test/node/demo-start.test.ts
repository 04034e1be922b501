// `npm run demo` as a newcomer meets it, without a browser: a port already taken (by `npm run
// emulator`, typically) is one line naming the flag to use, and credentials in the environment
// pointed at a local server do not make the demo call it "the real Symbl API".
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'

const ROOT = resolve(import.meta.dirname, '../..')

/** Runs demo/start.ts until it prints its URL (then stops it) or exits; returns what it printed. */
function runDemo(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  const childEnv = { ...process.env, ...env }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k]
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts', '--no-watch', ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const onData = (c: Buffer) => {
    out += c.toString()
    if (/^Demo: http/m.test(out)) child.kill('SIGTERM')
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  return new Promise((done) => child.once('exit', (code) => done({ code, out })))
}

const noCredentials = { SYMBL_APP_ID: undefined, SYMBL_APP_SECRET: undefined, SYMBL_BASE_URL: undefined }

describe('npm run demo', () => {
  let busy: Server
  let emu: RunningEmulator
  beforeAll(async () => {
    busy = createServer(() => {})
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
    emu = await startEmulator({ port: 0 })
  })
  afterAll(async () => {
    await new Promise((r) => busy.close(r))
    await emu.close()
  })

  it('names --emulator-port when the emulator port is taken', async () => {
    const port = (busy.address() as AddressInfo).port
    const { code, out } = await runDemo(['--port', '0', '--emulator-port', String(port)], noCredentials)
    expect(code).toBe(1)
    expect(out).toContain(`port ${port} is already in use`)
    expect(out).toContain('--emulator-port')
    expect(out).not.toMatch(/\n\s+at /) // no stack
  })

  it('names --port when the page port is taken', async () => {
    const port = (busy.address() as AddressInfo).port
    const { code, out } = await runDemo(['--port', String(port), '--emulator-port', '0'], noCredentials)
    expect(code).toBe(1)
    expect(out).toContain(`port ${port} is already in use`)
    expect(out).toContain('npm run demo -- --port')
  })

  it('with credentials pointed at a local server, says it is not the real Symbl API', async () => {
    const { out } = await runDemo(['--port', '0'], {
      SYMBL_APP_ID: 'demo-test-id',
      SYMBL_APP_SECRET: 'demo-test-secret',
      SYMBL_BASE_URL: emu.url,
    })
    expect(out).toMatch(/^Demo: http/m)
    expect(out).toContain(`API: a local API at ${emu.url} (not the real Symbl API`)
    expect(out).not.toContain('demo-test-secret')
  })
})
