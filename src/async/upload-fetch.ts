import type { UploadBody, UploadRequest } from '../platform.js'

const CHUNK = 64 * 1024

/**
 * Streams the body with `fetch` and counts the bytes as the network pulls them. Two options
 * matter for memory (toolchain notes §3): `duplex: 'half'` lets a stream be a request body, and
 * `redirect: 'error'` stops undici from teeing the body to replay it on a redirect, which would
 * hold the whole file in memory.
 */
export function fetchUpload(request: UploadRequest): Promise<Response> {
  let sent = 0
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      sent += chunk.byteLength
      request.onProgress(sent)
      controller.enqueue(chunk)
    },
  })
  const init = {
    method: request.method,
    headers: request.headers,
    body: toStream(request.body).pipeThrough(counter),
    signal: request.signal,
    duplex: 'half',
    redirect: 'error',
  }
  return request.fetch(request.url, init as RequestInit)
}

function toStream(body: UploadBody): ReadableStream<Uint8Array> {
  if (body instanceof Blob) return body.stream()
  if (!(body instanceof Uint8Array)) return body
  // Views of the caller's bytes, not copies.
  let offset = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.byteLength) return controller.close()
      controller.enqueue(body.subarray(offset, (offset += CHUNK)))
    },
  })
}
