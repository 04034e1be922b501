// A Cloudflare Worker: the app id and secret are the Worker's env (bindings), as `wrangler secret put`
// would give them; nothing here reads process.env (there is none without nodejs_compat).
import { ConfigError, createTokenHandler, Symbl } from 'symbl-sdk'
import { refusedHandshake } from '../../shared/refused-handshake.js'
import { roundTrip } from '../../shared/round-trip.js'

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const describe = (e) => ({ name: e?.name, isConfigError: e instanceof ConfigError, message: e?.message })
let tokens

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url)
    const credentials = { appId: env.SYMBL_APP_ID, appSecret: env.SYMBL_APP_SECRET, baseUrl: env.SYMBL_BASE_URL }
    try {
      // Text: text.process (waits for the job), getMessages({ sentiment: true }), a streaming session.
      if (pathname === '/round-trip') return json({ platform: Symbl.platform, ...(await roundTrip(Symbl, credentials)) })
      // A refused handshake's status, seen through workerd's WebSocket.
      if (pathname === '/refused-handshake') return json(await refusedHandshake(Symbl, credentials))
      // The token endpoint a browser's tokenProvider fetches.
      if (pathname === '/symbl-token') return (tokens ??= createTokenHandler(credentials))(request)
      // Bad input: no credentials in a Worker.
      if (pathname === '/no-credentials') {
        const errors = {}
        try {
          await new Symbl({ baseUrl: env.SYMBL_BASE_URL }).text.process({ messages: [{ payload: { content: 'hi' } }] })
        } catch (e) {
          errors.client = describe(e)
        }
        try {
          createTokenHandler({ baseUrl: env.SYMBL_BASE_URL })
        } catch (e) {
          errors.tokenHandler = describe(e)
        }
        return json(errors)
      }
      return json({ message: 'not found' }, 404)
    } catch (e) {
      return json({ ok: false, error: `${e?.name}: ${e?.message}` }, 500)
    }
  },
}
