// Token endpoints (contract 2.1). refresh/revoke exist only in generated clients (undocumented):
// refresh takes the app pair (and an optional `refreshToken`, ignored: no refresh tokens are
// issued) and always answers a new token with the full lifetime; revoke takes the app pair and
// invalidates every token of that app (requests with them then get 401).

import { badRequest, unauthorized } from '../errors.js'
import type { CoreResponse } from '../http.js'
import type { Route, RouteContext } from './route.js'

async function appPair(ctx: RouteContext): Promise<{ body: Record<string, unknown>; appId: string; appSecret: string }> {
  const body = await ctx.json()
  if (typeof body.appId !== 'string' || !body.appId) throw badRequest('"appId" is required')
  if (typeof body.appSecret !== 'string' || !body.appSecret) throw badRequest('"appSecret" is required')
  return { body, appId: body.appId, appSecret: body.appSecret }
}

/** token:generate and token:refresh answer the same way; only `fresh` differs. */
function tokenAnswer(ctx: RouteContext, appId: string, appSecret: string, fresh: boolean): CoreResponse {
  const token = ctx.core.tokens.issue(appId, appSecret, { fresh })
  if (!token) throw unauthorized('Invalid appId or appSecret.')
  return { status: 200, body: token }
}

export const authRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/oauth2\/token:generate$/,
    public: true,
    async handler(ctx) {
      const { body, appId, appSecret } = await appPair(ctx)
      const type = body.type ?? 'application'
      if (type !== 'application' && type !== 'password') throw badRequest('"type" must be one of [application, password]')
      return tokenAnswer(ctx, appId, appSecret, false)
    },
  },
  {
    method: 'POST',
    pattern: /^\/oauth2\/token:refresh$/,
    public: true,
    async handler(ctx) {
      const { body, appId, appSecret } = await appPair(ctx)
      if (body.refreshToken !== undefined && typeof body.refreshToken !== 'string') throw badRequest('"refreshToken" must be a string')
      return tokenAnswer(ctx, appId, appSecret, true)
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/oauth2\/token:revoke$/,
    public: true,
    async handler(ctx) {
      const { appId, appSecret } = await appPair(ctx)
      if (!ctx.core.tokens.accepts(appId, appSecret)) throw unauthorized('Invalid appId or appSecret.')
      ctx.core.tokens.revoke(appId, appSecret)
      return { status: 200, body: { message: 'Token revoked.' } }
    },
  },
]
