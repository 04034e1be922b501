// Node-only inputs for uploads: file paths and Node streams. Reached only through the Node
// platform object (src/runtime/node-platform.ts), never from the shared core.
import { open, stat, type FileHandle } from 'node:fs/promises'
// Default imports, looked up per call, so tools that patch the modules (msw in tests, APM agents) see the request.
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import type { UploadBody, UploadRequest, UploadSource } from '../platform.js'
import { checkFile } from '../runtime/node-files.js'
import { afterPoll } from './upload-fetch.js'

export async function openNodeUpload(file: unknown): Promise<UploadSource | undefined> {
  if (typeof file === 'string') return openPath(file)
  if (file instanceof Readable || isReadableLike(file)) {
    const readable = file as Readable & { path?: unknown }
    // An fs.ReadStream of a whole file knows its name and size, so Content-Length can be sent.
    const path = typeof readable.path === 'string' ? readable.path : undefined
    const size =
      path && !('start' in readable && readable.start) && !('end' in readable && readable.end !== Infinity)
        ? await stat(path).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined
    return { body: Readable.toWeb(readable) as ReadableStream<Uint8Array>, size, name: path && basename(path) }
  }
  return undefined
}

function isReadableLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Readable).pipe === 'function' &&
    typeof (value as Readable).read === 'function'
  )
}

/**
 * A path is checked first, so a mistake gets a plain error instead of a failed upload. The body is
 * a file stream read on demand (never the whole file in memory); it can be reopened, so an upload
 * from a path may be re-sent after a 401 or 429.
 */
async function openPath(path: string): Promise<UploadSource> {
  const info = await checkFile(path, 'an audio or video file')
  const reopen = async (): Promise<UploadBody> => fileStream(path)
  return { body: fileStream(path), size: info.size, name: basename(path), reopen }
}

const CHUNK = 256 * 1024

/**
 * Reads the file on demand, one chunk per read, into two buffers used in turn. Reusing them is
 * what keeps a 1 GB upload near the process's idle RSS: fresh buffers per chunk are garbage that
 * V8 collects late (tens of MB of it). It is safe only because the one consumer, `httpUpload`,
 * waits until a chunk is written to the socket before it reads the next (highWaterMark 0: no
 * read-ahead). The fetch transport (upload-fetch.ts) may read ahead, so it copies each chunk.
 */
function fileStream(path: string): ReadableStream<Uint8Array> {
  // Opened on the first read, so a body that is never sent (the token call failed) holds no descriptor.
  let handle: FileHandle | undefined
  const buffers = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)]
  let turn = 0
  const close = () => handle?.close().catch(() => {})
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          handle ??= await open(path, 'r')
          const buffer = buffers[turn++ % 2]
          const { bytesRead } = await handle.read(buffer, 0, CHUNK, null)
          if (bytesRead === 0) {
            controller.close()
            await close()
          } else controller.enqueue(buffer.subarray(0, bytesRead))
        } catch (error) {
          await close()
          controller.error(error)
        }
      },
      cancel: close,
    },
    { highWaterMark: 0 },
  )
}

/**
 * The Node upload transport: node:http(s) rather than fetch. undici's fetch streams a body too
 * (with `duplex: 'half'` and `redirect: 'error'`), but it pulls ahead and
 * gives no signal when a chunk has left, so every chunk must be a fresh buffer; measured on a
 * 1 GiB upload that cost 120-140 MB peak RSS against under 100 MB here. Each chunk is written and
 * its write callback awaited before the next is read, which also makes progress mean "sent".
 * It is used unless the user passed the client a `fetch`: that one is then used (upload-fetch.ts).
 */
export function httpUpload(request: UploadRequest): Promise<Response> {
  const url = new URL(request.url)
  const send = url.protocol === 'https:' ? https.request : http.request
  const { signal } = request
  return new Promise<Response>((resolve, reject) => {
    let answered = false
    const req = send(url, { method: request.method, headers: request.headers, signal }, (res: IncomingMessage) => {
      answered = true
      const headers = new Headers()
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, String(value))
      const status = res.statusCode ?? 0
      resolve(new Response(status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream), { status, headers }))
    })
    // A failed write does not end the upload until the socket has closed: the answer read just
    // before (a 413) is what the caller should see, not the EPIPE.
    let failure: unknown
    req.on('error', (error) => {
      if (signal.aborted) return reject(signal.reason)
      failure = error
    })
    req.on('close', () => {
      if (!answered) reject(failure ?? new Error('The connection closed before an answer'))
    })
    const reader = toStream(request.body).getReader()
    const pump = async () => {
      let sent = 0
      for (;;) {
        // The server answered early (an error, usually): stop reading the file.
        if (answered) return void reader.cancel().catch(() => {})
        const { value, done } = await reader.read()
        if (done) break
        await afterPoll()
        if (answered) return void reader.cancel().catch(() => {})
        await new Promise<void>((ok, fail) => req.write(value, (error) => (error ? fail(error) : ok())))
        request.onProgress((sent += value.byteLength))
      }
      req.end()
    }
    pump().catch((error: unknown) => {
      reader.cancel().catch(() => {})
      req.destroy(error instanceof Error ? error : new Error(String(error)))
    })
  })
}

function toStream(body: UploadBody): ReadableStream<Uint8Array> {
  if (body instanceof Blob) return body.stream()
  if (!(body instanceof Uint8Array)) return body
  // Views of the caller's bytes, not copies.
  let offset = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= body.byteLength) return controller.close()
        controller.enqueue(body.subarray(offset, (offset += CHUNK)))
      },
    },
    { highWaterMark: 0 },
  )
}
