// Reading an answer's body, bounded in size and time. `response.text()` would read whatever the
// server sends, for as long as it sends it: a wrong `baseUrl` pointing at a server that streams
// without end grew a process to 24 GB (found by probing the CLI). The request timeout covers only
// the wait for the headers (ky races it against fetch), so the body gets its own bounds.
import { SymblError, TimeoutError } from '../errors.js'

/** The largest answer read: far above any Symbl answer (a 4-hour transcript with word timings is ~25 MB). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

export interface ReadBodyOptions {
  /**
   * What the answer answers, for messages: `GET https://…/v1/…` (already safe to show). A function is
   * called only when a message needs it: making the URL safe to show costs a URL parse, which every
   * successful request would pay for nothing.
   */
  what?: string | (() => string) | undefined
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
  const what = typeof options.what === 'function' ? options.what : () => (options.what as string | undefined) ?? 'The request'
  const stall = typeof options.stallMs === 'number' && Number.isFinite(options.stallMs) ? options.stallMs : undefined
  const reader = body.getReader()
  // One watchdog for the whole body, not a timer and an abort listener per chunk: every request pays
  // for this (the per-chunk version put the SDK's layers above +10 % of ky's cost on a 14 KB answer).
  const guard = stall !== undefined || options.signal ? watch(stall, options.signal, what) : undefined
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = guard ? await Promise.race([reader.read(), guard.failed]) : await reader.read()
      if (done) break
      guard?.progress()
      size += value.byteLength
      if (size > max) {
        if (options.truncate) {
          chunks.push(value.subarray(0, value.byteLength - (size - max)))
          break
        }
        throw new SymblError(
          'http',
          `${what()}: the answer is larger than ${max / 1024 / 1024} MiB, more than any Symbl answer; reading stopped. Check \`baseUrl\`: does it point at the Symbl API?`,
        )
      }
      chunks.push(value)
    }
  } finally {
    guard?.stop()
    // Stops the download (and frees the connection) when reading ends early; harmless when done.
    reader.cancel().catch(() => {})
  }
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : join(chunks, Math.min(size, max)))
}

function join(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/**
 * Rejects `failed` after `stall` ms without `progress()`, past ten stall periods in all (five
 * minutes at least: a body that keeps trickling never stalls), or when `signal` aborts.
 */
function watch(
  stall: number | undefined,
  signal: AbortSignal | undefined,
  what: () => string,
): { failed: Promise<never>; progress: () => void; stop: () => void } {
  let fail: (error: unknown) => void = () => {}
  const failed = new Promise<never>((_, reject) => {
    fail = reject
  })
  // Raced on every read; nobody may be listening when it rejects (the read loop has ended).
  failed.catch(() => {})
  const onAbort = () => fail(signal?.reason)
  if (signal?.aborted) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  let last = Date.now()
  if (stall !== undefined) {
    const total = Math.max(10 * stall, 300_000)
    const deadline = last + total
    const check = () => {
      const now = Date.now()
      if (now >= deadline) {
        return fail(
          new TimeoutError(
            `${what()}: the answer was still arriving after ${total / 1000} s (ten times the timeout, five minutes at least), too slowly to finish. Check the server`,
          ),
        )
      }
      if (now - last >= stall) {
        return fail(
          new TimeoutError(`${what()}: the answer stopped arriving for ${stall} ms. Raise the \`timeout\` option or check the server`),
        )
      }
      timer = setTimeout(check, Math.min(stall - (now - last), deadline - now))
    }
    timer = setTimeout(check, Math.min(stall, total))
  }
  return {
    failed,
    progress: () => {
      last = Date.now()
    },
    stop: () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    },
  }
}
