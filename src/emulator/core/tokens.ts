// Token issuing and checking (contract 2.1). Tokens look like RS256 JWTs (three base64url segments,
// JSON payload with numeric `exp`) because the JS/WEB SDKs decode the middle segment; the signature
// is random bytes: nobody can verify it, and the emulator only trusts tokens it issued itself.

import { base64urlEncode, encodeJsonSegment } from './base64url.js'
import { numericId } from './ids.js'

export interface TokenOptions {
  /** Lifetime in seconds (default 86400, as the real service). */
  lifetimeSeconds?: number
  /** Only this appId/appSecret pair is accepted; any pair when unset. */
  credentials?: { appId: string; appSecret: string }
  /** Accept any non-empty token, issued or not (handy for demos against a restarted emulator). */
  acceptAnyToken?: boolean
  /** Live tokens kept (default 10000); beyond, the oldest is forgotten (its requests then get 401). */
  maxTokens?: number
  now?: () => number
}

interface Issued {
  token: string
  expMs: number
  /** Whose data the token reaches (see `scopeOf`); never shown anywhere. */
  scope: string
  appId: string
}

/**
 * Tokens are scoped: a conversation or job made with one app's token is invisible (404) with
 * another's. The scope is the app pair, not the appId alone: by default any pair is accepted, so a
 * web page could ask for a token with a guessed appId ("any", as in examples); it cannot guess the
 * secret. With `credentials` set, only one pair exists and the appId is enough.
 */
function scopeOf(appId: string, appSecret: string, fixed: boolean): string {
  return fixed ? `app:${appId}` : `pair:${appId.length}:${appId}:${appSecret}`
}

/**
 * Memory is bounded and each issue costs O(1) amortised: `byToken` is in issue order, which is also
 * expiry order (one lifetime for all; expireAll() only moves every expiry to the same past instant),
 * so expired tokens are pruned from the front and, beyond `maxTokens`, the oldest is evicted. (A
 * full scan per issue made 60k app ids cost 172 MB and 10k requests 11.8 s.)
 */
export class TokenIssuer {
  private readonly byApp = new Map<string, Issued>()
  private readonly byToken = new Map<string, Issued>()
  private readonly lifetime: number
  private readonly now: () => number
  readonly maxTokens: number

  constructor(private readonly options: TokenOptions = {}) {
    this.lifetime = options.lifetimeSeconds ?? 86400
    this.now = options.now ?? Date.now
    this.maxTokens = Math.max(1, options.maxTokens ?? 10_000)
  }

  /** Tokens held (live ones, plus expired ones not yet pruned). */
  get size(): number {
    return this.byToken.size
  }

  /** Whether this app pair is accepted (any pair unless `credentials` is set). */
  accepts(appId: string, appSecret: string): boolean {
    const required = this.options.credentials
    return !required || (required.appId === appId && required.appSecret === appSecret)
  }

  /**
   * Returns null for a rejected credential pair (401). `fresh` (token:refresh) always issues a new
   * token with the full lifetime; earlier tokens of the app stay valid until they expire.
   */
  issue(appId: string, appSecret: string, options: { fresh?: boolean } = {}): { accessToken: string; expiresIn: number } | null {
    if (!this.accepts(appId, appSecret)) return null
    const now = this.now()
    const scope = scopeOf(appId, appSecret, !!this.options.credentials)
    const cached = this.byApp.get(scope)
    // Contract 2.1: asking again before expiry returns the same token with the remaining seconds.
    if (cached && cached.expMs > now && !options.fresh) {
      return { accessToken: cached.token, expiresIn: Math.max(1, Math.floor((cached.expMs - now) / 1000)) }
    }
    if (cached && cached.expMs <= now) this.forget(cached.token, cached)
    const iat = Math.floor(now / 1000)
    const exp = iat + this.lifetime
    const header = encodeJsonSegment({ alg: 'RS256', typ: 'JWT', kid: 'symbl-emulator' })
    const payload = encodeJsonSegment({
      'https://platform.symbl.ai/userId': numericId(),
      iss: 'https://direct-platform.auth0.com/',
      sub: `${appId}@clients`,
      aud: 'https://platform.rammer.ai',
      iat,
      exp,
      azp: appId,
      gty: 'client-credentials',
    })
    const sig = new Uint8Array(32)
    globalThis.crypto.getRandomValues(sig)
    const token = `${header}.${payload}.${base64urlEncode(sig)}`
    const issued = { token, expMs: exp * 1000, scope, appId }
    this.byApp.set(scope, issued)
    this.byToken.set(token, issued)
    this.prune(now)
    return { accessToken: token, expiresIn: this.lifetime }
  }

  isValid(token: string | undefined | null): boolean {
    return this.scopeOf(token) !== undefined
  }

  /**
   * The scope a valid token reaches; undefined when the token is not valid. With `acceptAnyToken`,
   * a token this emulator did not issue is its own scope (it sees what it created).
   */
  scopeOf(token: string | undefined | null): string | undefined {
    if (!token) return undefined
    const issued = this.byToken.get(token)
    if (issued && issued.expMs > this.now()) return issued.scope
    if (this.options.acceptAnyToken) return issued ? issued.scope : `token:${token}`
    return undefined
  }

  /**
   * Fault: every token issued so far (to `appId` only, when given) stops being valid now; the next
   * token:generate issues a new one. Issue order stays expiry order for `prune`: a token expired
   * early is only pruned late (when the ones before it go), which bounds memory the same way.
   */
  expireAll(appId?: string): void {
    const now = this.now()
    for (const issued of this.byToken.values())
      if (appId === undefined || issued.appId === appId) issued.expMs = Math.min(issued.expMs, now - 1)
  }

  /** Revoke (undocumented DELETE /oauth2/token:revoke): every token of the app pair stops working. Returns how many. */
  revoke(appId: string, appSecret: string): number {
    const scope = scopeOf(appId, appSecret, !!this.options.credentials)
    this.byApp.delete(scope)
    let count = 0
    for (const [token, issued] of this.byToken) {
      if (issued.scope !== scope) continue
      this.byToken.delete(token)
      count++
    }
    return count
  }

  /** Drops expired tokens from the front, then the oldest live ones beyond `maxTokens`. */
  private prune(now: number): void {
    for (const [token, issued] of this.byToken) {
      if (issued.expMs > now && this.byToken.size <= this.maxTokens) break
      this.forget(token, issued)
    }
  }

  private forget(token: string, issued: Issued): void {
    this.byToken.delete(token)
    if (this.byApp.get(issued.scope) === issued) this.byApp.delete(issued.scope)
  }
}
