// The SDK is silent unless the app passes a logger. Everything that reaches a logger goes through
// `redact` first, so a token or secret never lands in a log line.

import type { Logger } from './types.js'

export type { Logger }

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Logs a redacted line; `enabled` lets hot paths skip building messages nobody reads. */
export type Log = ((level: LogLevel, message: string, meta?: Record<string, unknown>) => void) & { enabled: boolean }

export function createLog(logger: Logger | undefined, secrets: () => Array<string | undefined>): Log {
  if (!logger) return Object.assign(() => {}, { enabled: false })
  return Object.assign(
    (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
      const fn = logger[level]
      if (!fn) return
      const hidden = secrets()
      fn.call(logger, redact(message, hidden), meta && redactValue(meta, hidden))
    },
    { enabled: true },
  )
}

// Token-shaped text, hidden wherever server text or a log line goes, whether or not the SDK knows
// the token: a server (or a token endpoint that `baseUrl` points at by mistake) may quote any token.
const JWT = /\beyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){0,2}/g
const BEARER = /\b(Bearer|Basic)(\s+)[^\s"',;\\]+/gi
const SECRET_PARAM = /([?&](?:access_token|token|appSecret|app_secret|api_key|apikey)=)[^&#\s"]*/gi
// The password of a URL's user info (`https://user:PASSWORD@host/…`): a media URL given to processUrl
// may carry one, and a server that quotes the request body put it into the error (found by the probe
// after issue 11). Matched from `://` only, so the scan stays linear.
const URL_PASSWORD = /(:\/\/[^\s/?#@:"'<>]*:)[^\s/?#@"'<>]*@/g
/** A secret's name: `accessToken`, `app_secret`, `x-api-key`, `password`, `authorization`… */
const SECRET_KEY = /^(?:[\w-]*(?:token|secret|password|api[_-]?key)|authorization)$/i
// `"accessToken": "…"`, `appSecret=…`, `x-api-key: …` in text (JSON values included). Matched from
// the name's last word (the rest of the key stays as it is): a `[\w-]*` prefix before it backtracked
// over every word start, quadratic on `a-a-a-…` (a 1 MiB error body of it held the caller ~10 min).
const SECRET_FIELD = /((?:token|secret|password|api[_-]?key)|\bauthorization)("?\s*[:=]\s*"?)([^\s"',;&}\\]+)/gi
// Runs of base64url or hex of 20 characters or more, as opaque tokens and keys are. UUIDs (job and
// connection ids) and runs without both a letter and a digit (words, numeric ids) are kept.
const RUN = /[A-Za-z0-9_-]{20,}/g
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Shorter pieces of a known secret are too likely to be ordinary text. */
const PIECE = 8

/**
 * The one redaction of the SDK, for every error built from server text and every log line: hides
 * the given secrets (the app secret, the tokens) and any piece of 8 characters or more of one,
 * and anything token-shaped (JWTs, `Bearer …`, secret fields and query parameters, long
 * base64url or hex runs).
 */
export function redact(text: string, secrets: Array<string | undefined> = []): string {
  let out = hidePieces(text, secrets)
  out = out.replace(JWT, '[redacted-token]').replace(BEARER, '$1$2[redacted]').replace(SECRET_PARAM, '$1[redacted]')
  out = out.replace(URL_PASSWORD, '$1[redacted]@')
  out = out.replace(SECRET_FIELD, (all, key: string, sep: string, value: string) =>
    value.startsWith('[redacted') ? all : `${key}${sep}[redacted]`,
  )
  return out.replace(RUN, (run) => (UUID.test(run) || !/\d/.test(run) || !/[A-Za-z]/.test(run) ? run : '[redacted]'))
}

/** Replaces each stretch of `text` made of pieces of the secrets (whole secrets included). */
function hidePieces(text: string, secrets: Array<string | undefined>): string {
  const pieces = new Set<string>()
  let out = text
  for (const s of secrets) {
    if (!s || s.length < 4) continue
    // A short secret is hidden only whole.
    if (s.length < PIECE) out = out.split(s).join('[redacted]')
    else for (let i = 0; i + PIECE <= s.length; i++) pieces.add(s.slice(i, i + PIECE))
  }
  if (pieces.size === 0 || out.length < PIECE) return out
  let result = ''
  let from = 0
  let end = -1
  for (let i = 0; i + PIECE <= out.length; i++) {
    if (!pieces.has(out.slice(i, i + PIECE))) continue
    if (i > end) {
      result += `${out.slice(from, i)}[redacted]`
    }
    end = i + PIECE
    from = end
  }
  return result + out.slice(from)
}

/** `redact` for a parsed JSON value (a response body, a frame, log meta): every string inside, and the value of any secret-named key. */
export function redactValue<T>(value: T, secrets: Array<string | undefined> = [], depth = 0): T {
  if (typeof value === 'string') return redact(value, secrets) as T
  if (!value || typeof value !== 'object') return value
  // Not walked further, so not kept: returned as it was, a token nested deeper reached HttpError.body.
  if (depth > 20) return '[not kept: nested more than 20 levels]' as T
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1)) as T
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    out[redact(key, secrets)] = typeof v === 'string' && SECRET_KEY.test(key) ? '[redacted]' : redactValue(v, secrets, depth + 1)
  }
  return out as T
}

/** Own properties of runtime errors that describe the failure and carry nothing of the request. */
const PLAIN_KEYS = new Set(['message', 'stack', 'cause', 'name', 'code', 'errno', 'syscall', 'address', 'port'])

/**
 * An error safe to keep as a `cause`: the error itself when neither it nor its causes mention a
 * secret or hold anything else, else a plain copy (name, message, `code` and the like, cause) with
 * the secrets hidden. Errors of the runtime may quote what they were given (undici's
 * "Headers.append: "Bearer …" is an invalid header value" quotes the token), and errors of a
 * fetch wrapper (ky's) carry the `request` or its `options`, whose headers hold the token.
 */
export function redactError(error: unknown, secrets: Array<string | undefined>, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return error
  // The message only: a V8 stack is the message and then file paths, which may look token-shaped.
  const cause = redactError(error.cause, secrets, depth + 1)
  const plain = Object.keys(error).every((key) => PLAIN_KEYS.has(key))
  if (plain && redact(error.message, secrets) === error.message && cause === error.cause) return error
  const copy = new Error(redact(error.message, secrets), cause === undefined ? undefined : { cause })
  copy.name = error.name
  for (const key of ['code', 'errno', 'syscall']) {
    const value = (error as unknown as Record<string, unknown>)[key]
    if (value !== undefined && typeof value !== 'object')
      Object.assign(copy, { [key]: typeof value === 'string' ? redact(value, secrets) : value })
  }
  return copy
}
