// Regression tests for input-robustness and resource-bound defects found in review (each failed
// before its fix): malformed URLs, handshakes that threw out of the upgrade handler, frames after
// stop, WAV fmt chunks the decoder could not read, close() that left timers or sockets behind, and
// telephony calls that kept evicted conversations alive.

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, lifecycle, token } from './helpers.js'

let emu: RunningEmulator
let tok: string
const escaped: unknown[] = []
const onUncaught = (e: unknown): void => void escaped.push(e)

beforeAll(async () => {
  process.on('uncaughtException', onUncaught)
  emu = await startEmulator({ jobDelayMs: 0 })
  tok = await token(emu)
})
afterAll(async () => {
  await emu.close()
  process.off('uncaughtException', onUncaught)
})

/** One raw HTTP/1.1 exchange (`Connection: close`): status, lower-cased headers, body. */
function raw(port: number, request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request))
    const chunks: Buffer[] = []
    socket.on('data', (d: Buffer) => chunks.push(d))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString()
      const [head, ...rest] = text.split('\r\n\r\n')
      const [statusLine, ...lines] = head.split('\r\n')
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    })
  })
}

const upgrade = (target: string, extra = ''): string =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`

function handshakeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const timer = setTimeout(() => {
      ws.terminate()
      resolve(-1) // no answer at all (the handler threw)
    }, 2000)
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => reject(new Error('handshake accepted')))
    ws.on('error', () => undefined)
  })
}

/** A 44-byte-header WAV with the given format tag and bits per sample, and 400 bytes of data. */
function wavHeader(tag: number, bits: number): Buffer {
  const data = 400
  const b = Buffer.alloc(44 + data)
  b.write('RIFF', 0)
  b.writeUInt32LE(36 + data, 4)
  b.write('WAVE', 8)
  b.write('fmt ', 12)
  b.writeUInt32LE(16, 16)
  b.writeUInt16LE(tag, 20)
  b.writeUInt16LE(1, 22)
  b.writeUInt32LE(8000, 24)
  b.writeUInt32LE(8000 * (bits / 8), 28)
  b.writeUInt16LE(bits / 8, 32)
  b.writeUInt16LE(bits, 34)
  b.write('data', 36)
  b.writeUInt32LE(data, 40)
  for (let i = 44; i < b.length; i++) b[i] = (i * 37) & 255
  return b
}

describe('malformed URLs are bad input (400), never a crash or a 500', () => {
  it('answers a malformed percent-escape in a REST path with a 400 JSON body', async () => {
    for (const id of ['%E0%A4%A', '%']) {
      const r = await api(emu, tok, 'GET', `/v1/conversations/${id}/messages`)
      expect(r.status, id).toBe(400)
      expect(r.body.message).toMatch(/percent-encoding/)
    }
  })

  it('answers a request target that is not a URL with a 400 JSON body and CORS headers', async () => {
    const r = await raw(
      emu.port,
      `GET http://[bad/v1/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer ${tok}\r\n\r\n`,
    )
    expect(r.status).toBe(400)
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.headers['access-control-allow-origin']).toBe('*')
    expect(JSON.parse(r.body).message).toEqual(expect.any(String))
  })

  it('refuses socket handshakes with a malformed id or target (400) instead of throwing out of the upgrade handler', async () => {
    for (const path of ['/v1/streaming/%E0%A4%A', '/v1/subscribe/%', '/events/%E0%A4%A']) {
      expect(await handshakeStatus(`${emu.wsUrl}${path}?access_token=${tok}`), path).toBe(400)
    }
    const r = await raw(emu.port, upgrade(`http://[bad/v1/streaming/x?access_token=${tok}`))
    expect(r.status).toBe(400)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(escaped).toEqual([])
    expect((await api(emu, tok, 'GET', '/v1/conversations')).status).toBe(200)
  })
})

describe('streaming: frames after the server closed the socket', () => {
  it('ignores a start_request that arrives after stop_request: no phantom conversation stays live', async () => {
    const before = emu.core.store.conversations.size
    const c = await connect(`${emu.wsUrl}/v1/streaming/after-stop-1?access_token=${tok}`)
    c.send({ type: 'start_request' })
    c.send({ type: 'stop_request' })
    c.send({ type: 'start_request' })
    c.ws.send(new Uint8Array(3200))
    expect((await c.closed).code).toBe(1000)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(c.frames.map(lifecycle)).toEqual([
      'conversation_created',
      'started_listening',
      'recognition_started',
      'conversation_completed',
      'recognition_stopped',
    ])
    expect(emu.core.store.conversations.size).toBe(before + 1)
    expect(emu.core.liveStreams.get('after-stop-1')).toBeUndefined()
    const id = c.frames[0].message.data.conversationId
    expect(emu.core.isLive(id)).toBe(false)
  })
})

describe('uploads: WAV fmt chunks the decoder cannot read', () => {
  it('answers 400 (not 500) for 16/24-bit float and 16-bit G.711 WAV files', async () => {
    for (const [tag, bits] of [
      [3, 16],
      [3, 24],
      [7, 16],
      [6, 16],
    ]) {
      const r = await api(emu, tok, 'POST', '/v1/process/audio', new Uint8Array(wavHeader(tag, bits)), { 'content-type': 'audio/wav' })
      expect(r.status, `tag ${tag} ${bits} bits`).toBe(400)
      expect(r.body.message).toMatch(/Invalid WAV file/)
    }
    // The supported widths still work.
    expect(
      (await api(emu, tok, 'POST', '/v1/process/audio', new Uint8Array(wavHeader(3, 32)), { 'content-type': 'audio/wav' })).status,
    ).toBe(201)
    expect(
      (await api(emu, tok, 'POST', '/v1/process/audio', new Uint8Array(wavHeader(7, 8)), { 'content-type': 'audio/wav' })).status,
    ).toBe(201)
  })
})

describe('close() leaves nothing behind', () => {
  it('a script that starts the emulator, leaves jobs, latency and sockets pending, and closes it exits by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-close-'))
    const script = join(dir, 'run.mjs')
    const entry = pathToFileURL(join(process.cwd(), 'src/emulator/index.ts')).href
    writeFileSync(
      script,
      `import net from 'node:net'
const { startEmulator } = await import(${JSON.stringify(entry)})
const emu = await startEmulator({ jobDelayMs: 20000, webhooks: true })
const tok = (await (await fetch(emu.url + '/oauth2/token:generate', { method: 'POST', body: JSON.stringify({ appId: 'a', appSecret: 'b' }) })).json()).accessToken
const auth = { authorization: 'Bearer ' + tok }
// A webhook receiver that never answers, and a URL job pointing at it (the fetch hangs too).
const hang = net.createServer(() => undefined).listen(0, '127.0.0.1')
await new Promise((r) => hang.once('listening', r))
const hangUrl = 'http://127.0.0.1:' + hang.address().port + '/x'
await fetch(emu.url + '/v1/process/text', { method: 'POST', headers: auth, body: JSON.stringify({ webhookUrl: hangUrl, messages: [{ payload: { content: 'hello there' } }] }) })
await fetch(emu.url + '/v1/process/audio/url', { method: 'POST', headers: auth, body: JSON.stringify({ url: hangUrl }) })
// A request held by injected latency, and a client that keeps its half of a refused handshake open.
emu.faults.addLatency(20000)
fetch(emu.url + '/v1/conversations', { headers: auth }).catch(() => undefined)
const half = net.connect({ port: emu.port, host: '127.0.0.1', allowHalfOpen: true }, () =>
  half.write('GET /v1/streaming/x HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n'))
half.on('error', () => undefined)
half.on('end', () => undefined)
await new Promise((r) => setTimeout(r, 100))
const t0 = Date.now()
await emu.close()
hang.close()
half.unref()
hang.unref()
console.log('closed in', Date.now() - t0)
`,
    )
    try {
      const started = Date.now()
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (out += d))
      const code = await new Promise<number | string>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve('still running after 8 s')
        }, 8000)
        child.on('exit', (c) => {
          clearTimeout(timer)
          resolve(c ?? -1)
        })
      })
      expect(code, out).toBe(0)
      expect(out).toMatch(/closed in \d+/)
      expect(Number(/closed in (\d+)/.exec(out)![1]), out).toBeLessThan(2000)
      expect(Date.now() - started).toBeLessThan(8000)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 15_000)

  it('dispose() cancels job timers without failing jobs into webhooks, and the core keeps working', async () => {
    const own = await startEmulator({ jobDelayMs: 60_000 })
    try {
      const t = await token(own)
      const seen: string[] = []
      const hook = await import('node:http').then(({ createServer }) =>
        createServer((req, res) => {
          let body = ''
          req
            .on('data', (d) => (body += d))
            .on('end', () => {
              seen.push(JSON.parse(body).status)
              res.end()
            })
        }).listen(0, '127.0.0.1'),
      )
      await new Promise((r) => hook.once('listening', r))
      const webhookUrl = `http://127.0.0.1:${(hook.address() as net.AddressInfo).port}/hook`
      const r = await api(own, t, 'POST', '/v1/process/text', { webhookUrl, messages: [{ payload: { content: 'hi' } }] })
      expect(r.status).toBe(201)
      for (let i = 0; i < 200 && !seen.length; i++) await new Promise((resolve) => setTimeout(resolve, 5))
      expect(seen).toEqual(['scheduled'])
      expect(own.core.timers.size).toBeGreaterThan(0)
      own.core.dispose()
      expect(own.core.timers.size).toBe(0)
      await own.core.idle() // resolves: the job no longer counts as unfinished
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(seen).toEqual(['scheduled']) // no 'failed' webhook for a job stopped by close
      expect(own.core.store.jobs.get(r.body.jobId)?.status).toBe('scheduled')
      // The core still works afterwards (a core shared with msw handlers outlives the server).
      own.core.jobs.delayMs = 0
      const again = await api(own, t, 'POST', '/v1/process/text', { messages: [{ payload: { content: 'hi again' } }] })
      await own.core.idle()
      expect(own.core.store.jobs.get(again.body.jobId)?.status).toBe('completed')
      hook.close()
    } finally {
      await own.close()
    }
  })
})

describe('memory bound: telephony calls of evicted conversations', () => {
  it('ends and forgets the calls whose conversation was evicted', async () => {
    const small = await startEmulator({ maxConversations: 3, jobDelayMs: 0 })
    try {
      const t = await token(small)
      const ids: string[] = []
      for (let i = 0; i < 10; i++) {
        const r = await api(small, t, 'POST', '/v1/endpoint:connect', {
          operation: 'start',
          endpoint: { type: 'pstn', phoneNumber: `1408555${1000 + i}` },
        })
        expect(r.status).toBe(201)
        ids.push(r.body.connectionId)
      }
      expect(small.core.store.conversations.size).toBe(3)
      expect(small.core.telephony.calls.size).toBe(3)
      const stopOld = await api(small, t, 'POST', '/v1/endpoint:connect', { operation: 'stop', connectionId: ids[0] })
      expect(stopOld.status).toBe(404)
      const stopNew = await api(small, t, 'POST', '/v1/endpoint:connect', { operation: 'stop', connectionId: ids[9] })
      expect(stopNew.status).toBe(200)
    } finally {
      await small.close()
    }
  })
})
