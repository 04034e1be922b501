import type { UploadRequest } from '../platform.js'

/**
 * Browsers cannot stream a request body over HTTP/1.1 (Chrome allows it on HTTP/2 only; Firefox
 * and Safari not at all), so the upload is a Blob: a ReadableStream is first collected into one
 * (the whole file then sits in memory; pass a File or Blob to avoid that). XMLHttpRequest reports
 * upload progress; where it is missing (workers of some runtimes), fetch sends the Blob and
 * progress is reported once at the end. The browser sets Content-Length itself.
 */
export async function browserUpload(request: UploadRequest): Promise<Response> {
  let body = request.body
  if (body instanceof ReadableStream) body = await new Response(body).blob()
  const headers = { ...request.headers }
  delete headers['content-length']
  const size = body instanceof Blob ? body.size : body.byteLength
  if (typeof XMLHttpRequest === 'undefined') {
    const response = await request.fetch(request.url, { method: request.method, headers, body: body as BodyInit, signal: request.signal })
    request.onProgress(size)
    return response
  }
  return new Promise<Response>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const { signal } = request
    const onAbort = () => xhr.abort()
    xhr.open(request.method, request.url)
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value)
    xhr.responseType = 'text'
    xhr.upload.onprogress = (event) => request.onProgress(event.loaded)
    xhr.onload = () => {
      signal.removeEventListener('abort', onAbort)
      resolve(
        new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
        }),
      )
    }
    xhr.onerror = () => reject(new TypeError('Network request failed'))
    xhr.onabort = () => reject(signal.reason)
    if (signal.aborted) return reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    xhr.send(body as XMLHttpRequestBodyInit)
  })
}

function parseHeaders(raw: string): Headers {
  const headers = new Headers()
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(':')
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim())
  }
  return headers
}
