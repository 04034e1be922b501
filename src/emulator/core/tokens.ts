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
  now?: () => number
}

interface Issued {
  token: string
  expMs: number
  appId: string
}

export class TokenIssuer {
  private readonly byApp = new Map<string, Issued>()
  private readonly byToken = new Map<string, Issued>()
  private readonly lifetime: number
  private readonly now: () => number

  constructor(private readonly options: TokenOptions = {}) {
    this.lifetime = options.lifetimeSeconds ?? 86400
    this.now = options.now ?? Date.now
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
    const cached = this.byApp.get(appId)
    // Contract 2.1: asking again before expiry returns the same token with the remaining seconds.
    if (cached && cached.expMs > now && !options.fresh) {
      return { accessToken: cached.token, expiresIn: Math.max(1, Math.floor((cached.expMs - now) / 1000)) }
    }
    if (cached && cached.expMs <= now) this.byToken.delete(cached.token)
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
    const issued = { token, expMs: exp * 1000, appId }
    this.byApp.set(appId, issued)
    this.byToken.set(token, issued)
    this.prune(now)
    return { accessToken: token, expiresIn: this.lifetime }
  }

  isValid(token: string | undefined | null): boolean {
    if (!token) return false
    if (this.options.acceptAnyToken) return true
    const issued = this.byToken.get(token)
    return !!issued && issued.expMs > this.now()
  }

  /** Fault: every token issued so far stops being valid now (next token:generate issues a new one). */
  expireAll(): void {
    const now = this.now()
    for (const issued of this.byToken.values()) issued.expMs = Math.min(issued.expMs, now - 1)
  }

  /** Revoke (undocumented DELETE /oauth2/token:revoke): every token of the app stops working. Returns how many. */
  revoke(appId: string): number {
    this.byApp.delete(appId)
    let count = 0
    for (const [token, issued] of this.byToken) {
      if (issued.appId !== appId) continue
      this.byToken.delete(token)
      count++
    }
    return count
  }

  private prune(now: number): void {
    // Bounded memory: drop expired tokens once in a while.
    if (this.byToken.size < 1000) return
    for (const [t, i] of this.byToken) if (i.expMs <= now) this.byToken.delete(t)
  }
}
