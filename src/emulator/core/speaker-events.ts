// `PUT /v1/conversations/{id}/speakers` (contract 4.5) applied: "The update should be reflected in all
// messages and insights along with this conversation". The contract documents the body and the answer,
// not how events map onto messages, so this is what a careful user would expect (our choice):
// - Offsets are from the conversation's start, like messages' `timeOffset`.
// - `started_speaking` opens a turn of that user; it ends at the same user's next `stopped_speaking`,
//   or, with none, when another user starts speaking (a hand-over), or at the end of the conversation.
//   A `stopped_speaking` with no open turn is ignored.
// - Each message goes to the user whose turns cover most of its time (a message of no duration: the
//   turn its start falls in); a message no turn touches keeps its speaker.
// - The user is a member: found by `user.id`, then by email/userId, then by name; otherwise a new member
//   (keeping `user.id` when given). A user given only by an id must be a member already (400). Members that lose all their messages to
//   the events are removed (they were the emulator's attribution, e.g. "Speaker 1"); members without
//   messages before the events (added by PUT .../members or a call's participants) stay.
// - Every stored PUT event of the conversation (the latest MAX_SPEAKER_EVENTS, several PUTs included) is
//   applied together, so a later PUT refines an earlier one. Analytics, insights, topics and the
//   transcript follow (they are computed from the messages). Messages added afterwards (a live stream
//   still running) are not re-attributed.

import { badRequest } from './errors.js'
import { MAX_SPEAKER_EVENTS, pushBounded } from './json-limits.js'
import type { Store } from './store.js'
import type { Conversation, Speaker } from './types.js'

export interface SpeakerUser {
  id?: string
  name?: string
  email?: string
  userId?: string
}

interface Turn {
  user: SpeakerUser
  key: string
  start: number
  end: number
}

const userKey = (u: SpeakerUser): string => (u.id ? `id:${u.id}` : (u.email ?? u.userId ?? `name:${u.name}`).toLowerCase())

/**
 * Checks one event's shape (400 naming the field and what to send); returns its offset in ms. With the
 * conversation's `members`, a user given only by `id` must be one of them.
 */
export function checkSpeakerEvent(event: unknown, what: string, members?: readonly Speaker[]): number {
  const e = event as { type?: unknown; user?: unknown; offset?: unknown }
  const user = e.user as Record<string, unknown> | null | undefined
  if (!user || typeof user !== 'object' || Array.isArray(user)) throw badRequest(`"${what}.user" must be an object: {id, name, email}`)
  for (const field of ['id', 'name', 'email', 'userId'])
    if (user[field] !== undefined && typeof user[field] !== 'string') throw badRequest(`"${what}.user.${field}" must be a string`)
  if (!user.name && !user.email && !user.userId) {
    if (!user.id) throw badRequest(`"${what}.user" needs a name or an email (or the id of a member)`)
    if (members && !members.some((m) => m.id === user.id))
      throw badRequest(`"${what}.user.id" is not a member of this conversation: give the user's name or email`)
  }
  const offset = e.offset as { seconds?: unknown; nanos?: unknown } | null | undefined
  if (!offset || typeof offset !== 'object') throw badRequest(`"${what}.offset" must be an object: {seconds, nanos}`)
  const seconds = Number(offset.seconds ?? 0)
  const nanos = Number(offset.nanos ?? 0)
  if (!Number.isFinite(seconds) || seconds < 0) throw badRequest(`"${what}.offset.seconds" must be a number >= 0`)
  // The contract: nanos is 0–999999999 (DOCS22's own example's 5000000000 would be 5 s).
  if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999)
    throw badRequest(`"${what}.offset.nanos" must be an integer from 0 to 999999999`)
  return seconds * 1000 + nanos / 1e6
}

/**
 * The events PUT .../speakers stored. A telephony call's pushed events (POST /v1/event/{id}, the events
 * socket) share the conversation's list but are not applied: they carry wall-clock timestamps (contract
 * 5.3) and are checked only for size, so one pushed with an `offset` and no `user` made every later PUT
 * .../speakers of that conversation answer 500. Only the events marked here are read.
 */
const fromPut = new WeakSet<object>()

/** Keeps a PUT .../speakers request's events (checked by the route) with the conversation's events. */
export function storeSpeakerEvents(c: Conversation, events: object[]): void {
  for (const e of events) fromPut.add(e)
  pushBounded(c.speakerEvents, events, MAX_SPEAKER_EVENTS)
}

function turnsOf(events: unknown[]): Turn[] {
  const timeline = events
    .filter((e): e is object => typeof e === 'object' && e !== null && fromPut.has(e))
    .map((e, i) => {
      const ev = e as { type: string; user: SpeakerUser }
      return { type: ev.type, user: ev.user, key: userKey(ev.user), at: checkSpeakerEvent(e, `speakerEvents[${i}]`), i }
    })
    .sort((a, b) => a.at - b.at || a.i - b.i)
  const turns: Turn[] = []
  const last = new Map<string, Turn>()
  timeline.forEach((ev, i) => {
    if (ev.type !== 'started_speaking') return
    // A start while that user's turn is still going (a repeated event) adds nothing.
    if ((last.get(ev.key)?.end ?? Number.NEGATIVE_INFINITY) > ev.at) return
    const later = timeline.slice(i + 1)
    const ownStart = later.find((e) => e.key === ev.key && e.type === 'started_speaking')
    const stop = later.find((e) => e.key === ev.key && e.type === 'stopped_speaking')
    const handOver = later.find((e) => e.key !== ev.key && e.type === 'started_speaking' && e.at > ev.at)
    let end = Number.POSITIVE_INFINITY
    if (stop && (!ownStart || stop.at <= ownStart.at || stop.i < ownStart.i)) end = stop.at
    else end = Math.min(handOver?.at ?? end, ownStart?.at ?? end)
    const turn = { user: ev.user, key: ev.key, start: ev.at, end }
    last.set(ev.key, turn)
    turns.push(turn)
  })
  return turns
}

/** Re-attributes the conversation's messages from its stored speaker events. */
export function applySpeakerEvents(store: Store, c: Conversation): void {
  const turns = turnsOf(c.speakerEvents)
  if (turns.length === 0) return
  const hadMessages = new Set(c.messages.map((m) => m.from.id))
  const members = new Map<string, Speaker>()
  const memberOf = (turn: Turn): Speaker => {
    let m = members.get(turn.key)
    if (!m) {
      const { id, name, email, userId } = turn.user
      const address = (email ?? userId)?.toLowerCase()
      // An existing member by id, then by email/userId, then by name; otherwise a new member.
      m =
        c.members.find((x) => id && x.id === id) ??
        c.members.find((x) => address && (x.userId?.toLowerCase() === address || x.email?.toLowerCase() === address)) ??
        c.members.find((x) => name && x.name === name)
      if (!m) {
        m = store.member(c, { name, email, userId: userId ?? email })
        if (id && !c.members.some((x) => x.id === id)) m.id = id
      }
      members.set(turn.key, m)
    }
    return m
  }
  // Up to every turn can overlap every message (1 000 users starting at once; a Map of sums per message
  // made that 10 s for 100 000 messages), so the work per message is kept small:
  // - the turn boundaries cut time into pieces in which the same turns are open; a message inside one
  //   piece (most messages) goes to the first turn (in start order) open over that piece, looked up;
  // - a message across boundaries is swept: the turns started by its end, with per-user sums in a typed
  //   array indexed by the user's number, nothing allocated per message.
  const byStart = [...turns].sort((a, b) => a.start - b.start)
  const keyIndex = new Map<Turn['key'], number>()
  const keyOf = byStart.map((turn) => {
    if (!keyIndex.has(turn.key)) keyIndex.set(turn.key, keyIndex.size)
    return keyIndex.get(turn.key) as number
  })
  const bounds = [...new Set(byStart.flatMap((t) => [t.start, t.end]).filter(Number.isFinite))].sort((x, y) => x - y)
  // firstOpen[j]: the first turn (start order) open over [bounds[j], bounds[j + 1]), or -1.
  const firstOpen = bounds.map((from) => byStart.findIndex((t) => t.start <= from && t.end > from))
  const pieceOf = (at: number): number => {
    let lo = 0
    let hi = bounds.length - 1
    if (hi < 0 || at < (bounds[0] as number)) return -1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((bounds[mid] as number) <= at) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  const sums = new Float64Array(keyIndex.size)
  const stamp = new Float64Array(keyIndex.size)
  const messages = [...c.messages].sort((a, b) => a.startMs - b.startMs)
  let next = 0
  const open: number[] = []
  messages.forEach((message, n) => {
    const start = message.startMs - c.startMs
    const end = message.endMs - c.startMs
    const piece = pieceOf(start)
    if (end <= start || end <= (bounds[piece + 1] ?? Number.POSITIVE_INFINITY)) {
      // Inside one piece: every turn open over it covers the whole message alike.
      const first = piece >= 0 ? (firstOpen[piece] as number) : -1
      if (first >= 0) message.from = memberOf(byStart[first] as Turn)
      return
    }
    while (next < byStart.length && (byStart[next] as Turn).start <= end) open.push(next++)
    // The turns that ended are dropped in place (no array per message), keeping the start order.
    let kept = 0
    const gen = n + 1
    let best = -1
    let bestMs = 0
    for (let j = 0; j < open.length; j++) {
      const i = open[j] as number
      const turn = byStart[i] as Turn
      if (turn.end <= start) continue
      open[kept++] = i
      const ms = Math.min(end, turn.end) - Math.max(start, turn.start)
      if (ms <= 0) continue
      const k = keyOf[i] as number
      if (stamp[k] !== gen) {
        stamp[k] = gen
        sums[k] = 0
      }
      sums[k] += ms
    }
    open.length = kept
    // The user covering most of it; on a tie the one whose turn started first.
    for (let j = 0; j < kept; j++) {
      const i = open[j] as number
      const k = keyOf[i] as number
      if (stamp[k] === gen && (sums[k] as number) > bestMs) {
        best = i
        bestMs = sums[k] as number
      }
    }
    if (best >= 0) message.from = memberOf(byStart[best] as Turn)
  })
  const speaking = new Set(c.messages.map((m) => m.from.id))
  c.members = c.members.filter((m) => speaking.has(m.id) || !hadMessages.has(m.id))
  store.touch(c)
}
