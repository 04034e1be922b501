// A real local HTTP server for upload tests: it reads each request body whole and records its
// method, URL, headers, length and SHA-256, then answers with `answer(n)` (n = requests so far).
import { createHash } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'

export const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

export interface Received {
  method?: string
  url?: string
  headers: IncomingHttpHeaders
  digest: string
  length: number
}

export type Answer = (n: number) => { status: number; body: unknown }

export const created: Answer = () => ({ status: 201, body: { conversationId: '1', jobId: 'j' } })

export interface RecordingServer {
  base: string
  received: Received[]
  /** What the next requests get (default: 201 with a job reference). */
  answer: Answer
  close(): Promise<void>
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const recorder = { received: [] as Received[], answer: created }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      recorder.received.push({ method: req.method, url: req.url, headers: req.headers, digest: digest(body), length: body.length })
      const { status, body: json } = recorder.answer(recorder.received.length)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return Object.assign(recorder, {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  })
}

export interface SlowReader {
  base: string
  /** Bytes read and their SHA-256, once the request has ended. */
  readonly bytes: number
  readonly digest: string
  close(): Promise<void>
}

/**
 * A server that reads nothing of a request for `pauseMs` (the client's writes back up), then
 * reads it all, hashing as it goes, and answers 201 with conversation id '7'. `onResume` runs
 * when it starts reading.
 */
export async function startSlowReader(pauseMs: number, onResume?: () => void): Promise<SlowReader> {
  const state = { bytes: 0, digest: '' }
  const server = createServer((req, res) => {
    const hash = createHash('sha256')
    req.pause()
    setTimeout(() => {
      onResume?.()
      req.on('data', (c: Buffer) => (hash.update(c), (state.bytes += c.length)))
      req.resume()
    }, pauseMs)
    req.on('end', () => {
      state.digest = hash.digest('hex')
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ conversationId: '7', jobId: 'j' }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return Object.assign(state, {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  })
}
