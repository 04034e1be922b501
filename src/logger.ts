// The SDK is silent unless the app passes a logger. Everything that reaches a logger goes through
// `redact` first, so a token or secret never lands in a log line.

export interface Logger {
  debug?(message: string, meta?: Record<string, unknown>): void
  info?(message: string, meta?: Record<string, unknown>): void
  warn?(message: string, meta?: Record<string, unknown>): void
  error?(message: string, meta?: Record<string, unknown>): void
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Logs a redacted line; `enabled` lets hot paths skip building messages nobody reads. */
export type Log = ((level: LogLevel, message: string, meta?: Record<string, unknown>) => void) & { enabled: boolean }

export function createLog(logger: Logger | undefined, secrets: () => Array<string | undefined>): Log {
  if (!logger) return Object.assign(() => {}, { enabled: false })
  return Object.assign((level: LogLevel, message: string, meta?: Record<string, unknown>) => {
    const fn = logger[level]
    if (!fn) return
    const hidden = secrets()
    fn.call(logger, redact(message, hidden), meta && redactValue(meta, hidden))
  }, { enabled: true })
}

const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g
const SECRET_PARAM = /([?&](?:access_token|token|appSecret|app_secret|api_key|apikey)=)[^&#\s"]*/gi

/** Hides JWTs, secret-looking query parameters and the given literal secrets. */
export function redact(text: string, secrets: Array<string | undefined> = []): string {
  let out = text.replace(JWT, '[redacted-token]').replace(SECRET_PARAM, '$1[redacted]')
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]')
  return out
}

/** `redact` for a parsed JSON value (a response body, log meta): strings and everything inside objects. */
export function redactValue<T>(value: T, secrets: Array<string | undefined> = []): T {
  if (typeof value === 'string') return redact(value, secrets) as T
  if (!value || typeof value !== 'object') return value
  // Inside JSON text a secret may appear escaped (a `"` or `\` in it), so hide that spelling too.
  const escaped = secrets.flatMap((s) => (s ? [s, JSON.stringify(s).slice(1, -1)] : []))
  return JSON.parse(redact(JSON.stringify(value), escaped)) as T
}

/**
 * An error safe to keep as a `cause`: the error itself when neither it nor its causes mention a
 * secret, else a plain copy (name, message, `code`, cause) with the secrets hidden. Errors of the
 * runtime may quote what they were given: undici's "Headers.append: "Bearer …" is an invalid
 * header value" quotes the token.
 */
export function redactError(error: unknown, secrets: Array<string | undefined>, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return error
  const text = `${error.message}\n${error.stack ?? ''}`
  const cause = redactError(error.cause, secrets, depth + 1)
  if (redact(text, secrets) === text && cause === error.cause) return error
  const copy = new Error(redact(error.message, secrets), cause === undefined ? undefined : { cause })
  copy.name = error.name
  const code = (error as { code?: unknown }).code
  if (code !== undefined) Object.assign(copy, { code })
  return copy
}
