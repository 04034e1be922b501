// The Node upload transport against a real local HTTP server (no msw): a multi-chunk file must
// arrive intact (the file reader reuses its buffers), with Content-Length, and progress must end
// at the file size.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Symbl } from '../../../src/node.js'
import { digest, startRecordingServer, type Received, type RecordingServer } from './recording-server.js'
import { AuthError, NetworkError } from '../../../src/errors.js'

const size = 3 * 1024 * 1024 + 12345 // 13 chunks of 256 KiB, the last one partial
const content = Uint8Array.from({ length: size }, (_, i) => (i * 31 + (i >> 10)) & 0xff)
let dir: string
let srv: RecordingServer
let base: string
let received: Received[]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-real-'))
  await writeFile(join(dir, 'big.wav'), content)
  srv = await startRecordingServer()
  base = srv.base
  received = srv.received
})
afterAll(async () => {
  await srv.close()
  await rm(dir, { recursive: true, force: true })
})

describe('Node upload transport on a real socket', () => {
  it('streams a multi-chunk file from a path intact, with Content-Length and progress to the end', async () => {
    received.length = 0
    const progress: number[] = []
    const symbl = new Symbl({ baseUrl: base, accessToken: 't' })
    const conversation = await symbl.audio.processFile(join(dir, 'big.wav'), {
      wait: false,
      parameters: { name: 'big' },
      onUploadProgress: (p) => progress.push(p.sentBytes),
    })
    expect(conversation.conversationId).toBe('1')
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/process/audio?name=big', length: size, digest: digest(content) })
    expect(received[0].headers).toMatchObject({ 'content-length': String(size), 'content-type': 'audio/wav', authorization: 'Bearer t' })
    expect(progress.length).toBe(Math.ceil(size / (256 * 1024)))
    expect(progress.at(-1)).toBe(size)
  })

  it('re-reads the file from the start when a 401 makes it send again', async () => {
    received.length = 0
    srv.answer = (n) =>
      n === 1
        ? { status: 401, body: { message: 'Token validation failed for provided token.' } as never }
        : { status: 201, body: { conversationId: '2', jobId: 'j' } }
    let n = 0
    const symbl = new Symbl({ baseUrl: base, tokenProvider: () => `tok-${++n}` })
    const conversation = await symbl.audio.processFile(join(dir, 'big.wav'), { wait: false })
    expect(conversation.conversationId).toBe('2')
    expect(received.at(-1)).toMatchObject({ length: size, digest: digest(content) })
    expect(received.at(-1)!.headers.authorization).toBe('Bearer tok-2')
  })

  it('sends a Buffer without copying it and a refused token ends in an AuthError', async () => {
    received.length = 0
    srv.answer = () => ({ status: 401, body: { message: 'Token validation failed for provided token.' } as never })
    const symbl = new Symbl({ baseUrl: base, accessToken: 't' })
    await expect(symbl.audio.processFile(Buffer.from(content), { contentType: 'audio/wav' })).rejects.toBeInstanceOf(AuthError)
    expect(received.length).toBe(2)
    expect(received[1]).toMatchObject({ length: size, digest: digest(content) })
  })

  it('re-sends a path when the connection was refused (nothing reached the server), as the README promises', async () => {
    // A port nobody listens on: node:http reports ECONNREFUSED on the error itself, not on a cause.
    const probe = createTcpServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as { port: number }).port
    await new Promise((r) => probe.close(r))
    const requests = vi.spyOn(http, 'request')
    try {
      const symbl = new Symbl({ baseUrl: `http://127.0.0.1:${port}`, accessToken: 't', retry: { limit: 2, baseDelayMs: 1 } })
      const error = await symbl.audio.processFile(join(dir, 'big.wav'), { wait: false }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NetworkError)
      expect((error as Error).message).toMatch(/ECONNREFUSED/)
      expect(requests).toHaveBeenCalledTimes(3)
    } finally {
      requests.mockRestore()
    }
  })
})
