// Uploads through the `fetch` the user injected (a proxy agent, instrumentation): every kind of
// source goes through it to a real local server and arrives intact; without an injected fetch the
// node:http transport is still the one used.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http, { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { Symbl } from '../../../src/node.js'
import { Symbl as BrowserSymbl } from '../../../src/browser.js'
import { NetworkError, TimeoutError } from '../../../src/errors.js'
import { created, digest, startRecordingServer, startSlowReader, type Received, type RecordingServer } from './recording-server.js'

const size = 4 * 1024 * 1024 + 4321 // 17 chunks of 256 KiB, the last one partial
const content = new Uint8Array(randomBytes(size))
let dir: string
let path: string
let srv: RecordingServer
let base: string
let received: Received[]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-fetch-'))
  path = join(dir, 'call.wav')
  await writeFile(path, content)
  srv = await startRecordingServer()
  base = srv.base
  received = srv.received
})
afterAll(async () => {
  await srv.close()
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => {
  received.length = 0
  srv.answer = created
  vi.restoreAllMocks()
})

interface Call {
  url: string
  method?: string
  headers: Headers
  init: RequestInit & { duplex?: string }
}

/** A fetch that records what it is asked and hands it to the global one, as a proxy or tracing wrapper would. */
function recordingFetch() {
  const calls: Call[] = []
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), method: init?.method, headers: new Headers(init?.headers), init: init ?? {} })
    return globalThis.fetch(input, init)
  }) as typeof globalThis.fetch
  return { calls, fetch }
}

describe('uploads through an injected fetch', () => {
  const sources: Array<[string, () => unknown, Record<string, unknown>]> = [
    ['a file path', () => path, {}],
    ['a Blob', () => new Blob([content]), { contentType: 'audio/wav' }],
    ['a byte array', () => Uint8Array.from(content), { contentType: 'audio/wav' }],
  ]
  for (const [what, file, extra] of sources) {
    it(`sends ${what} through the injected fetch, streamed and intact, with progress to the end`, async () => {
      const { calls, fetch } = recordingFetch()
      const nodeHttp = vi.spyOn(http, 'request')
      const progress: Array<{ sentBytes: number; totalBytes: number | undefined }> = []
      const symbl = new Symbl({ baseUrl: base, accessToken: 't', fetch })
      const conversation = await symbl.audio.processFile(file() as string, {
        ...extra,
        wait: false,
        parameters: { name: 'via fetch' },
        onUploadProgress: ({ sentBytes, totalBytes }) => progress.push({ sentBytes, totalBytes }),
      })
      expect(conversation.conversationId).toBe('1')
      expect(nodeHttp).not.toHaveBeenCalled()
      expect(calls).toHaveLength(1)
      const [call] = calls
      expect(call.url).toBe(`${base}/v1/process/audio?name=via+fetch`)
      expect(call.method).toBe('POST')
      expect(call.headers.get('content-type')).toBe('audio/wav')
      expect(call.headers.get('content-length')).toBe(String(size))
      expect(call.headers.get('authorization')).toBe('Bearer t')
      // Streamed (never a buffered copy of the file), and no redirect that would make fetch keep one.
      expect(call.init.body).toBeInstanceOf(ReadableStream)
      expect(call.init).toMatchObject({ redirect: 'error', duplex: 'half' })
      expect(received).toHaveLength(1)
      expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/process/audio?name=via+fetch', length: size, digest: digest(content) })
      expect(received[0].headers).toMatchObject({ 'content-length': String(size), 'content-type': 'audio/wav', authorization: 'Bearer t' })
      expect(progress.length).toBeGreaterThan(1)
      expect(progress.map((p) => p.sentBytes)).toEqual([...progress.map((p) => p.sentBytes)].sort((a, b) => a - b))
      expect(progress.at(-1)).toEqual({ sentBytes: size, totalBytes: size })
    })
  }

  it('re-sends the file through the injected fetch with a fresh token after a 401', async () => {
    const { calls, fetch } = recordingFetch()
    srv.answer = (n) =>
      n === 1
        ? { status: 401, body: { message: 'Token validation failed for provided token.' } }
        : { status: 201, body: { conversationId: '2', jobId: 'j' } }
    let n = 0
    const symbl = new Symbl({ baseUrl: base, tokenProvider: () => `tok-${++n}`, fetch })
    const conversation = await symbl.audio.processFile(path, { wait: false })
    expect(conversation.conversationId).toBe('2')
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual(['Bearer tok-1', 'Bearer tok-2'])
    expect(received).toHaveLength(2)
    expect(received[1]).toMatchObject({ length: size, digest: digest(content) })
    expect(received[1].headers.authorization).toBe('Bearer tok-2')
  })

  it('turns a TypeError from the injected fetch into a NetworkError that shows no token', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('fetch failed: the proxy refused Bearer tok-secret-123')
    })
    const symbl = new Symbl({
      baseUrl: base,
      accessToken: 'tok-secret-123',
      fetch: fetch as unknown as typeof globalThis.fetch,
      retry: { limit: 2, baseDelayMs: 1 },
    })
    const error = await symbl.audio.processFile(path, { wait: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toMatch(/Could not reach http:\/\/127\.0\.0\.1:\d+\/v1\/process\/audio/)
    expect((error as Error).message).toMatch(/the proxy refused/)
    expect((error as Error).message).not.toContain('tok-secret-123')
    expect(String((error as Error).cause)).not.toContain('tok-secret-123')
    expect(fetch).toHaveBeenCalled()
    expect(received).toHaveLength(0)
  })

  it('sends a file path intact to a server that stops reading for a while (backpressure through fetch)', async () => {
    // Past the loopback socket buffers: while the server reads nothing, the fetch's writes queue up,
    // and a chunk overwritten by the next read of the file would arrive corrupted.
    const large = new Uint8Array(randomBytes(24 * 1024 * 1024 + 777))
    const largePath = join(dir, 'large.wav')
    await writeFile(largePath, large)
    const slow = await startSlowReader(400)
    try {
      const { calls, fetch } = recordingFetch()
      const symbl = new Symbl({ baseUrl: slow.base, accessToken: 't', fetch })
      const conversation = await symbl.audio.processFile(largePath, { wait: false })
      expect(conversation.conversationId).toBe('7')
      expect(calls).toHaveLength(1)
      expect(slow.bytes).toBe(large.length)
      expect(slow.digest).toBe(digest(large))
    } finally {
      await slow.close()
    }
  })

  it('sends a file path intact through a fetch that reads the whole body before sending it (it gets fresh chunks)', async () => {
    // Instrumentation that buffers the body keeps every chunk it read: chunks sharing the file
    // reader's two reused buffers would all end up holding the last bytes read into them.
    const calls: number[] = []
    const buffering = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const reader = (init!.body as ReadableStream<Uint8Array>).getReader()
      const chunks: Uint8Array[] = []
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value)
      calls.push(chunks.length)
      return globalThis.fetch(input, { ...init, body: new Blob(chunks as BlobPart[]) })
    }) as typeof globalThis.fetch
    const symbl = new Symbl({ baseUrl: base, accessToken: 't', fetch: buffering })
    await symbl.audio.processFile(path, { wait: false })
    expect(calls).toEqual([Math.ceil(size / (256 * 1024))])
    expect(received[0]).toMatchObject({ length: size, digest: digest(content) })
  })

  it('times out when the server stops reading: progress (what fetch read) stops, so the stall guard fires', async () => {
    const stalled = createServer((req) => req.pause()) // reads nothing, never answers
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r))
    try {
      const { fetch } = recordingFetch()
      const big = new Uint8Array(32 * 1024 * 1024) // past what the sockets hold
      const symbl = new Symbl({
        baseUrl: `http://127.0.0.1:${(stalled.address() as { port: number }).port}`,
        accessToken: 't',
        fetch,
        timeout: 400,
      })
      let sent = 0
      const error = await symbl.audio
        .processFile(big, { contentType: 'audio/wav', wait: false, onUploadProgress: (p) => (sent = p.sentBytes) })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TimeoutError)
      expect((error as Error).message).toMatch(/stalled/)
      expect(sent).toBeGreaterThan(0)
      expect(sent).toBeLessThan(big.length)
    } finally {
      stalled.closeAllConnections()
      stalled.close()
    }
  })
})

describe('uploads through an injected fetch with the browser platform (run in Node)', () => {
  it('sends a Blob whole, without XMLHttpRequest, progress once at the end, and no stall timeout while it goes', async () => {
    const xhr = vi.fn()
    vi.stubGlobal('XMLHttpRequest', xhr)
    try {
      const calls: Call[] = []
      // Slower than `timeout`: a stall guard left running would abort this healthy upload.
      const slow = (async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push({ url: String(input), method: init?.method, headers: new Headers(init?.headers), init: init ?? {} })
        await new Promise((r) => setTimeout(r, 300))
        return globalThis.fetch(input, init)
      }) as typeof globalThis.fetch
      const progress: number[] = []
      const symbl = new BrowserSymbl({ baseUrl: base, accessToken: 't', fetch: slow, timeout: 100 })
      const blob = new Blob([content], { type: 'audio/wav' })
      const conversation = await symbl.audio.processFile(blob, {
        wait: false,
        parameters: { name: 'b' },
        onUploadProgress: (p) => progress.push(p.sentBytes),
      })
      expect(conversation.conversationId).toBe('1')
      expect(xhr).not.toHaveBeenCalled()
      expect(calls).toHaveLength(1)
      expect(calls[0]).toMatchObject({ url: `${base}/v1/process/audio?name=b`, method: 'POST' })
      expect(calls[0].init.body).toBe(blob)
      expect(calls[0].headers.get('content-type')).toBe('audio/wav')
      expect(calls[0].headers.has('content-length')).toBe(false) // the browser sets it
      expect(progress).toEqual([size])
      expect(received[0]).toMatchObject({ length: size, digest: digest(content) })
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('uploads without an injected fetch', () => {
  it('still use node:http, never fetch', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch')
    const nodeHttp = vi.spyOn(http, 'request')
    const progress: number[] = []
    const symbl = new Symbl({ baseUrl: base, accessToken: 't' })
    const conversation = await symbl.audio.processFile(path, { wait: false, onUploadProgress: (p) => progress.push(p.sentBytes) })
    expect(conversation.conversationId).toBe('1')
    expect(globalFetch).not.toHaveBeenCalled()
    expect(nodeHttp).toHaveBeenCalledTimes(1)
    expect(received[0]).toMatchObject({ length: size, digest: digest(content) })
    expect(progress.at(-1)).toBe(size)
  })
})
