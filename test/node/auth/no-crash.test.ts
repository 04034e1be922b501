// Failures nobody awaits must not end the app's process: each case runs crash-script.ts in its own
// process (tsx), where an unhandled rejection or an uncaught exception exits with code 1.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SCRIPT = fileURLToPath(new URL('./crash-script.ts', import.meta.url))

function run(scenario: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, SCENARIO: scenario, SYMBL_APP_ID: '', SYMBL_APP_SECRET: '', SYMBL_BASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d))
  child.stderr.on('data', (d: Buffer) => (output += d))
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('exit', (code) => {
      clearTimeout(kill)
      resolve({ code, output })
    })
  })
}

describe('no unhandled failure ends the process', { timeout: 40_000 }, () => {
  it('a processFile called with an aborted signal starts no token fetch that fails unobserved', async () => {
    const { code, output } = await run('aborted-process-file')
    expect(code, output).toBe(0)
    expect(output).toContain('ok:aborted:AbortError')
    expect(output).toContain('ok:failed:HttpError')
    // Only the second call asked for a token: an aborted call starts nothing.
    expect(output).toContain('ok:token-requests:1')
    expect(output).toContain('alive')
  })

  it('abortable() with an aborted signal handles the later failure of the work it left', async () => {
    const { code, output } = await run('aborted-abortable')
    expect(code, output).toBe(0)
    expect(output).toContain('ok:aborted:AbortError')
  })

  it('the token endpoint on node:http answers odd and broken requests and the server lives on', async () => {
    const { code, output } = await run('token-endpoint')
    expect(code, output).toBe(0)
    expect(output).toContain('ok:trace:HTTP/1.1 405')
    expect(output).toContain('ok:badHost:HTTP/1.1 400')
    // The server still answers after clients left mid-body, before the answer and while authorize ran.
    expect(output).toContain('ok:after:HTTP/1.1 502')
    expect(output).toContain('alive')
  })
})
