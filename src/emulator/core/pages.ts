// Minimal HTML pages behind the URLs the API hands out (conversation_completed `summaryUrl`,
// telephony `summaryInfo[].url`, Experience API and insights UI URLs). The real ones are Symbl's
// hosted apps; these only show what the emulator knows, so a demo link opens something real.
// Every value is HTML-escaped.
//
// Why keyed links, not a token: the pages are opened by following a link (a summaryUrl in an app,
// a click), and a navigation carries no Authorization header. They used to be public, so any page
// a developer visited could read every transcript of a running emulator. Now each URL the API hands
// out carries an unguessable `key` (per conversation; per app scope for the list), like the signed
// links the real ones are: whoever holds the link sees the page, nobody can guess it. A wrong or
// missing key is a 404, as for an unknown conversation. The pages send no CORS headers either.

import { analyse } from './analysis/index.js'
import type { EmulatorCore } from './core.js'
import type { CoreResponse } from './http.js'
import { secretKey } from './ids.js'
import { listConversations } from './list.js'
import type { Conversation } from './types.js'

/** The page URL of a conversation, with its key (`meeting`: summary page; `details`: insights UI). */
export function pageUrl(core: EmulatorCore, c: Conversation, kind: 'meeting' | 'details', includeCallScore = false): string {
  const path = kind === 'meeting' ? 'meeting' : 'insights/details'
  return `${core.publicHttpUrl}/${path}/${encodeURIComponent(c.id)}?key=${c.pageKey}${includeCallScore ? '&includeCallScore=true' : ''}`
}

/** Keys of the insights list pages, one per token scope; bounded (the oldest forgotten). */
export class ListKeys {
  private readonly byScope = new Map<string, string>()
  private readonly byKey = new Map<string, string>()
  constructor(private readonly max = 10_000) {}

  keyFor(scope: string): string {
    let key = this.byScope.get(scope)
    if (key) return key
    key = secretKey()
    this.byScope.set(scope, key)
    this.byKey.set(key, scope)
    while (this.byScope.size > this.max) {
      const [oldScope, oldKey] = this.byScope.entries().next().value as [string, string]
      this.byScope.delete(oldScope)
      this.byKey.delete(oldKey)
    }
    return key
  }

  scopeFor(key: string | null): string | undefined {
    return key ? this.byKey.get(key) : undefined
  }
}

export function listPageUrl(core: EmulatorCore, scope: string, includeCallScore: boolean): string {
  return `${core.publicHttpUrl}/insights/list?key=${core.listKeys.keyFor(scope)}${includeCallScore ? '&includeCallScore=true' : ''}`
}

const notFoundPage = (): CoreResponse =>
  page(
    'Conversation not found',
    '<p>The conversationId is either invalid or does not exist. Open the link the API gave (it carries a key).</p>',
    404,
  )

/** The conversation behind a page request: it must exist and the request must carry its key. */
export function pageConversation(core: EmulatorCore, id: string, key: string | null): Conversation | undefined {
  const c = core.store.get(id)
  return c && key !== null && key === c.pageKey ? c : undefined
}

const escapeHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

function page(title: string, body: string, status = 200): CoreResponse {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}<p><small>Symbl API emulator</small></p></body></html>`,
  }
}

export function conversationPage(c: Conversation | undefined, includeCallScore: boolean): CoreResponse {
  if (!c) return notFoundPage()
  const a = analyse(c)
  const lines = c.messages.map((m) => `<li><b>${escapeHtml(m.from.name)}</b>: ${escapeHtml(m.text)}</li>`).join('')
  const summary =
    c.pendingJobs > 0
      ? '<p>Processing…</p>'
      : `<ul>${a
          .summary()
          .map((s) => `<li>${escapeHtml(s.text)}</li>`)
          .join('')}</ul>`
  const tasks = a.insights
    .filter((i) => i.type !== 'question')
    .map((i) => `<li>${escapeHtml(i.text)}</li>`)
    .join('')
  const score =
    includeCallScore && c.pendingJobs === 0
      ? ((s) =>
          `<h2>Call score: ${s.score}</h2><p>${escapeHtml(s.summary)}</p><ul>${s.criteria.map((k) => `<li>${escapeHtml(k.name)}: ${k.score} — ${escapeHtml(k.summary)}</li>`).join('')}</ul>`)(
          a.callScore(),
        )
      : ''
  return page(c.name, `<h2>Summary</h2>${summary}<h2>Next steps</h2><ul>${tasks}</ul>${score}<h2>Transcript</h2><ol>${lines}</ol>`)
}

export function listPage(core: EmulatorCore, query: URLSearchParams): CoreResponse {
  const scope = core.listKeys.scopeFor(query.get('key'))
  if (scope === undefined)
    return page('Not found', '<p>Open the link the API gave (GET /v1/conversations/experiences/insights/list): it carries a key.</p>', 404)
  const params = new URLSearchParams({ limit: '100' })
  const include = query.get('includeCallScore') === 'true'
  const items = listConversations(core.store.visibleTo(scope), params)
    .map((c) => `<li><a href="${escapeHtml(pageUrl(core, c, 'details', include))}">${escapeHtml(c.name)}</a></li>`)
    .join('')
  return page('Conversations', `<ul>${items}</ul>`)
}
