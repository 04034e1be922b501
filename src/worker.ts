// The entry for server-side web runtimes (Cloudflare Workers / workerd, Vercel Edge; the `workerd`,
// `edge-light` and `worker` export conditions): the shared core with the runtime's fetch and
// WebSocket, app credentials from options (a Worker's `env`) and the token endpoint for browsers.
// No Node modules and no `process`: there is neither.
import type { SymblOptions } from './types.js'
import { appTokenProvider } from './auth/app-token.js'
import { ConfigError } from './errors.js'
import { workerPlatform } from './runtime/worker-platform.js'
import { NO_WORKER_CREDENTIALS, workerCredentials } from './runtime/worker-token-endpoint.js'
import { SymblBase } from './symbl.js'

export * from './index.js'
export { StreamingConnection } from './streaming/connection.js'
export { TelephonyConnection } from './telephony/telephony-connection.js'
export { createTokenHandler } from './runtime/worker-token-endpoint.js'
export type { TokenHandler, TokenHandlerOptions } from './auth/types.js'
// Server-side rendering imports what client components import: captureMicrophone here rejects with a
// MicrophoneError; processorSource is the worklet's text (for a server that hosts it, see workletUrl).
export { captureMicrophone } from './audio/server-microphone.js'
export { processorSource } from './audio/worklet-text.js'

export interface WorkerSymblOptions extends SymblOptions {
  /** Your app id, e.g. `env.SYMBL_APP_ID` (a Worker has no environment variables: pass it from `env`). */
  appId?: string | undefined
  /** Your app secret, e.g. `env.SYMBL_APP_SECRET` (a Worker secret: `wrangler secret put SYMBL_APP_SECRET`). */
  appSecret?: string | undefined
}

export class Symbl extends SymblBase {
  /** The runtime this build is for. */
  static readonly platform = 'worker'

  constructor(options: WorkerSymblOptions = {}) {
    const given = options && typeof options === 'object' && !Array.isArray(options) ? options : {}
    super(options, workerPlatform, (http) => {
      const credentials = workerCredentials(given)
      if (!credentials) {
        return () => {
          throw new ConfigError(NO_WORKER_CREDENTIALS)
        }
      }
      return appTokenProvider(http, credentials)
    })
  }
}

export default Symbl
