// Token endpoints (contract 2.1). refresh/revoke are undocumented but exist in generated clients.

import { badRequest, unauthorized } from '../errors.js'
import type { Route } from './index.js'

export const authRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/oauth2\/token:(generate|refresh)$/,
    public: true,
    async handler({ core, json }) {
      const body = await json()
      const type = body.type ?? 'application'
      if (type !== 'application' && type !== 'password') throw badRequest('"type" must be one of [application, password]')
      if (typeof body.appId !== 'string' || !body.appId) throw badRequest('"appId" is required')
      if (typeof body.appSecret !== 'string' || !body.appSecret) throw badRequest('"appSecret" is required')
      const token = core.tokens.issue(body.appId, body.appSecret)
      if (!token) throw unauthorized('Invalid appId or appSecret.')
      return { status: 200, body: token }
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/oauth2\/token:revoke$/,
    public: true,
    async handler({ core, json }) {
      const body = await json()
      if (typeof body.appId !== 'string') throw badRequest('"appId" is required')
      core.tokens.revoke(body.appId)
      return { status: 200, body: { message: 'Token revoked.' } }
    },
  },
]
