// Analytics from message times (contract 4.12). Conversation span = first start to last end.
// total_talk_time = union of all speech intervals; total_silence = span - talk (their percents are
// computed in thousandths so they add up to exactly 100); total_overlap = time where two or more
// speakers talk at once, its percent relative to talk time (as in the contract's example).
// Per member: talkTime/listenTime are shares of the total talk time and add up to 100; pace = words
// per minute of the member's own talk time. Unrecognised audio segments count as talk (they are
// real speech), but have no words, so they do not change pace.

import { round } from '../time.js'
import type { Speaker, StoredMessage } from '../types.js'
import { wordCount } from './sentences.js'

type Interval = [number, number]

function union(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  const out: Interval[] = []
  for (const [a, b] of sorted) {
    const last = out.at(-1)
    if (last && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

const total = (intervals: Interval[]): number => intervals.reduce((s, [a, b]) => s + (b - a), 0)

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0])
    const hi = Math.min(a[i][1], b[j][1])
    if (hi > lo) out.push([lo, hi])
    if (a[i][1] < b[j][1]) i++
    else j++
  }
  return out
}

/** Two percentages of a whole, rounded to 3 decimals, that sum to exactly 100. */
function split100(part: number, whole: number): [number, number] {
  if (whole <= 0) return [0, 100]
  const thousandths = Math.round((part / whole) * 100_000)
  return [thousandths / 1000, (100_000 - thousandths) / 1000]
}

export interface Analytics {
  metrics: Array<{ type: string; percent: number; seconds: number }>
  members: Array<Record<string, unknown>>
}

export function computeAnalytics(messages: StoredMessage[], members: Speaker[]): Analytics {
  if (!messages.length) {
    return {
      metrics: [
        { type: 'total_silence', percent: 0, seconds: 0 },
        { type: 'total_talk_time', percent: 0, seconds: 0 },
        { type: 'total_overlap', percent: 0, seconds: 0 },
      ],
      members: [],
    }
  }
  // Linear passes (no spread of every message into Math.max, no array copied per message) and
  // pairwise member overlaps only between members whose talk ranges overlap: many messages or
  // speakers must not make one analysis quadratic.
  let first = Infinity
  let last = -Infinity
  const perMember = new Map<string, Interval[]>()
  const words = new Map<string, number>()
  for (const m of messages) {
    first = Math.min(first, m.startMs)
    last = Math.max(last, m.endMs)
    const list = perMember.get(m.from.id)
    if (list) list.push([m.startMs, m.endMs])
    else perMember.set(m.from.id, [[m.startMs, m.endMs]])
    if (!m.unrecognised) words.set(m.from.id, (words.get(m.from.id) ?? 0) + wordCount(m.text))
  }
  const span = last - first
  const unions = new Map([...perMember].map(([id, iv]) => [id, union(iv)]))
  const talk = union(messages.map((m) => [m.startMs, m.endMs] as Interval))
  const talkMs = total(talk)
  const ids = [...unions.keys()].filter((id) => unions.get(id)!.length)
  const byStart = [...ids].sort((a, b) => unions.get(a)![0][0] - unions.get(b)![0][0])
  const pairs = new Map<string, Map<string, Interval[]>>(ids.map((id) => [id, new Map()]))
  for (let i = 0; i < byStart.length; i++) {
    const a = unions.get(byStart[i])!
    const end = a[a.length - 1][1]
    for (let j = i + 1; j < byStart.length && unions.get(byStart[j])![0][0] < end; j++) {
      const both = intersect(a, unions.get(byStart[j])!)
      if (!both.length) continue
      pairs.get(byStart[i])!.set(byStart[j], both)
      pairs.get(byStart[j])!.set(byStart[i], both)
    }
  }
  const overlaps = [...pairs.values()].flatMap((m) => [...m.values()].flat())
  const overlapMs = total(union(overlaps))
  const [talkPct, silencePct] = split100(talkMs, span)
  const sec = (ms: number): number => round(ms / 1000, 3)
  const out: Analytics = {
    metrics: [
      { type: 'total_silence', percent: silencePct, seconds: sec(span - talkMs) },
      { type: 'total_talk_time', percent: talkPct, seconds: sec(talkMs) },
      { type: 'total_overlap', percent: talkMs > 0 ? round((overlapMs / talkMs) * 100, 3) : 0, seconds: sec(overlapMs) },
    ],
    members: [],
  }
  const byId = new Map(members.map((m) => [m.id, m]))
  for (const member of members) {
    const mine = unions.get(member.id)
    if (!mine) continue
    const myMs = total(mine)
    const [talkShare, listenShare] = split100(myMs, talkMs)
    const others = [...(pairs.get(member.id) ?? new Map<string, Interval[]>())]
    const overlapping = others.map(([id, iv]) => ({ id, ms: total(iv) })).filter((o) => o.ms > 0)
    const myOverlapMs = total(union(others.flatMap(([, iv]) => iv)))
    out.members.push({
      id: member.id,
      name: member.name,
      ...(member.userId ? { userId: member.userId } : {}),
      pace: { wpm: myMs > 0 ? Math.round((words.get(member.id) ?? 0) / (myMs / 60_000)) : 0 },
      talkTime: { percentage: talkShare, seconds: sec(myMs) },
      listenTime: { percentage: listenShare, seconds: sec(talkMs - myMs) },
      overlap: {
        overlapDuration: sec(myOverlapMs),
        overlappingMembers: overlapping.map((o) => {
          const other = byId.get(o.id)
          return {
            id: o.id,
            name: other?.name,
            ...(other?.userId ? { userId: other.userId } : {}),
            percent: round((o.ms / myMs) * 100, 3),
            seconds: sec(o.ms),
          }
        }),
      },
    })
  }
  return out
}
