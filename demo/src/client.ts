// The page's one SDK client. The page never sees the app secret: tokens come from the demo
// server's `/symbl-token`, made with the SDK's createTokenHandler; `/demo-config` says which API.
import { NetworkError, SymblError, Symbl } from 'symbl-sdk'

export interface DemoConfig {
  baseUrl: string
  mode: 'emulator' | 'symbl'
  liveIdPrefix: string
}

export async function loadConfig(): Promise<DemoConfig> {
  let response: Response
  try {
    response = await fetch('/demo-config')
  } catch {
    throw new Error('The demo server could not be reached. Start it with `npm run demo`.')
  }
  if (!response.ok) throw new Error(`The demo server answered ${response.status} for /demo-config. Restart it with \`npm run demo\`.`)
  return (await response.json()) as DemoConfig
}

export function createClient(config: DemoConfig): Symbl {
  return new Symbl({
    baseUrl: config.baseUrl,
    // After Symbl refused a token, say which one: the token endpoint caches its token and would
    // otherwise hand out the same refused one again.
    tokenProvider: async ({ rejectedToken }) => {
      let response: Response
      try {
        response = await fetch('/symbl-token', { headers: rejectedToken ? { 'x-symbl-rejected-token': rejectedToken } : {} })
      } catch (error) {
        throw new NetworkError('The demo server (token endpoint) could not be reached. Is `npm run demo` still running?', error)
      }
      if (!response.ok) {
        // The token endpoint answers 502 with the SDK's error code: 'network' when the API is down.
        const body = (await response.json().catch(() => ({}))) as { code?: string }
        const api = config.mode === 'emulator' ? 'the local emulator' : 'the Symbl API'
        // SymblErrors pass through the SDK's token source unchanged, so the page can tell them apart.
        if (body.code === 'network' || body.code === 'timeout') {
          throw new NetworkError(`The demo server could not reach ${api} to get a token: is it running?`)
        }
        throw new SymblError(
          'auth',
          config.mode === 'emulator'
            ? `The demo server could not get a token from ${api} (HTTP ${response.status}). Restart \`npm run demo\`.`
            : `The demo server could not get a token from Symbl (HTTP ${response.status}). Check SYMBL_APP_ID / SYMBL_APP_SECRET and the server log.`,
        )
      }
      return (await response.json()) as { accessToken: string; expiresIn?: number }
    },
  })
}
