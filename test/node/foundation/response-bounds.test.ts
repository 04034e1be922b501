// Answers that never end, or stop half-way, against a real HTTP server: the SDK stops reading with
// a typed error instead of growing without bound or waiting forever (found by probing the CLI, whose
// memory grew to 24 GB against a server streaming an endless body).
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HttpError, NetworkError, SymblError, TimeoutError } from '../../../src/errors.js'
import { MAX_BODY_BYTES, readBody } from '../../../src/http/read-body.js'
import { Symbl } from '../../../src/node.js'

let server: Server | undefined
afterEach(async () => {
  if (!server) return
  server.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

async function serve(answer: (res: ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => answer(res))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const ID = '1234567890123456'
const client = (baseUrl: string, timeout = 30_000) => new Symbl({ baseUrl, accessToken: 'a-token', retry: 0, timeout })

/** Writes 1 MiB chunks for as long as the client reads; returns how many bytes went out. */
function endless(res: ServerResponse, status: number): { sent: () => number } {
  let sent = 0
  const chunk = Buffer.alloc(1024 * 1024, 0x20)
  res.writeHead(status, { 'content-type': 'application/json' })
  res.write('{"messages": [')
  const pump = () => {
    while (!res.destroyed && res.write(chunk)) sent += chunk.length
    if (!res.destroyed) res.once('drain', pump)
  }
  pump()
  return { sent: () => sent }
}

describe('reading an answer is bounded', () => {
  it('an endless 200 body: a SymblError (code http) past MAX_BODY_BYTES, naming baseUrl; the download stops', async () => {
    let stream: { sent: () => number } | undefined
    const url = await serve((res) => (stream = endless(res, 200)))
    const error = await client(url)
      .conversations.getMessages(ID)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SymblError)
    expect((error as SymblError).code).toBe('http')
    expect((error as Error).message).toMatch(/larger than 64 MiB.*Check `baseUrl`/)
    expect((error as Error).message).toContain(`GET ${url}/v1/conversations/${ID}/messages`)
    // Reading stopped: the server is not asked for much more than the limit (kernel buffers aside).
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(stream!.sent()).toBeLessThan(MAX_BODY_BYTES + 32 * 1024 * 1024)
  })

  it('an endless error body: the HttpError comes with the first MiB quoted, not after the whole stream', async () => {
    const url = await serve((res) => endless(res, 500))
    const error = await client(url)
      .conversations.getMessages(ID)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(500)
  })

  it('a body that stops arriving: a TimeoutError after the timeout with nothing received', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"messages": [') // and nothing more
    })
    const error = await client(url, 300)
      .conversations.getMessages(ID)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toMatch(/the answer stopped arriving for 300 ms. Raise the `timeout` option/)
  })

  it('a connection reset in the middle of the body: a NetworkError', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      res.write('{"messages": [')
      setTimeout(() => res.socket?.destroy(), 20)
    })
    const error = await client(url)
      .conversations.getMessages(ID)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toMatch(/Check `baseUrl` and the network/)
  })

  it('an abort while the body arrives rejects with the reason at once', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"messages": [')
    })
    const controller = new AbortController()
    const call = client(url).conversations.getMessages(ID, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user left')), 100)
    await expect(call).rejects.toThrow('user left')
  })
})

describe('readBody watchdog (fake timers: the bounds are minutes long)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A body that sends one byte every `everyMs`, `count` times (forever by default), then nothing. */
  function drip(everyMs: number, count = Number.POSITIVE_INFINITY): Response {
    let sent = 0
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) =>
        sent >= count
          ? new Promise<void>(() => {})
          : new Promise<void>((resolve) =>
              setTimeout(() => {
                sent++
                // The reader may have cancelled meanwhile (it gave up): a closed stream takes nothing.
                if (!cancelled) controller.enqueue(new Uint8Array([0x20]))
                resolve()
              }, everyMs),
            ),
      cancel: () => {
        cancelled = true
      },
    })
    return new Response(body, { headers: { 'content-type': 'application/json' } })
  }

  /** Advances the fake clock in 1 s steps (each timer's promise work runs between them). */
  async function advance(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += 1000) await vi.advanceTimersByTimeAsync(Math.min(1000, ms - t))
  }

  const settled = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: unknown) => e,
    )

  it('a body that keeps trickling gets ten timeouts in all (five minutes at least), then a TimeoutError saying so', async () => {
    vi.useFakeTimers()
    const outcome = settled(readBody(drip(500), { what: () => 'GET https://api.test/x', stallMs: 1000 }))
    await advance(299_000)
    expect(await Promise.race([outcome, 'pending'])).toBe('pending') // a byte every 500 ms: never a stall
    await advance(2_000)
    const error = await outcome
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toMatch(/^GET https:\/\/api\.test\/x: the answer was still arriving after 300 s/)
  })

  it('a pause longer than the timeout after some bytes is a stall, measured from the last byte', async () => {
    vi.useFakeTimers()
    const outcome = settled(readBody(drip(400, 3), { stallMs: 1000 }))
    await vi.advanceTimersByTimeAsync(2_150) // the last byte at 1 200 ms: no stall before 2 200 ms
    expect(await Promise.race([outcome, 'pending'])).toBe('pending')
    await vi.advanceTimersByTimeAsync(100)
    const error = await outcome
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toMatch(/^The request: the answer stopped arriving for 1000 ms/)
  })
})
