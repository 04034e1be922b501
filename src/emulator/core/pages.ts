// Minimal HTML pages behind the URLs the API hands out (conversation_completed `summaryUrl`,
// telephony `summaryInfo[].url`, Experience API and insights UI URLs). The real ones are Symbl's
// hosted apps; these only show what the emulator knows, so a demo link opens something real.
// Public (no token), like the signed links they stand for; every value is HTML-escaped.

import { analyse } from './analysis/index.js'
import type { EmulatorCore } from './core.js'
import type { CoreResponse } from './http.js'
import { listConversations } from './list.js'
import type { Conversation } from './types.js'

const escape = (s: unknown): string => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

function page(title: string, body: string, status = 200): CoreResponse {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}<p><small>Symbl API emulator</small></p></body></html>`,
  }
}

export function conversationPage(c: Conversation | undefined, includeCallScore: boolean): CoreResponse {
  if (!c) return page('Conversation not found', '<p>The conversationId is either invalid or does not exist.</p>', 404)
  const a = analyse(c)
  const lines = c.messages.map((m) => `<li><b>${escape(m.from.name)}</b>: ${escape(m.text)}</li>`).join('')
  const summary = c.pendingJobs > 0 ? '<p>Processing…</p>' : `<ul>${a.summary().map((s) => `<li>${escape(s.text)}</li>`).join('')}</ul>`
  const tasks = a.insights.filter((i) => i.type !== 'question').map((i) => `<li>${escape(i.text)}</li>`).join('')
  const score = includeCallScore && c.pendingJobs === 0 ? ((s) => `<h2>Call score: ${s.score}</h2><p>${escape(s.summary)}</p><ul>${s.criteria.map((k) => `<li>${escape(k.name)}: ${k.score} — ${escape(k.summary)}</li>`).join('')}</ul>`)(a.callScore()) : ''
  return page(c.name, `<h2>Summary</h2>${summary}<h2>Next steps</h2><ul>${tasks}</ul>${score}<h2>Transcript</h2><ol>${lines}</ol>`)
}

export function listPage(core: EmulatorCore, query: URLSearchParams): CoreResponse {
  const params = new URLSearchParams({ limit: '100' })
  const include = query.get('includeCallScore') === 'true' ? '?includeCallScore=true' : ''
  const items = listConversations(core.store.conversations.values(), params)
    .map((c) => `<li><a href="${escape(`${core.publicHttpUrl}/insights/details/${encodeURIComponent(c.id)}${include}`)}">${escape(c.name)}</a></li>`)
    .join('')
  return page('Conversations', `<ul>${items}</ul>`)
}
