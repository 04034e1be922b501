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

/**
 * compromise costs ~40 ms per KB and more than linear on one long text (a 100 KB message blocked the
 * event loop 60 s at 1.65 GB; 500 KB, 5 minutes). So it runs on chunks of at most NLP_CHUNK_CHARS
 * (cut at a sentence end or a space), and on at most NLP_BUDGET_CHARS per conversation: people,
 * organisations, places and numbers come from the conversation's first ~16,000 characters (about a
 * quarter hour of talk), which bounds one analysis to well under a second. Dates, members' names and
 * custom entities are cheap linear passes and cover all the text.
 */
export const NLP_CHUNK_CHARS = 2000
export const NLP_BUDGET_CHARS = 16_000

/** Pieces of `text` of at most `size` characters, cut after sentence ends or spaces when possible. */
export function chunks(text: string, size: number): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = []
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + size)
    if (end < text.length) {
      const window = text.slice(at, end)
      const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '))
      const space = window.lastIndexOf(' ')
      const cut = sentence > size / 2 ? sentence + 1 : space > size / 2 ? space : -1
      if (cut > 0) end = at + cut
    }
    out.push({ text: text.slice(at, end), offset: at })
    at = end
  }
  return out
}

/** compromise's detections in `text`, over at most `budget` characters; offsets are in `text`. */
function nlpEntitiesBounded(text: string, budget: { left: number }): Found[] {
  const out: Found[] = []
  for (const chunk of chunks(text, NLP_CHUNK_CHARS)) {
    if (budget.left <= 0) break
    budget.left -= chunk.text.length
    for (const f of nlpEntities(chunk.text)) out.push({ ...f, offset: f.offset + chunk.offset })
  }
  return out
}

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
  for (const item of doc.numbers().json({ offset: true }) as Array<{
    text: string
    offset?: { start: number }
    number?: { num?: number }
  }>) {
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

// People compromise's lexicon does not know ("a meeting with Priya", "ask Raj", "I'm Ngozi"): a
// capitalised word in a position that takes a person's name. Positions: after with / ask / tell /
// ping / thanks / hi / to (a person: "transfer you to Yusuf"), after "I'm" / "my name is" / "this is",
// and at a sentence start before a verb people do ("Raj will", "Priya said", "Mei and I"). Either one
// name or two joined by "and". Words that are not names (weekdays, months, pronouns, "The") are skipped,
// and so is anything compromise already calls an organisation or a place.
const NAME = `[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z][a-zà-ÿ]+`
const NAME_AFTER = new RegExp(
  `\\b(?:with|ask|asked|tell|told|ping|cc|thanks|thank you|hi|hello|hey|dear|to|I'm|I’m|I am|my name is|name's|this is|called)\\s+(${NAME})(?:\\s+and\\s+(${NAME}))?\\b`,
  'gu',
)
const NAME_BEFORE = new RegExp(
  `(?:^|[.!?]\\s+)(${NAME})(?=\\s+(?:will|'ll|is going to|needs to|has to|should|said|says|mentioned|told|asked|thinks|and I|from [a-z]))`,
  'gu',
)
const NOT_NAMES = new Set(
  `I I'm The A An This That These Those It We You He She They My Our Your Their His Her Me Us Them Everyone Everybody Someone Somebody Anyone Nobody Team All Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December Today Tomorrow Yesterday Hi Hello Hey Thanks Yes No Okay Ok Sure Well So And But Or If When What Who Why How Where Which Let Please Can Could Would Will Do Does Did Is Are Was Were Mr Mrs Ms Dr God Sales Support Engineering Legal Finance Marketing Billing Product Design`.split(
    ' ',
  ),
)

function namePositions(text: string): Found[] {
  const out: Found[] = []
  const add = (name: string | undefined, from: number): void => {
    if (!name || NOT_NAMES.has(name)) return
    const offset = text.indexOf(name, from)
    out.push({ type: 'person', value: name, text: name, offset })
  }
  for (const re of [NAME_AFTER, NAME_BEFORE]) {
    re.lastIndex = 0
    for (let m = re.exec(text); m; m = re.exec(text)) {
      add(m[1], m.index)
      add(m[2], m.index + m[0].indexOf(m[1]) + m[1].length)
    }
  }
  return out
}

/** Messages longer than this get a window of text in their entity refs, not the whole message. */
export const REF_WINDOW_CHARS = 200

/**
 * A ref's `text` is the message text (DOCS22), and `offset` the mention's place in it. For a long
 * message that repeats the whole text in every ref, so an answer grows with mentions x length (a
 * 500 KB message with thousands of mentions made gigabytes of JSON). Such messages get the mention
 * with up to REF_WINDOW_CHARS of context either side, and `offset` is then relative to that text:
 * `text.slice(offset)` still starts with the mention.
 */
function refOf(message: StoredMessage, f: Found): EntityRef {
  if (message.text.length <= 4 * REF_WINDOW_CHARS) return { id: message.id, text: message.text, offset: f.offset }
  const from = Math.max(0, f.offset - REF_WINDOW_CHARS)
  return { id: message.id, text: message.text.slice(from, f.offset + f.text.length + REF_WINDOW_CHARS), offset: f.offset - from }
}

// Bits of the coverage map in extractEntities.
const PERSON = 1
const ELSEWHERE = 2

/** Members' names looked for in the text (each is a pass over every message). */
const MAX_MEMBER_NAMES = 50

export function extractEntities(messages: StoredMessage[], custom: CustomEntitySpec[], people: string[] = []): Entity[] {
  const budget = { left: NLP_BUDGET_CHARS }
  const names = people.slice(0, MAX_MEMBER_NAMES)
  const byKey = new Map<string, Entity>()
  const add = (f: Found, message: StoredMessage): void => {
    const key = `${f.type}|${f.customType ?? ''}|${f.value.toLowerCase()}`
    const entity = byKey.get(key) ?? {
      type: f.type,
      subType: f.subType,
      customType: f.customType,
      value: f.value,
      text: f.text,
      messageRefs: [],
    }
    if (!entity.subType) delete entity.subType
    if (!entity.customType) delete entity.customType
    entity.messageRefs.push(refOf(message, f))
    byKey.set(key, entity)
  }
  for (const message of messages) {
    if (message.unrecognised) continue
    const found = nlpEntitiesBounded(message.text, budget)
    const people = new Set(found.filter((g) => g.type === 'person').map((g) => g.offset))
    for (const f of memberMentions(message.text, names)) if (!people.has(f.offset)) found.push(f), people.add(f.offset)
    const positions = namePositions(message.text)
    if (positions.length > 0) {
      // A name position inside a person, organisation or place already found is not a new person.
      // Marked character by character, not compared with every earlier find: a 1 MB message of
      // 'thanks Xavier. ' has 70 000 name positions, and that comparison blocked the event loop 15 s.
      const covered = new Uint8Array(message.text.length)
      const mark = (g: Found, bit: number): void => {
        for (let i = Math.max(0, g.offset), end = Math.min(covered.length, g.offset + g.text.length); i < end; i++) covered[i]! |= bit
      }
      for (const g of found) {
        if (g.type === 'person') mark(g, PERSON)
        else if (g.type === 'organization' || g.type === 'location') mark(g, ELSEWHERE)
      }
      for (const f of positions) {
        if (people.has(f.offset) || covered[f.offset]! & (PERSON | ELSEWHERE)) continue
        found.push(f)
        people.add(f.offset)
        mark(f, PERSON)
      }
    }
    for (const f of found) add(f, message)
    for (const d of findDates(message.text, message.startMs)) add({ type: 'date', value: d.value, text: d.text, offset: d.offset }, message)
    const lower = message.text.toLowerCase()
    for (const c of custom) {
      const needle = c.text.toLowerCase()
      if (!needle) continue
      for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
        add(
          { type: 'custom', customType: c.customType, value: c.value ?? c.text, text: message.text.slice(i, i + needle.length), offset: i },
          message,
        )
      }
    }
  }
  return [...byKey.values()]
}
