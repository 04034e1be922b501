import type { SymblClient } from '../client.js'
import { ConfigError, TimeoutError, ValidationError } from '../errors.js'
import { httpErrorFrom } from '../http/http-errors.js'
import { readBody } from '../http/read-body.js'
import { resendDelay } from '../http/retry-rules.js'
import { describe, safeUrl, type Query } from '../http/url.js'
import type { UploadSource } from '../platform.js'
import { sleep } from '../utils/async.js'
import type { UploadInput, UploadProgress } from './types.js'

export type { UploadInput, UploadProgress }

/** Turns any accepted input into an upload source, refusing missing and empty files. */
export async function openSource(client: SymblClient, file: unknown, size?: number): Promise<UploadSource> {
  if (file === undefined || file === null || file === '') {
    throw new ValidationError('file is required: pass a File/Blob, bytes, a ReadableStream, or on Node a file path')
  }
  let source: UploadSource | undefined
  if (typeof Blob !== 'undefined' && file instanceof Blob) {
    const name = (file as Partial<File>).name
    source = { body: file, size: file.size, name: typeof name === 'string' ? name : undefined, type: file.type, reopen: async () => file }
  } else if (file instanceof ArrayBuffer || ArrayBuffer.isView(file)) {
    // A view on the same memory: a 1 GB buffer is not copied.
    const bytes = file instanceof ArrayBuffer ? new Uint8Array(file) : new Uint8Array(file.buffer, file.byteOffset, file.byteLength)
    source = { body: bytes, size: bytes.byteLength, reopen: async () => bytes }
  } else if (file instanceof ReadableStream) {
    // A browser cannot stream a request body (upload-browser.ts), so the stream becomes a Blob
    // anyway: collected here, it can be sent again after a 401 or 429, and its size is known.
    if (!client.platform.streamsRequestBodies) {
      const blob = await new Response(file).blob()
      source = { body: blob, size: blob.size, reopen: async () => blob }
    } else source = { body: file as ReadableStream<Uint8Array>, size }
  } else {
    source = await client.platform.openUpload?.(file)
    // A Node Readable that is not a whole-file fs stream cannot tell its size: the caller's `size` can.
    if (source && source.size === undefined) source.size = size
    if (!source && typeof file === 'object' && Symbol.asyncIterator in file)
      source = { body: fromIterable(file as AsyncIterable<Uint8Array>), size }
  }
  if (!source) {
    throw new ValidationError(
      typeof file === 'string'
        ? 'A file path works only on Node; in a browser pass a File, Blob, ArrayBuffer, typed array or ReadableStream'
        : `file must be a File/Blob, ArrayBuffer, typed array or ReadableStream${client.platform.openUpload ? ', a file path or a Node Readable' : ''}; got ${describe(file)}`,
    )
  }
  if (source.size === 0)
    throw new ValidationError(`The file${source.name ? ` ${JSON.stringify(source.name)}` : ''} is empty: there is nothing to process`)
  return source
}

function fromIterable(iterable: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = iterable[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await it.next()
      if (done) controller.close()
      else controller.enqueue(value)
    },
    async cancel(reason) {
      await it.return?.(reason)
    },
  })
}

export interface UploadOptions {
  method: 'POST' | 'PUT'
  path: string
  query?: Query
  source: UploadSource
  contentType: string
  signal?: AbortSignal | undefined
  /** The stall timeout; the client's `timeout` when absent. */
  timeout?: number | false | undefined
  onUploadProgress?: (progress: UploadProgress) => void
}

/**
 * Sends a file with the HTTP client's auth and error mapping, through the platform's streaming
 * transport (ky would buffer the body), which is the user's `fetch` when one was injected
 * (upload-fetch.ts). A re-openable source is sent again after a 401 (with a
 * fresh token), a 429 (after its Retry-After) or a refused connection; a one-shot stream is never re-sent. There is no
 * overall time limit (a large file takes long); the client's `timeout` applies instead to
 * stalls: no byte sent and no answer for that long.
 */
export async function upload<T>(client: SymblClient, options: UploadOptions): Promise<T> {
  const { http, platform } = client
  if (!platform.upload) throw new ConfigError(`The ${platform.name} platform object has no upload transport`)
  const transport = platform.upload.bind(platform)
  const { method, source, signal } = options
  const timeout = options.timeout ?? http.config.timeout
  const url = http.url(options.path, options.query)
  const headers: Record<string, string> = { 'content-type': options.contentType, accept: 'application/json' }
  if (source.size !== undefined) headers['content-length'] = String(source.size)
  const retry = http.config.retry
  let attempts = 0
  let lastError: unknown

  const attempt = async (auth: Record<string, string>): Promise<Response> => {
    if (attempts++ > 0) {
      if (!source.reopen) throw lastError
      source.body = await source.reopen()
    }
    const stall = stallGuard(timeout, signal, `${method} ${safeUrl(url)}`)
    try {
      const response = await transport({
        url,
        method,
        headers: { ...headers, ...auth },
        body: source.body,
        size: source.size,
        signal: stall.signal,
        fetch: http.config.fetch,
        fetchInjected: http.config.fetchInjected,
        noProgress: stall.stop,
        onProgress: (sentBytes) => {
          stall.rearm()
          options.onUploadProgress?.({ sentBytes, totalBytes: source.size, fraction: source.size ? sentBytes / source.size : undefined })
        },
      })
      if (!response.ok) throw await httpErrorFrom(response, method, safeUrl(url), http.hidden())
      return response
    } catch (error) {
      throw (lastError = await http.fail(error, method, url, signal, timeout))
    } finally {
      stall.done()
    }
  }

  for (let retries = 0; ; retries++) {
    try {
      if (http.config.log.enabled)
        http.config.log('debug', `${method} ${safeUrl(url)} (upload${source.size === undefined ? '' : `, ${source.size} bytes`})`)
      return (await readBody(await http.authorized(signal, attempt), { what: `${method} ${safeUrl(url)}`, stallMs: timeout, signal })) as T
    } catch (error) {
      const delay = source.reopen && retries < retry.limit ? resendDelay(error, retries, retry) : undefined
      if (delay === undefined) throw error
      await sleep(delay, signal)
    }
  }
}

/** An abort signal that fires when the user aborts, or when nothing happened for `timeout` ms. */
function stallGuard(timeout: number | false, signal: AbortSignal | undefined, what: string) {
  const controller = new AbortController()
  const onAbort = () => controller.abort(signal!.reason)
  if (signal?.aborted) onAbort()
  signal?.addEventListener('abort', onAbort, { once: true })
  // Progress only stamps the time; the timer checks the stamp, so a 1 GB upload does not re-arm a timer per chunk.
  let last = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const check = () => {
    const idle = Date.now() - last
    if (idle < (timeout as number)) timer = setTimeout(check, (timeout as number) - idle)
    else
      controller.abort(
        new TimeoutError(
          `${what} stalled: nothing was sent or received for ${timeout} ms. Check the network, or raise the \`timeout\` option`,
        ),
      )
  }
  if (timeout !== false) timer = setTimeout(check, timeout)
  const rearm = () => {
    last = Date.now()
  }
  return {
    signal: controller.signal,
    rearm,
    stop: () => clearTimeout(timer),
    done: () => (clearTimeout(timer), signal?.removeEventListener('abort', onAbort)),
  }
}
