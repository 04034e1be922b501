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
    fn.call(logger, redact(message, hidden), meta && (JSON.parse(redact(JSON.stringify(meta), hidden)) as Record<string, unknown>))
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
