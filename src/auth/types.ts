// Public types of auth: the token hook every runtime uses, and (Node only) the app credentials and
// the token endpoint for a web app's server (exported by the Node entry alone). Implementation:
// token-source.ts, credentials.ts, token-endpoint.ts (which keeps NodeListenerOptions, as it names
// node:http types that a browser build must not reference).
import type { SymblOptions } from '../types.js'

/** What a token provider may return: the token alone, or the token with its lifetime in seconds. */
export type TokenResult = string | { accessToken: string; expiresIn?: number }

export interface TokenRequest {
  /** Why a token is wanted: the first one, a renewal before expiry, or the server refused the last. */
  reason: 'initial' | 'expiring' | 'rejected'
  /**
   * With reason 'rejected': the token the server refused. A provider backed by the app's own token
   * endpoint should pass it on (`createTokenHandler` reads the `x-symbl-rejected-token` header), or
   * the endpoint, which caches its token, would hand out the same refused token again.
   */
  rejectedToken?: string
  // No AbortSignal here on purpose: one provider call serves every waiting request (single flight),
  // so one caller giving up must not cancel it for the others; each caller stops waiting on its own.
}

/** The pluggable auth hook: in a browser it calls the app's own server, which holds the secret. */
export type TokenProvider = (request: TokenRequest) => Promise<TokenResult> | TokenResult

export interface TokenInfo {
  accessToken: string
  /** Epoch milliseconds, or undefined when neither `expiresIn` nor a JWT `exp` told us. */
  expiresAt: number | undefined
}

/** App credentials (Node): from these options, else SYMBL_APP_ID/SYMBL_APP_SECRET, else `symbl.conf`. */
export interface CredentialOptions {
  appId?: string | undefined
  appSecret?: string | undefined
  /** Read this file instead of looking for symbl.conf in the current directory and then home. */
  configFile?: string | undefined
}

export interface TokenHandlerOptions extends CredentialOptions, Pick<SymblOptions, 'baseUrl' | 'fetch' | 'timeout' | 'retry' | 'logger'> {
  /**
   * REST base URL of the Symbl API the tokens come from.
   * @default process.env.SYMBL_BASE_URL, else 'https://api.symbl.ai'
   */
  baseUrl?: string | undefined
  /**
   * Decides whether a request may have a token (check your session cookie here); it must return
   * (or resolve to) `true` to allow, `false` to refuse with 403. Anything else, or an exception,
   * answers a generic 500 and logs the detail through `logger`. It sees the fetch `Request`: with
   * `toNodeListener`, pass `authorize` there instead to see the Node request (Express's
   * `req.session`, `req.user`). Without any authorize, anyone who can reach the endpoint gets a
   * token: put it behind your app's own auth.
   * @default undefined (every request is allowed)
   */
  authorize?: ((request: Request) => boolean | Promise<boolean>) | undefined
}

export type TokenHandler = (request: Request) => Promise<Response>
