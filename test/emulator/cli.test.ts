// The `symbl-emulator` command line: usage errors are one line and exit 2; a port in use is one
// plain line naming --port (no stack). Runs the real CLI (tsx) in a child process.

import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['src/emulator/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    // A CLI that starts listening instead of failing would never exit: stop it and fail the test.
    const guard = setTimeout(() => child.kill('SIGTERM'), 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(guard)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('symbl-emulator CLI', () => {
  it('--app-id without --app-secret (and the reverse) is a usage error naming the fix, not silently ignored', async () => {
    const a = await run(['--port', '0', '--app-id', 'my-app'])
    expect(a.code).toBe(2)
    expect(a.stderr.trim().split('\n')).toHaveLength(1)
    expect(a.stderr).toMatch(/--app-id needs --app-secret/)
    const b = await run(['--port', '0', '--app-secret', 'hunter2-secret'])
    expect(b.code).toBe(2)
    expect(b.stderr).toMatch(/--app-secret needs --app-id/)
    expect(b.stderr).not.toContain('hunter2')
  })

  it('a port in use is one plain line naming --port, not a stack', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const { port } = blocker.address() as AddressInfo
    try {
      const r = await run(['--port', String(port)])
      expect(r.code).toBe(1)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(new RegExp(`port ${port} .*already in use.*--port`))
      expect(r.stderr).not.toMatch(/\n\s+at /)
    } finally {
      blocker.close()
    }
  })

  it('a bad --port is a usage error', async () => {
    const r = await run(['--port', 'eighty'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--port must be an integer/)
  })

  it('a --job-delay a timer cannot wait is a usage error naming the range (issue 11, item 15)', async () => {
    const r = await run(['--port', '0', '--job-delay', '3e9'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--job-delay must be a number of milliseconds from 0 to 2147483647 \(got "3e9"\)/)
  })
})
