// The Node entry: the shared core plus app credentials (options, environment, symbl.conf), `ws`
// sockets, and the token-endpoint helper for a web app's server.
import { appTokenProvider } from './auth/app-token.js'
import { findAppCredentials, findBaseUrl, NO_CREDENTIALS } from './auth/credentials.js'
import type { CredentialOptions } from './auth/types.js'
import type { SymblOptions } from './types.js'
import { ConfigError } from './errors.js'
import { nodePlatform } from './runtime/node-platform.js'
import { SymblBase } from './symbl.js'

export * from './index.js'
// The classes too (types only in the shared index, for the browser's sake): `instanceof` works on Node.
export { StreamingConnection } from './streaming/connection.js'
export { TelephonyConnection } from './telephony/telephony-connection.js'
export { createTokenHandler, toNodeListener, REJECTED_TOKEN_HEADER, type NodeListenerOptions } from './auth/token-endpoint.js'
export type { CredentialOptions, TokenHandler, TokenHandlerOptions } from './auth/types.js'
export { findAppCredentials } from './auth/credentials.js'
// Server-side rendering imports what client components import: captureMicrophone here rejects with a
// MicrophoneError; processorSource is the worklet's text (for a server that hosts it, see workletUrl).
export { captureMicrophone } from './audio/server-microphone.js'
export { processorSource } from './audio/worklet-text.js'

export interface NodeSymblOptions extends SymblOptions, CredentialOptions {
  /**
   * REST base URL. On Node, when this option is not given, the SYMBL_BASE_URL environment
   * variable (an http(s) URL) is used if set, as the credentials are.
   * @default process.env.SYMBL_BASE_URL, else 'https://api.symbl.ai'
   */
  baseUrl?: string | undefined
}

export class Symbl extends SymblBase {
  /** The runtime this build is for. */
  static readonly platform = 'node'

  constructor(options: NodeSymblOptions = {}) {
    // Not an object: left as it is, for the client to refuse with its own message.
    const withBase =
      options && typeof options === 'object' && !Array.isArray(options) ? { ...options, baseUrl: findBaseUrl(options.baseUrl) } : options
    super(withBase, nodePlatform, (http) => {
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
