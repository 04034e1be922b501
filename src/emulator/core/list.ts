// GET /v1/conversations (contract 4.1): paging (`limit` default 20, `offset`), `order` asc|desc,
// `sort`, `startTime`/`endTime` window and a basic RSQL `filter`: at most 2 clauses joined by `;`
// (AND; `,` = OR is not supported, as the contract says), operators ==, !=, =gt=, =lt=, =ge=, =le=
// on name, startTime, endTime, type (optionally prefixed `conversation.`). `==`/`!=` on name and type
// take `*` wildcards (RSQL convention) and compare case-insensitively. Anything else is a 400 with a
// validator-style message.

import { badRequest } from './errors.js'
import type { Conversation } from './types.js'

type Field = 'name' | 'startTime' | 'endTime' | 'type'
type Op = '==' | '!=' | '=gt=' | '=lt=' | '=ge=' | '=le='

interface Clause {
  field: Field
  op: Op
  value: string
}

const FIELDS: Field[] = ['name', 'startTime', 'endTime', 'type']
const OPS: Op[] = ['==', '!=', '=gt=', '=lt=', '=ge=', '=le=']
const ORDERED: Op[] = ['=gt=', '=lt=', '=ge=', '=le=']
const CLAUSE = /^\s*(?:conversation\.)?([A-Za-z_][\w.]*)\s*(==|!=|=[a-z]+=)\s*(.*?)\s*$/

/** Start and end of a conversation in epoch ms (end = last message end, or start when empty). */
export function conversationTimes(c: Conversation): { startMs: number; endMs: number } {
  let end = c.startMs
  for (const m of c.messages) if (m.endMs > end) end = m.endMs
  return { startMs: c.startMs, endMs: end }
}

function unquote(raw: string): string {
  const m = /^(['"])(.*)\1$/.exec(raw)
  return m ? m[2] : raw
}

function parseDate(value: string, what: string): number {
  const ms = Date.parse(value)
  if (!value || Number.isNaN(ms)) throw badRequest(`"${what}" must be a valid ISO 8601 date`)
  return ms
}

export function parseFilter(filter: string): Clause[] {
  if (!filter.trim()) throw badRequest('"filter" is not allowed to be empty')
  // Split on `;` (AND) outside quotes; `,` outside quotes is RSQL's OR, which is not supported.
  const parts: string[] = ['']
  let quote: string | undefined
  for (const ch of filter) {
    if (quote) {
      if (ch === quote) quote = undefined
    } else if (ch === "'" || ch === '"') quote = ch
    else if (ch === ',') throw badRequest('"filter" does not support OR (","): join at most 2 clauses with ";"')
    else if (ch === ';') {
      parts.push('')
      continue
    }
    parts[parts.length - 1] += ch
  }
  if (quote) throw badRequest('"filter" has an unterminated quote')
  if (parts.length > 2) throw badRequest('"filter" must have at most 2 clauses joined by ";"')
  return parts.map((part, i) => {
    const m = CLAUSE.exec(part)
    if (!m) throw badRequest(`"filter" clause ${i + 1} ("${part.trim()}") must look like field==value, field!=value or field=gt=value`)
    const [, field, op, rawValue] = m
    if (!FIELDS.includes(field as Field)) throw badRequest(`"filter" field "${field}" must be one of [${FIELDS.join(', ')}]`)
    if (!OPS.includes(op as Op)) throw badRequest(`"filter" operator "${op}" must be one of [${OPS.join(', ')}]`)
    const value = unquote(rawValue)
    if (!value) throw badRequest(`"filter" clause ${i + 1} has no value`)
    const isTime = field === 'startTime' || field === 'endTime'
    if (!isTime && ORDERED.includes(op as Op)) throw badRequest(`"filter" operator "${op}" is only allowed on startTime and endTime`)
    if (isTime) parseDate(value, `filter ${field}`)
    return { field: field as Field, op: op as Op, value }
  })
}

/**
 * RSQL `*` wildcard match, case-insensitive, in time linear in pattern + text. A regex built from the
 * client's pattern (`.*a.*a.*…b`) backtracks exponentially: `name==*a*a*a*a*a*a*a*a*a*a*b` blocked the
 * event loop 23 s. A two-pointer glob match is O(pattern × text) in the worst case: `*aaa…ab` (5 000
 * characters) against a 2 MB name blocked it 60 s. So the literal pieces between the `*`s are found
 * in order, each with a KMP search that never re-reads the text: the first piece is anchored at the
 * start, the last at the end, the ones between take the leftmost match after the previous one
 * (leftmost is always safe: it leaves the most text for the rest).
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const pieces = pattern.toLowerCase().split('*')
  const t = text.toLowerCase()
  if (pieces.length === 1) return pieces[0] === t
  const head = pieces[0]!
  const tail = pieces[pieces.length - 1]!
  if (head.length + tail.length > t.length || !t.startsWith(head) || !t.endsWith(tail)) return false
  const end = t.length - tail.length
  let at = head.length
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = indexOfKmp(t, pieces[i]!, at, end)
    if (found < 0) return false
    at = found + pieces[i]!.length
  }
  return true
}

/** First index >= from of `needle` in `text` ending at or before `end`, or -1; O(needle + end - from). */
function indexOfKmp(text: string, needle: string, from: number, end: number): number {
  if (needle.length === 0) return from
  const fail = new Int32Array(needle.length)
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1]!
    if (needle[i] === needle[k]) k++
    fail[i] = k
  }
  for (let i = from, k = 0; i < end; i++) {
    while (k > 0 && text[i] !== needle[k]) k = fail[k - 1]!
    if (text[i] === needle[k]) k++
    if (k === needle.length) return i - needle.length + 1
  }
  return -1
}

function test(c: Conversation, clause: Clause): boolean {
  if (clause.field === 'name' || clause.field === 'type') {
    const hit = wildcardMatch(clause.value, clause.field === 'name' ? c.name : c.type)
    return clause.op === '==' ? hit : !hit
  }
  const t = conversationTimes(c)[clause.field === 'startTime' ? 'startMs' : 'endMs']
  const v = Date.parse(clause.value)
  switch (clause.op) {
    case '==':
      return t === v
    case '!=':
      return t !== v
    case '=gt=':
      return t > v
    case '=lt=':
      return t < v
    case '=ge=':
      return t >= v
    case '=le=':
      return t <= v
  }
}

function integer(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name)
  if (raw === null || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n)) throw badRequest(`"${name}" must be an integer`)
  if (n < min) throw badRequest(`"${name}" must be greater than or equal to ${min}`)
  if (n > max) throw badRequest(`"${name}" must be less than or equal to ${max}`)
  return n
}

const SORTS: Record<string, (c: Conversation) => number | string> = {
  startTime: (c) => c.startMs,
  endTime: (c) => conversationTimes(c).endMs,
  name: (c) => c.name.toLowerCase(),
}

/** Validates the query (400 on anything unknown or malformed) and returns the page. */
export function listConversations(all: Iterable<Conversation>, query: URLSearchParams): Conversation[] {
  // The real limit's maximum is not documented; 100 is ours.
  const limit = integer(query, 'limit', 20, 0, 100)
  const offset = integer(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
  const order = query.get('order') ?? 'desc'
  if (order !== 'asc' && order !== 'desc') throw badRequest('"order" must be one of [asc, desc]')
  const sortName = (query.get('sort') ?? 'conversation.startTime').replace(/^conversation\./, '')
  const key = SORTS[sortName]
  if (!key) throw badRequest('"sort" must be one of [conversation.startTime, conversation.endTime, conversation.name]')
  const from = query.get('startTime')
  const to = query.get('endTime')
  const fromMs = from !== null ? parseDate(from, 'startTime') : undefined
  const toMs = to !== null ? parseDate(to, 'endTime') : undefined
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs)
    throw badRequest('"endTime" must be greater than or equal to "startTime"')
  const filter = query.get('filter')
  const clauses = filter !== null ? parseFilter(filter) : []
  const sign = order === 'asc' ? 1 : -1
  return [...all]
    .filter((c) => {
      const t = conversationTimes(c)
      // startTime: conversations that start at or after it; endTime: that end at or before it.
      if (fromMs !== undefined && t.startMs < fromMs) return false
      if (toMs !== undefined && t.endMs > toMs) return false
      return clauses.every((clause) => test(c, clause))
    })
    .sort((a, b) => {
      const x = key(a)
      const y = key(b)
      return (x < y ? -1 : x > y ? 1 : 0) * sign
    })
    .slice(offset, offset + limit)
}
