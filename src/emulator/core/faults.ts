// Fault injection shared by both fronts. Tests arm a fault, the next matching request or socket
// consumes it. Every rule is one-shot or counted, so a test cannot leak faults into the next one
// unless it asks to (latency stays until cleared).

export type PathMatcher = string | RegExp

export interface FailRule {
  /** HTTP method to match; any when omitted. */
  method?: string
  /** Path template (`/v1/job/:id`, `*` wildcard) or RegExp, matched against the URL path. */
  path: PathMatcher
  /** How many matching requests fail (default 1). */
  times?: number
  status: number
  /** Response body; defaults to the contract's body for that status. */
  body?: Record<string, unknown>
}

export interface LatencyRule {
  method?: string
  path?: PathMatcher
  ms: number
}

export interface SocketFaultRule {
  /** Which socket paths (default: every socket). */
  path?: PathMatcher
  /** How many sockets the fault applies to (default 1). */
  times?: number
}

interface Counted<T> {
  rule: T
  left: number
}

function toRegExp(path: PathMatcher): RegExp {
  if (path instanceof RegExp) return path
  const escaped = path
    .split(/(:[A-Za-z_]\w*|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${escaped}/?$`)
}

const matches = (method: string | undefined, path: PathMatcher | undefined, reqMethod: string, reqPath: string): boolean =>
  (!method || method.toUpperCase() === reqMethod.toUpperCase()) && (!path || toRegExp(path).test(reqPath))

export class Faults {
  private failures: Array<Counted<FailRule>> = []
  private latencies: LatencyRule[] = []
  private drops: Array<Counted<SocketFaultRule & { bytes: number }>> = []
  private refusals: Array<Counted<SocketFaultRule & { status: number }>> = []
  private malformed: Array<Counted<SocketFaultRule>> = []
  private handshakeDelays: Array<Counted<SocketFaultRule & { ms: number }>> = []
  private tokenExpiry: Array<(appId?: string) => void> = []

  /** Fail the next `times` requests matching method+path with `status`. */
  failNext(rule: FailRule): this {
    this.failures.push({ rule, left: rule.times ?? 1 })
    return this
  }

  /** Add latency (ms) before answering matching requests, until `clear()`. */
  addLatency(rule: LatencyRule | number): this {
    const latency = typeof rule === 'object' && rule !== null ? rule : { ms: rule }
    checkMs('addLatency', latency?.ms)
    this.latencies.push(latency)
    return this
  }

  /** Abruptly drop (no close frame: code 1006 on the client) the next socket(s) after `bytes` of audio received. */
  dropSocketAfterBytes(bytes: number, rule: SocketFaultRule = {}): this {
    this.drops.push({ rule: { ...rule, bytes }, left: rule.times ?? 1 })
    return this
  }

  /** Refuse the next WebSocket handshake(s) with an HTTP status (default 503). */
  refuseHandshakes(times = 1, status = 503, path?: PathMatcher): this {
    this.refusals.push({ rule: { status, path }, left: times })
    return this
  }

  /**
   * Hold the next WebSocket handshake(s) matching `path` for `ms` before answering them (a slow
   * network, TLS or load balancer): the client's socket stays CONNECTING, then the handshake is
   * decided as usual (token, refusal faults, limits). Both fronts honour it; `close()` ends a held
   * handshake. One rule is consumed per handshake (the first armed that matches).
   */
  delayHandshakes(ms: number, rule: SocketFaultRule = {}): this {
    checkMs('delayHandshakes', ms)
    const times = rule.times ?? 1
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError(`delayHandshakes(ms, { times }): times must be a positive integer (got ${String(times)})`)
    this.handshakeDelays.push({ rule: { ...rule, ms }, left: times })
    return this
  }

  /** The next `frames` text frames sent on sockets matching `path` are replaced by invalid JSON. */
  sendMalformedFrames(frames = 1, path?: PathMatcher): this {
    this.malformed.push({ rule: { path }, left: frames })
    return this
  }

  /**
   * Every token issued so far becomes expired now (requests then get 401; a new token can be
   * generated). With `appId`, only that app's tokens: tests sharing one emulator stay independent.
   */
  expireTokens(options: { appId?: string } = {}): this {
    for (const expire of this.tokenExpiry) expire(options.appId)
    return this
  }

  clear(): this {
    this.failures = []
    this.latencies = []
    this.drops = []
    this.refusals = []
    this.malformed = []
    this.handshakeDelays = []
    return this
  }

  // ---- used by the core ----

  /** @internal */
  onExpireTokens(fn: (appId?: string) => void): void {
    this.tokenExpiry.push(fn)
  }

  /** @internal Consumes one matching failure rule. */
  takeFailure(method: string, path: string): FailRule | undefined {
    const hit = this.failures.find((f) => f.left > 0 && matches(f.rule.method, f.rule.path, method, path))
    if (!hit) return undefined
    hit.left--
    this.failures = this.failures.filter((f) => f.left > 0)
    return hit.rule
  }

  /** @internal Total latency for a request. */
  latencyFor(method: string, path: string): number {
    return this.latencies.filter((l) => matches(l.method, l.path, method, path)).reduce((sum, l) => sum + l.ms, 0)
  }

  /** @internal */
  takeHandshakeRefusal(path: string): number | undefined {
    return this.take(this.refusals, path)?.status
  }

  /** @internal How long (ms) to hold this handshake before deciding on it (0: not delayed). */
  takeHandshakeDelay(path: string): number {
    return this.take(this.handshakeDelays, path)?.ms ?? 0
  }

  /** @internal Byte budget after which the socket is dropped, if armed. */
  takeDrop(path: string): number | undefined {
    return this.take(this.drops, path)?.bytes
  }

  /** @internal Whether the next frame on this socket must be malformed. */
  takeMalformed(path: string): boolean {
    return this.take(this.malformed, path) !== undefined
  }

  private take<T extends SocketFaultRule>(list: Array<Counted<T>>, path: string): T | undefined {
    const hit = list.find((f) => f.left > 0 && matches(undefined, f.rule.path, 'GET', path))
    if (!hit) return undefined
    hit.left--
    const i = list.indexOf(hit)
    if (hit.left <= 0) list.splice(i, 1)
    return hit.rule
  }
}

/**
 * The longest delay a timer can wait: Node (and browsers) fire a longer setTimeout after 1 ms, so
 * delayHandshakes(3e9) held nothing and addLatency(Infinity) added none (found by the probe after
 * issue 11).
 */
export const MAX_DELAY_MS = 2 ** 31 - 1

function checkMs(method: string, ms: unknown): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS)
    throw new RangeError(`${method}(ms): ms must be a finite number of milliseconds from 0 to ${MAX_DELAY_MS} (got ${String(ms)})`)
}
