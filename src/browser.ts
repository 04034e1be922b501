// The browser entry: the shared core with the browser's WebSocket. It refuses app secrets: a
// secret shipped to a browser is readable by anyone, so browsers get tokens from the app's server.
import type { SymblOptions } from './types.js'
import { ConfigError } from './errors.js'
import { browserPlatform } from './runtime/browser-platform.js'
import { SymblBase } from './symbl.js'

export * from './index.js'
// Microphone capture (AudioWorklet): browsers only, so it is not in the shared index.
export { captureMicrophone } from './audio/load-microphone.js'
export { processorSource } from './audio/worklet-text.js'

export class Symbl extends SymblBase {
  /** The runtime this build is for. */
  static readonly platform = 'browser'

  constructor(options: SymblOptions = {}) {
    const given = options as { appSecret?: unknown; appId?: unknown }
    if (given && (given.appSecret !== undefined || given.appId !== undefined)) {
      throw new ConfigError(
        'appId/appSecret cannot be used in a browser: anyone could read the secret from the page. ' +
          'Keep the credentials on your server, expose a token endpoint (createTokenHandler from symbl-sdk on Node), ' +
          'and pass `tokenProvider: () => fetch("/your-token-endpoint").then((r) => r.json())`',
      )
    }
    super(options, browserPlatform)
  }
}

export default Symbl
