// Entities: people, organisations and places via compromise, dates via our own rules (dates.ts),
// numbers and money via compromise, and the request's custom entities by case-insensitive match.
// Output follows the DOCS22/PY shape `{type, subType?, value, text, messageRefs[]}` (contract 4.10),
// which is what PY post-processing relies on.

import nlp from 'compromise'
import type { CustomEntitySpec, StoredMessage } from '../types.js'
import { findDates } from './dates.js'

export interface EntityRef {
  id: string
  text: string
  offset: number
}

export interface Entity {
  type: string
  subType?: string
  customType?: string
  value: string
  text: string
  messageRefs: EntityRef[]
}

/** One detection in one message, before detections are merged into `Entity` items. */
type Found = Omit<Entity, 'messageRefs'> & { offset: number }

function nlpEntities(text: string): Found[] {
  const doc = nlp(text)
  const out: Found[] = []
  const take = (type: string, subType: string | undefined, view: { json: (o: object) => unknown }): void => {
    for (const item of view.json({ offset: true }) as Array<{ text: string; offset?: { start: number } }>) {
      const t = item.text.replace(/[\s,.;:!?]+$/, '').trim()
      if (t) out.push({ type, subType, value: t, text: t, offset: item.offset?.start ?? text.indexOf(t) })
    }
  }
  take('person', undefined, doc.people())
  take('organization', undefined, doc.organizations())
  take('location', undefined, doc.places())
  take('number', 'money', doc.money())
  const money = new Set(out.filter((f) => f.subType === 'money').map((f) => f.offset))
  for (const item of doc.numbers().json({ offset: true }) as Array<{ text: string; offset?: { start: number }; number?: { num?: number } }>) {
    const start = item.offset?.start ?? 0
    if (money.has(start) || out.some((f) => f.subType === 'money' && start >= f.offset && start < f.offset + f.text.length)) continue
    const t = item.text.replace(/[\s,.;:!?]+$/, '').trim()
    const num = item.number?.num
    if (t) out.push({ type: 'number', value: num !== undefined ? String(num) : t, text: t, offset: start })
  }
  return out
}

/** Names of the conversation's members are people even when compromise does not know the name. */
function memberMentions(text: string, people: string[]): Found[] {
  const out: Found[] = []
  for (const name of people) {
    const re = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g')
    for (let m = re.exec(text); m; m = re.exec(text)) out.push({ type: 'person', value: name, text: m[0], offset: m.index })
  }
  return out
}

export function extractEntities(messages: StoredMessage[], custom: CustomEntitySpec[], people: string[] = []): Entity[] {
  const byKey = new Map<string, Entity>()
  const add = (f: Found, message: StoredMessage): void => {
    const key = `${f.type}|${f.customType ?? ''}|${f.value.toLowerCase()}`
    const entity = byKey.get(key) ?? { type: f.type, subType: f.subType, customType: f.customType, value: f.value, text: f.text, messageRefs: [] }
    if (!entity.subType) delete entity.subType
    if (!entity.customType) delete entity.customType
    entity.messageRefs.push({ id: message.id, text: message.text, offset: f.offset })
    byKey.set(key, entity)
  }
  for (const message of messages) {
    if (message.unrecognised) continue
    const found = nlpEntities(message.text)
    for (const f of memberMentions(message.text, people)) if (!found.some((g) => g.type === 'person' && g.offset === f.offset)) found.push(f)
    for (const f of found) add(f, message)
    for (const d of findDates(message.text, message.startMs)) add({ type: 'date', value: d.value, text: d.text, offset: d.offset }, message)
    const lower = message.text.toLowerCase()
    for (const c of custom) {
      const needle = c.text.toLowerCase()
      if (!needle) continue
      for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
        add({ type: 'custom', customType: c.customType, value: c.value ?? c.text, text: message.text.slice(i, i + needle.length), offset: i }, message)
      }
    }
  }
  return [...byKey.values()]
}
