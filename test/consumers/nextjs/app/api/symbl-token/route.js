// The token endpoint: createTokenHandler is a fetch-style (Request) => Response handler, which is what
// a Next.js route handler is. App id/secret from SYMBL_APP_ID/SYMBL_APP_SECRET in the server's env,
// the API address from SYMBL_BASE_URL. Made on the first request, not when the module loads: `next build`
// loads route modules to read their config, and a build machine need not hold the app secret
// (createTokenHandler() at module level fails the build there with a ConfigError).
import { createTokenHandler } from 'symbl-sdk'

export const dynamic = 'force-dynamic'

let handler
const tokens = (request) => {
  handler ??= createTokenHandler()
  return handler(request)
}
export const GET = tokens
export const POST = tokens
