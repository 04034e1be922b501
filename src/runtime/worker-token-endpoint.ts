// Credentials and the token endpoint for server-side web runtimes (src/worker.ts): the app id and
// secret come from options only (a Worker's `env`), as there is no environment or file to read.
// The handler itself is the Node entry's (src/auth/token-handler.ts); only the credential lookup
// differs, as the Node one reads process.env and symbl.conf, which cannot be bundled here.
import type { AppCredentials } from '../auth/app-token.js'
import { appTokenProvider } from '../auth/app-token.js'
import type { TokenHandler, TokenHandlerOptions } from '../auth/types.js'
import { SymblClient } from '../client.js'
import { tokenHandler } from '../auth/token-handler.js'
import { ConfigError, ValidationError } from '../errors.js'
import { workerPlatform } from './worker-platform.js'

const WAYS =
  "Give them as options from your Worker's `env` (set with `wrangler secret put SYMBL_APP_SECRET`, or [vars] for the id): " +
  '{ appId: env.SYMBL_APP_ID, appSecret: env.SYMBL_APP_SECRET }'

export const NO_WORKER_CREDENTIALS =
  'No Symbl credentials found. This runtime (Cloudflare Workers, edge) has no environment variables or symbl.conf to read them from: ' +
  `pass the \`tokenProvider\` option, the \`accessToken\` option, or the \`appId\` and \`appSecret\` options. ${WAYS}`

const NO_WORKER_APP_CREDENTIALS = `createTokenHandler found no Symbl app credentials: it makes tokens from your app id and secret. ${WAYS}`

/** The app id and secret given as options (both or neither), trimmed. */
export function workerCredentials(options: { appId?: unknown; appSecret?: unknown }): AppCredentials | undefined {
  const id = typeof options.appId === 'string' ? options.appId.trim() : options.appId
  const secret = typeof options.appSecret === 'string' ? options.appSecret.trim() : options.appSecret
  if (!id && !secret) return undefined
  if (typeof id !== 'string' || typeof secret !== 'string' || !id || !secret) {
    const which = !id ? 'appId is missing' : !secret ? 'appSecret is missing' : 'one is not a string'
    throw new ConfigError(`The appId and appSecret options must both be non-empty strings (${which}). ${WAYS}`)
  }
  return { appId: id, appSecret: secret }
}

/** `createTokenHandler` for Workers: a fetch `Request → Response` handler (`return handler(request)` in `fetch`). */
export function createTokenHandler(options: Omit<TokenHandlerOptions, 'configFile'> = {}): TokenHandler {
  if (!options || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError('createTokenHandler takes an options object, e.g. createTokenHandler({ appId: env.SYMBL_APP_ID, … })')
  }
  const { authorize } = options
  if (authorize !== undefined && typeof authorize !== 'function') {
    throw new ValidationError('createTokenHandler: authorize must be a function returning true (allow) or false (refuse)')
  }
  const credentials = workerCredentials(options)
  if (!credentials) throw new ConfigError(NO_WORKER_APP_CREDENTIALS)
  const client = new SymblClient(options, workerPlatform, (http) => appTokenProvider(http, credentials))
  return tokenHandler(
    client,
    authorize,
    'The token handler takes a fetch Request and returns a Response: return handler(request) from your fetch handler',
  )
}
