// One error hierarchy for the whole SDK. Every error says what was wrong and how to fix it, and none
// carries a token or secret: HTTP errors keep the method, a redacted URL, the status and the parsed
// body, never the Request object (whose headers hold the token).

export type SymblErrorCode =
  | 'validation'
  | 'config'
  | 'http'
  | 'auth'
  | 'not_found'
  | 'rate_limit'
  | 'timeout'
  | 'network'
  | 'job_failed'
  | 'job_timeout'
  | 'connection'
  | 'microphone'
  | 'aborted'

export class SymblError extends Error {
  // Every class names itself in a field rather than using `new.target.name`: minifiers rename
  // classes, and an error called "t" in a user's console would help nobody.
  override name = 'SymblError'
  readonly code: SymblErrorCode
  constructor(code: SymblErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** A bad argument: the message names the argument and what it should be. */
export class ValidationError extends SymblError {
  override name = 'ValidationError'
  constructor(message: string) {
    super('validation', message)
  }
}

/** Missing or unusable configuration, such as no credentials or an app secret in a browser. */
export class ConfigError extends SymblError {
  override name = 'ConfigError'
  constructor(message: string) {
    super('config', message)
  }
}

export interface HttpErrorDetails {
  status: number
  method: string
  /** The request URL with any secret-looking query parameter removed. */
  url: string
  /** The parsed response body (JSON when it parses, text otherwise). */
  body: unknown
  /** The server's `Retry-After`, in ms, when it sent one. */
  retryAfterMs?: number
}

/** The server answered with a non-2xx status. Subclasses name the common cases. */
export class HttpError extends SymblError {
  override name = 'HttpError'
  readonly status: number
  readonly method: string
  readonly url: string
  readonly body: unknown
  /** The server's own `message` field, when its body has one. */
  readonly serverMessage: string | undefined
  /** How long the server asked to wait before trying again (`Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined
  constructor(details: HttpErrorDetails, hint?: string, code: SymblErrorCode = 'http') {
    const serverMessage = messageOf(details.body)
    const what = `${details.method} ${details.url} failed with HTTP ${details.status}`
    super(code, what + (serverMessage ? `: ${serverMessage.replace(/\.$/, '')}` : '') + (hint ? `. ${hint}` : ''))
    this.status = details.status
    this.method = details.method
    this.url = details.url
    this.body = details.body
    this.serverMessage = serverMessage
    this.retryAfterMs = details.retryAfterMs
  }
}

/** 401 or 403: the token or the app credentials were refused. */
export class AuthError extends HttpError {
  override name = 'AuthError'
  constructor(details: HttpErrorDetails, hint = 'Check the app id and secret, or what your tokenProvider returns') {
    super(details, hint, 'auth')
  }
}

/** 404: the conversation, job or connection does not exist (or is not ready, for the summary). */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError'
  constructor(details: HttpErrorDetails) {
    super(details, 'Check the id; results of a job that has not completed may not exist yet', 'not_found')
  }
}

/** 429: Symbl limits concurrent jobs and connections per account. */
export class RateLimitError extends HttpError {
  override name = 'RateLimitError'
  constructor(details: HttpErrorDetails) {
    super(details, 'Too many concurrent jobs or connections: wait for some to finish, or raise the account limit', 'rate_limit')
  }
}

export class TimeoutError extends SymblError {
  override name = 'TimeoutError'
  constructor(message: string) {
    super('timeout', message)
  }
}

/** The request never got an HTTP answer (DNS, refused connection, reset, CORS in a browser). */
export class NetworkError extends SymblError {
  override name = 'NetworkError'
  constructor(message: string, cause?: unknown) {
    super('network', message, { cause })
  }
}

export class JobError extends SymblError {
  override name = 'JobError'
  readonly jobId: string
  readonly conversationId: string
  readonly status: string
  constructor(code: 'job_failed' | 'job_timeout', message: string, ids: { jobId: string; conversationId: string; status: string }) {
    super(code, message)
    this.jobId = ids.jobId
    this.conversationId = ids.conversationId
    this.status = ids.status
  }
}

/** A streaming or telephony socket failed: refused handshake, error frame, lost connection. */
export class ConnectionError extends SymblError {
  override name = 'ConnectionError'
  readonly closeCode: number | undefined
  readonly details: unknown
  constructor(message: string, extra: { closeCode?: number; details?: unknown; cause?: unknown } = {}) {
    super('connection', message, { cause: extra.cause })
    this.closeCode = extra.closeCode
    this.details = extra.details
  }
}

/**
 * A call was aborted through an AbortSignal whose reason is not an Error (`controller.abort('why')`,
 * `abort(42)`): such a reason would surface as a bare string or number with no name or stack. The
 * reason itself is kept as `cause`. A reason that is an Error (the default DOMException included)
 * is passed on untouched instead.
 */
export class AbortError extends SymblError {
  override name = 'AbortError'
  constructor(reason: unknown) {
    const shown =
      typeof reason === 'string'
        ? JSON.stringify(reason.slice(0, 100))
        : typeof reason === 'object' && reason !== null
          ? 'an object'
          : String(reason)
    super('aborted', `The call was aborted through its AbortSignal (reason: ${shown}); the reason is in this error's \`cause\``, {
      cause: reason,
    })
  }
}

/** The error an aborted call rejects with: the signal's reason when it is an Error, else an `AbortError` wrapping it. */
export function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new AbortError(reason)
}

function messageOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message
    if (typeof m === 'string' && m) return m
  }
  if (typeof body === 'string' && body.length > 0 && body.length <= 300) return body
  return undefined
}
