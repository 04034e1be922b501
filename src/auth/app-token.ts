import { AuthError, ConfigError } from '../errors.js'
import type { HttpClient } from '../http/http-client.js'
import type { TokenProvider } from './token-source.js'

export interface AppCredentials {
  appId: string
  appSecret: string
}

interface TokenResponse {
  accessToken?: unknown
  expiresIn?: unknown
}

/**
 * Turns app credentials into tokens with `POST /oauth2/token:generate` (contract 2.1). The call is
 * safe to repeat (the server hands out the same token while it is valid), so it is retried like a
 * read. Node only: a browser must never hold the app secret.
 */
export function appTokenProvider(http: HttpClient, credentials: AppCredentials): TokenProvider {
  // Wherever the secret came from (options, environment, symbl.conf), errors and logs hide it.
  http.addSecret(credentials.appSecret)
  return async () => {
    let body: TokenResponse
    try {
      body = await http.request<TokenResponse>({
        method: 'POST',
        path: '/oauth2/token:generate',
        json: { type: 'application', appId: credentials.appId, appSecret: credentials.appSecret },
        auth: false,
        idempotent: true,
      })
    } catch (error) {
      if (error instanceof AuthError) {
        throw new AuthError(
          { status: error.status, method: error.method, url: error.url, body: error.body },
          'The app id and secret were refused: check them in the Symbl platform (or SYMBL_APP_ID/SYMBL_APP_SECRET, or symbl.conf)',
        )
      }
      throw error
    }
    if (!body || typeof body.accessToken !== 'string' || body.accessToken === '') {
      throw new ConfigError(`POST /oauth2/token:generate answered without an accessToken; is baseUrl (${http.config.baseUrl}) a Symbl API?`)
    }
    return { accessToken: body.accessToken, expiresIn: typeof body.expiresIn === 'number' ? body.expiresIn : undefined }
  }
}
