// The upload transport used when the user passed `fetch` to the client (a proxy agent,
// instrumentation): the upload then goes through that fetch like every other call. Without it,
// the platforms keep their own transports (node:http on Node, XMLHttpRequest in browsers).
// Web APIs only: it is in the browser build too.
import type { UploadBody, UploadRequest } from '../platform.js'

const CHUNK = 256 * 1024

/**
 * Waits two turns of the event loop (Node's check phase, each right after a poll for I/O) before
 * the next piece of a body is written. A server that refuses an upload (413, 401) answers at once
 * and closes; a write after its reset fails at once (EPIPE) and the socket is dropped with the
 * answer unread, although the system still holds it. Letting the socket poll first reads the
 * answer, so the error is the server's 413 rather than "write EPIPE". Two turns, because the answer
 * of a server in the same process is sent in the poll the first turn follows.
 */
export const afterPoll = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(() => setImmediate(resolve)) : setTimeout(resolve, 0)))

/**
 * Sends the upload with `request.fetch`.
 *
 * `'stream'` (Node): the body is a ReadableStream read on demand, so a 1 GiB file is never held
 * whole. Progress counts the bytes the fetch has read from it, which is not quite "sent": a fetch
 * reads ahead of the socket by what its buffers hold. The stall timeout re-arms on those reads,
 * so an upload whose fetch stops reading (the server stopped reading) still times out.
 *
 * `'blob'` (browsers): a browser cannot stream a request body over HTTP/1.1, so a Blob (or the
 * bytes) is sent whole; progress is reported once, when the answer arrives, and the stall timeout
 * is off meanwhile (it would cut a slow but healthy upload). The browser sets Content-Length.
 *
 * `redirect: 'error'`: a fetch that follows redirects must keep a copy of a streamed body to send
 * it again (Node's tees it), which would buffer the whole file; the API does not redirect uploads.
 */
export async function fetchUpload(request: UploadRequest, mode: 'stream' | 'blob'): Promise<Response> {
  const headers = { ...request.headers }
  let body: ReadableStream<Uint8Array> | Blob | Uint8Array
  let size = 0
  if (mode === 'stream') body = counted(request.body, request.onProgress)
  else {
    body = request.body instanceof ReadableStream ? await new Response(request.body).blob() : request.body
    size = body instanceof Blob ? body.size : body.byteLength
    delete headers['content-length']
    request.noProgress?.()
  }
  const init = {
    method: request.method,
    headers,
    body: body as BodyInit,
    signal: request.signal,
    redirect: 'error',
    duplex: 'half',
  } as RequestInit
  let response: Response
  try {
    response = await request.fetch(request.url, init)
  } catch (error) {
    // A fetch that failed before reading the body leaves it unread: release the file behind it.
    if (body instanceof ReadableStream && !body.locked) body.cancel().catch(() => {})
    // The stall guard's or the caller's reason (a TimeoutError, say), whatever the fetch made of it.
    throw request.signal.aborted ? request.signal.reason : error
  }
  if (mode === 'blob') request.onProgress(size)
  return response
}

/**
 * The body as a stream that counts what the fetch reads, in pieces of at most 256 KiB (an
 * in-memory Blob is one chunk), so progress and the stall guard see the upload move. Pieces of a
 * stream are copied: the stream of a file path reuses two buffers (upload-node.ts), which is safe
 * only for a consumer that writes each chunk before reading the next, and a fetch may read ahead.
 * Bytes and a Blob's chunks are sent as views, not copied.
 */
function counted(body: UploadBody, onProgress: (sentBytes: number) => void): ReadableStream<Uint8Array> {
  let sent = 0
  let rest: Uint8Array | undefined = body instanceof Uint8Array ? body : undefined
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  const next = async (): Promise<Uint8Array | undefined> => {
    while (!rest?.byteLength) {
      if (body instanceof Uint8Array) return undefined
      reader ??= (body instanceof Blob ? body.stream() : body).getReader()
      const { value, done } = await reader.read()
      if (done) return undefined
      rest = value
    }
    const piece = rest.subarray(0, CHUNK)
    rest = rest.subarray(piece.byteLength)
    return body instanceof ReadableStream ? new Uint8Array(piece) : piece
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const piece = await next()
        if (!piece) return controller.close()
        await afterPoll()
        controller.enqueue(piece)
        onProgress((sent += piece.byteLength))
      },
      async cancel(reason) {
        if (reader) await reader.cancel(reason)
        else if (body instanceof ReadableStream) await body.cancel(reason)
      },
    },
    // No read-ahead of our own: a piece is read from the source when the fetch asks for one.
    { highWaterMark: 0 },
  )
}
