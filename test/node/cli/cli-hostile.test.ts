// The `symbl` command line given hostile surroundings (the probe after issue 11): a reader that goes
// away, odd arguments, a server that quotes what it was sent. The built binary (`node
// dist/node/cli.js`, built by `npm test` first) against a real emulator or a small server of its own.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js'

const ROOT = resolve(import.meta.dirname, '../../..')
const CLI = resolve(ROOT, 'dist/node/cli.js')
const SECRET = 'cli-hostile-secret-7d1e'

let emulator: RunningEmulator
let dir: string

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    NO_COLOR: '1',
    SYMBL_BASE_URL: emulator.url,
    SYMBL_APP_ID: 'cli-hostile-app',
    SYMBL_APP_SECRET: SECRET,
    ...extra,
  } as NodeJS.ProcessEnv
}

/** A bash pipeline (async: the emulator runs in this process); its stdout. */
function pipeline(script: string): Promise<string> {
  const child = spawn('bash', ['-c', script], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c))
  return new Promise((done) => child.on('close', () => done(stdout)))
}

function run(args: string[], extra?: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c))
  child.stderr.on('data', (c: Buffer) => (stderr += c))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('The CLI tests run dist/node/cli.js: run `npm run build` first')
  dir = mkdtempSync(join(tmpdir(), 'symbl-cli-hostile-'))
  emulator = await startEmulator({ jobDelayMs: 0 })
})

afterAll(async () => {
  await emulator?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('symbl | head -1', () => {
  it('a reader that goes away ends the command quietly (status 0), without an EPIPE stack trace', async () => {
    const token = await (
      await fetch(`${emulator.url}/oauth2/token:generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'application', appId: 'cli-hostile-app', appSecret: SECRET }),
      })
    ).json()
    // More than a pipe holds (64 KiB), so the writes after `head` exits fail.
    const messages = Array.from({ length: 3000 }, (_, i) => ({
      payload: { content: `Line ${i} of the meeting notes.` },
      from: { name: 'Ann' },
    }))
    const posted = await fetch(`${emulator.url}/v1/process/text`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(token as { accessToken: string }).accessToken}` },
      body: JSON.stringify({ messages }),
    })
    const { conversationId } = (await posted.json()) as { conversationId: string }
    await emulator.core.idle()
    const errors = join(dir, 'stderr.txt')
    const shell = await pipeline(
      `"${process.execPath}" "${CLI}" conversation ${conversationId} messages 2>"${errors}" | head -1; echo "status \${PIPESTATUS[0]}"`,
    )
    const lines = shell.trim().split('\n')
    expect(lines[0]).toContain('Line 0 of the meeting notes.')
    expect(lines.at(-1)).toBe('status 0')
    expect(readFileSync(errors, 'utf8')).toBe('')
    // With stderr going away too (2>&1 | head -1), a failing command keeps its own status.
    const failing = await pipeline(
      `"${process.execPath}" "${CLI}" conversation 404 messages 2>&1 | head -c 0; echo "status \${PIPESTATUS[0]}"`,
    )
    expect(failing.trim()).toBe('status 1')
  })
})

describe('symbl process <url with a password>', () => {
  it('the password never reaches the output, even when the server quotes the request in its error', async () => {
    // A server that answers tokens, then quotes each request's body in a 400.
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c))
      req.on('end', () => {
        res.writeHead(req.url?.includes('oauth2') ? 200 : 400, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify(req.url?.includes('oauth2') ? { accessToken: 'opaque', expiresIn: 3600 } : { message: `bad request: ${body}` }),
        )
      })
    })
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      for (const args of [[], ['--verbose'], ['--json']]) {
        const r = await run(['process', 'https://ann:Pa55-media-url@media.example.com/calls/a.wav', '--base-url', baseUrl, ...args])
        expect(r.code).toBe(1)
        expect(r.stderr).toContain('https://ann:[redacted]@media.example.com/calls/a.wav')
        expect(r.stderr + r.stdout).not.toContain('Pa55-media-url')
      }
    } finally {
      server.close()
    }
  })
})

describe('symbl process <a URL that does not parse>', () => {
  it('is a usage error (status 2) naming the argument, without its user info', async () => {
    for (const [input, shown] of [
      ['http://[', 'http://['],
      ['https://a b/c.wav', 'https://a b/c.wav'],
      ['https://ann:Pa55-bad-url@[x/a.wav', 'https://…@[x/a.wav'],
    ]) {
      const r = await run(['process', input as string])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toBe(
        `symbl: "${shown}" is not a valid URL: give the recording's full http(s) address, e.g. https://example.com/call.wav (spaces as %20)\n`,
      )
    }
  })
})

describe('symbl sentiment --chart <a path that cannot be written>', () => {
  it("says what is wrong with the path (status 2), not Node's ENOENT/EISDIR line", async () => {
    const text = join(dir, 'one.json')
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(text, JSON.stringify({ messages: [{ payload: { content: 'I love it.' }, from: { name: 'Ann' } }] })),
    )
    const processed = await run(['process', text, '--json'])
    const { conversationId } = JSON.parse(processed.stdout) as { conversationId: string }
    mkdirSync(join(dir, 'folder.svg'))
    for (const [chart, why] of [
      [join(dir, 'missing', 'x.svg'), 'its folder does not exist'],
      [join(dir, 'folder.svg'), 'it is a folder'],
    ]) {
      const r = await run(['sentiment', conversationId, '--chart', chart as string])
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(`symbl: cannot write the chart to ${chart}: ${why}; give --chart a file path in a folder you can write to\n`)
    }
    const written = await run(['sentiment', conversationId, '--chart', join(dir, 'ok.svg')])
    expect(written.stdout).toBe(`Wrote ${join(dir, 'ok.svg')} (1 speaker, 1 message).\n`)
  })
})
