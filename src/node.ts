// The Node entry: the shared core plus app credentials (options, environment, symbl.conf), `ws`
// sockets, and the token-endpoint helper for a web app's server.
import { appTokenProvider } from './auth/app-token.js'
import { findAppCredentials, NO_CREDENTIALS, type CredentialOptions } from './auth/credentials.js'
import type { SymblOptions } from './client.js'
import { ConfigError } from './errors.js'
import { nodePlatform } from './runtime/node-platform.js'
import { SymblBase } from './symbl.js'

export * from './index.js'
// The classes too (types only in the shared index, for the browser's sake): `instanceof` works on Node.
export { StreamingConnection } from './streaming/connection.js'
export { TelephonyConnection } from './telephony/telephony-connection.js'
export { createTokenHandler, toNodeListener, REJECTED_TOKEN_HEADER, type TokenHandler, type TokenHandlerOptions } from './auth/token-endpoint.js'
export { findAppCredentials, type CredentialOptions } from './auth/credentials.js'

export interface NodeSymblOptions extends SymblOptions, CredentialOptions {}

export class Symbl extends SymblBase {
  /** The runtime this build is for. */
  static readonly platform = 'node'

  constructor(options: NodeSymblOptions = {}) {
    super(options, nodePlatform, (http) => {
      const credentials = findAppCredentials(options)
      if (!credentials) {
        return () => {
          throw new ConfigError(NO_CREDENTIALS)
        }
      }
      return appTokenProvider(http, credentials)
    })
  }
}

export default Symbl
