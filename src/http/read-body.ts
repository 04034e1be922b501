// Reading an answer's body, bounded in size and time. `response.text()` would read whatever the
// server sends, for as long as it sends it: a wrong `baseUrl` pointing at a server that streams
// without end grew a process to 24 GB (found by probing the CLI). The request timeout covers only
// the wait for the headers (ky races it against fetch), so the body gets its own bounds.
import { SymblError, TimeoutError } from '../errors.js'

/** The largest answer read: far above any Symbl answer (a 4-hour transcript with word timings is ~25 MB). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

export interface ReadBodyOptions {
  /** What the answer answers, for messages: `GET https://…/v1/…` (already safe to show). */
  what?: string | undefined
  /** No byte for this long: a TimeoutError. The whole body may take at most ten times as long (five minutes at least). */
  stallMs?: number | false | undefined
  /** Above this: an error (or, with `truncate`, the text so far). */
  maxBytes?: number | undefined
  /** Keep what fits instead of failing (error bodies, which are only quoted). */
  truncate?: boolean | undefined
  signal?: AbortSignal | undefined
}

/** Parses a body as JSON when it looks like JSON, else returns the text (empty body: undefined). */
export async function readBody(response: Response, options: ReadBodyOptions = {}): Promise<unknown> {
  const text = await readText(response, options)
  if (text === '') return undefined
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('json') || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

async function readText(response: Response, options: ReadBodyOptions): Promise<string> {
  const body = response.body
  if (!body) return response.text()
  const max = options.maxBytes ?? MAX_BODY_BYTES
  const what = options.what ?? 'The request'
  const stall = typeof options.stallMs === 'number' && Number.isFinite(options.stallMs) ? options.stallMs : undefined
  // A body that keeps trickling never stalls: the whole of it gets ten stall periods, five minutes at least.
  const total = stall === undefined ? undefined : Math.max(10 * stall, 300_000)
  const limits = stall === undefined || total === undefined ? undefined : { stall, total, deadline: Date.now() + total }
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  try {
    for (;;) {
      const { done, value } = await nextChunk(reader, limits, options.signal, what)
      if (done) return text + decoder.decode()
      size += value.byteLength
      if (size > max) {
        if (options.truncate) return text + decoder.decode(value.subarray(0, value.byteLength - (size - max)))
        throw new SymblError(
          'http',
          `${what}: the answer is larger than ${max / 1024 / 1024} MiB, more than any Symbl answer; reading stopped. Check \`baseUrl\`: does it point at the Symbl API?`,
        )
      }
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    // Stops the download (and frees the connection) when reading ends early; harmless when done.
    reader.cancel().catch(() => {})
  }
}

/** The next chunk, or a TimeoutError after `stall` ms without one (or past the deadline), or the signal's abort. */
function nextChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limits: { stall: number; total: number; deadline: number } | undefined,
  signal: AbortSignal | undefined,
  what: string,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  if (!limits && !signal) return reader.read()
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const settle = () => {
      if (timer !== undefined) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = () => {
      settle()
      reject(signal?.reason)
    }
    if (limits) {
      const left = Math.max(0, limits.deadline - Date.now())
      timer = setTimeout(
        () => {
          settle()
          reject(
            new TimeoutError(
              left < limits.stall
                ? `${what}: the answer was still arriving after ${limits.total / 1000} s (ten times the timeout, five minutes at least), too slowly to finish. Check the server`
                : `${what}: the answer stopped arriving for ${limits.stall} ms. Raise the \`timeout\` option or check the server`,
            ),
          )
        },
        Math.min(limits.stall, left),
      )
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    reader.read().then(
      (result) => {
        settle()
        resolve(result)
      },
      (error: unknown) => {
        settle()
        reject(error)
      },
    )
  })
}
