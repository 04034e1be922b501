// Insights UI and Experience API URLs (contract 4.16), and the loopback pages they point at
// (core/pages.ts). The real URLs lead to Symbl's hosted apps; ours to small HTML pages of this server.

import { badRequest, notFound } from '../errors.js'
import { toBool, toStr } from '../options.js'
import { conversationPage, listPage, listPageUrl, pageConversation, pageUrl } from '../pages.js'
import { ok, type Route, type RouteContext } from './route.js'

const includeCallScore = (ctx: RouteContext): boolean => toBool(ctx.query.get('includeCallScore') ?? undefined, 'includeCallScore') ?? false
const EXPERIENCES = ['verbose-text-summary', 'video-summary']

export const experienceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v1\/conversations\/experiences\/insights\/list$/,
    handler(ctx) {
      return ok({ url: listPageUrl(ctx.core, ctx.scope!, includeCallScore(ctx)) })
    },
  },
  {
    method: 'GET',
    pattern: /^\/v1\/conversations\/experiences\/insights\/details\/(?<id>[^/]+)$/,
    handler(ctx) {
      const c = ctx.core.store.visible(ctx.params.id, ctx.scope)
      if (!c) throw notFound()
      return ok({ url: pageUrl(ctx.core, c, 'details', includeCallScore(ctx)) })
    },
  },
  {
    // Experience API (pre-built summary UI): body {name, videoUrl?, ...}; answer {name, url}.
    method: 'POST',
    pattern: /^\/v1\/conversations\/(?<id>[^/]+)\/experiences$/,
    async handler(ctx) {
      const c = ctx.core.store.visible(ctx.params.id, ctx.scope)
      if (!c) throw notFound()
      const body = await ctx.json()
      const name = toStr(body.name, 'name')
      if (!name || !EXPERIENCES.includes(name)) throw badRequest(`"name" must be one of [${EXPERIENCES.join(', ')}]`)
      if (name === 'video-summary' && (typeof body.videoUrl !== 'string' || !body.videoUrl))
        throw badRequest('"videoUrl" is required for video-summary')
      return ok({ name, url: pageUrl(ctx.core, c, 'meeting') })
    },
  },
  // The pages (HTML, reached by keyed links: see pages.ts for why not by token).
  { method: 'GET', pattern: /^\/insights\/list$/, public: true, handler: (ctx) => listPage(ctx.core, ctx.query) },
  {
    method: 'GET',
    pattern: /^\/(?:insights\/details|meeting)\/(?<id>[^/]+)$/,
    public: true,
    handler: (ctx) =>
      conversationPage(pageConversation(ctx.core, ctx.params.id, ctx.query.get('key')), ctx.query.get('includeCallScore') === 'true'),
  },
]
