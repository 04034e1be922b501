// `symbl conversation <id> <part>`: one part of a conversation from the Conversation API, readable
// or as the API's JSON (--json); `delete` deletes it.
import { expectPositionals, parse, UsageError } from '../args.js'
import type { Context } from '../context.js'
import {
  formatAnalytics,
  formatEntities,
  formatInsights,
  formatMessages,
  formatSummaryItems,
  formatTopics,
  speakerName,
} from '../format.js'

const PARTS = [
  'messages',
  'members',
  'insights',
  'questions',
  'action-items',
  'follow-ups',
  'topics',
  'entities',
  'trackers',
  'analytics',
  'summary',
  'transcript',
  'delete',
] as const
type Part = (typeof PARTS)[number]

export const USAGE = `symbl conversation <id> <${PARTS.join('|')}> [--format markdown|srt] [--sentiment] [--json]`

export const HELP = `Usage: ${USAGE}

Reads one part of a conversation (the Conversation API) and prints it readably, or as the API's
JSON with --json. "insights" is the questions, action items and follow-ups together.

  --format markdown|srt   the transcript's format (default markdown)
  --sentiment             messages and topics with their sentiment
  --yes                   with delete: do not ask (required when stdin is not a terminal)`

export const OPTIONS = {
  format: { type: 'string' },
  sentiment: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
} as const

export async function run(ctx: Context, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, OPTIONS)
  const [id, partArg] = expectPositionals(positionals, 2, USAGE)
  const part = partArg as Part
  if (!PARTS.includes(part)) throw new UsageError(`unknown part "${partArg}": give one of ${PARTS.join(', ')}`)
  if (values.format !== undefined && part !== 'transcript') throw new UsageError('--format is for the transcript only')
  const format = values.format ?? 'markdown'
  if (format !== 'markdown' && format !== 'srt') throw new UsageError(`--format must be markdown or srt (got "${format}")`)
  const { out, signal, symbl } = ctx
  const c = symbl.conversations
  const o = { signal }
  const sentiment = !!values.sentiment
  const show = (json: unknown, lines: () => string[]) => (out.json ? out.printJson(json) : lines().forEach((l) => out.print(l)))
  switch (part) {
    case 'messages': {
      const r = await c.getMessages(id, { ...o, sentiment })
      return show(r, () => (r.messages.length ? formatMessages(r.messages) : ['No messages.']))
    }
    case 'members': {
      const r = await c.getMembers(id, o)
      return show(r, () =>
        r.members.length ? r.members.map((m) => `${speakerName(m)}${m.email ? ` <${m.email}>` : ''}  (id ${m.id})`) : ['No members.'],
      )
    }
    case 'insights': {
      const [q, a, f] = await Promise.all([c.getQuestions(id, o), c.getActionItems(id, o), c.getFollowUps(id, o)])
      return show({ ...q, ...a, ...f }, () => [
        ...formatInsights('Questions', q.questions),
        ...formatInsights('Action items', a.actionItems),
        ...formatInsights('Follow-ups', f.followUps),
      ])
    }
    case 'questions': {
      const r = await c.getQuestions(id, o)
      return show(r, () => formatInsights('Questions', r.questions))
    }
    case 'action-items': {
      const r = await c.getActionItems(id, o)
      return show(r, () => formatInsights('Action items', r.actionItems))
    }
    case 'follow-ups': {
      const r = await c.getFollowUps(id, o)
      return show(r, () => formatInsights('Follow-ups', r.followUps))
    }
    case 'topics': {
      const r = await c.getTopics(id, { ...o, sentiment })
      return show(r, () => formatTopics(r.topics))
    }
    case 'entities': {
      const r = await c.getEntities(id, o)
      return show(r, () => formatEntities(r.entities))
    }
    case 'trackers': {
      const r = await c.getTrackers(id, o)
      return show(r, () =>
        r.length
          ? r.map((t) => `${t.name}: ${t.matches.length ? t.matches.map((m) => m.value).join(', ') : 'no match'}`)
          : ['No trackers.'],
      )
    }
    case 'analytics': {
      const r = await c.getAnalytics(id, o)
      return show(r, () => formatAnalytics(r))
    }
    case 'summary': {
      const r = await c.getSummary(id, o)
      return show(r, () => formatSummaryItems(r.summary))
    }
    case 'transcript': {
      const r = await c.getFormattedTranscript(id, { ...o, contentType: format === 'srt' ? 'text/srt' : 'text/markdown' })
      const payload = r.transcript.payload
      return show(r, () => [(typeof payload === 'string' ? payload : payload.content).replace(/\n$/, '')])
    }
    case 'delete': {
      if (!values.yes && !(await confirm(`Delete conversation ${id}? This cannot be undone. [y/N] `)))
        throw new UsageError('not deleted: answer y, or pass --yes (needed when stdin is not a terminal)')
      const r = await c.delete(id, o)
      return show(r, () => [`Deleted conversation ${id}.`])
    }
  }
}

/** Asks on the terminal; false when stdin is not one (a script must say --yes). */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  const { createInterface } = await import('node:readline/promises')
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}
