import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type Lifecycle, LifecycleError, next, TRANSITIONS } from '../../../src/streaming/lifecycle.js'

// One value of each shape the lifecycle can take, named for the table below.
const states: Record<string, Lifecycle> = {
  connecting: { phase: 'connecting' },
  open: { phase: 'open' },
  'reconnecting 1': { phase: 'reconnecting', attempt: 1, stopRequested: false },
  'reconnecting 2': { phase: 'reconnecting', attempt: 2, stopRequested: false },
  'reconnecting 1, stop asked': { phase: 'reconnecting', attempt: 1, stopRequested: true },
  'reconnecting 2, stop asked': { phase: 'reconnecting', attempt: 2, stopRequested: true },
  stopping: { phase: 'stopping', completed: false, recognitionStopped: false },
  'stopping, completed': { phase: 'stopping', completed: true, recognitionStopped: false },
  'stopping, recognition stopped': { phase: 'stopping', completed: false, recognitionStopped: true },
  'stopping, both': { phase: 'stopping', completed: true, recognitionStopped: true },
  closed: { phase: 'closed', stopRequested: false, discarded: false },
  'closed, discarded': { phase: 'closed', stopRequested: false, discarded: true },
  'closed after stop': { phase: 'closed', stopRequested: true, discarded: false },
  'closed after stop, discarded': { phase: 'closed', stopRequested: true, discarded: true },
}

const closedWithoutStop = ['closed', 'closed, discarded']
const closedAfterStop = ['closed after stop', 'closed after stop, discarded']

// Every allowed move between the states above, written out by hand (not derived from TRANSITIONS).
const allowed: Record<string, string[]> = {
  connecting: ['open', 'stopping', ...closedWithoutStop],
  open: ['reconnecting 1', 'stopping', ...closedWithoutStop],
  // The next attempt, a stop asked during this one, back on a new session, or the end.
  'reconnecting 1': ['reconnecting 2', 'reconnecting 1, stop asked', 'open', 'stopping', ...closedWithoutStop],
  'reconnecting 2': ['reconnecting 2, stop asked', 'open', 'stopping', ...closedWithoutStop],
  // A stop once asked is carried out: never back to open, never closed as if no stop was asked.
  'reconnecting 1, stop asked': ['reconnecting 2, stop asked', 'stopping', ...closedAfterStop],
  'reconnecting 2, stop asked': ['stopping', ...closedAfterStop],
  // The server's end messages in either order; a drop before the end reconnects (attempt 1, stop asked).
  stopping: [
    'stopping',
    'stopping, completed',
    'stopping, recognition stopped',
    'stopping, both',
    'reconnecting 1, stop asked',
    ...closedAfterStop,
  ],
  'stopping, completed': ['stopping, completed', 'stopping, both', 'reconnecting 1, stop asked', ...closedAfterStop],
  'stopping, recognition stopped': ['stopping, recognition stopped', 'stopping, both', 'reconnecting 1, stop asked', ...closedAfterStop],
  'stopping, both': ['stopping, both', 'reconnecting 1, stop asked', ...closedAfterStop],
  closed: [],
  'closed, discarded': [],
  'closed after stop': [],
  'closed after stop, discarded': [],
}

const pairs = Object.keys(states).flatMap((from) => Object.keys(states).map((to) => [from, to] as const))

describe('the streaming connection lifecycle', () => {
  it('the hand-written table covers every state and only known states', () => {
    expect(Object.keys(allowed).sort()).toEqual(Object.keys(states).sort())
    for (const targets of Object.values(allowed)) for (const t of targets) expect(states).toHaveProperty([t])
  })

  it.each(pairs.filter(([from, to]) => allowed[from]!.includes(to)))('allows %s → %s', (from, to) => {
    expect(next(states[from]!, states[to]!)).toBe(states[to])
  })

  it.each(pairs.filter(([from, to]) => !allowed[from]!.includes(to)))('refuses %s → %s with a LifecycleError', (from, to) => {
    expect(() => next(states[from]!, states[to]!)).toThrow(LifecycleError)
  })

  it('TRANSITIONS lists, per phase, exactly the phases that some allowed move from that phase reaches', () => {
    const reached: Record<string, Set<string>> = {}
    for (const [from, targets] of Object.entries(allowed)) {
      const set = (reached[states[from]!.phase] ??= new Set())
      for (const t of targets) set.add(states[t]!.phase)
    }
    for (const [phase, set] of Object.entries(reached)) {
      expect([...set].sort(), phase).toEqual([...TRANSITIONS[phase as Lifecycle['phase']]].sort())
    }
    expect(Object.keys(reached).sort()).toEqual(Object.keys(TRANSITIONS).sort())
  })

  it('the connection changes its lifecycle in one place only', () => {
    const source = readFileSync(new URL('../../../src/streaming/connection.ts', import.meta.url), 'utf8')
    expect(source.match(/this\.#life = .*/g)).toEqual(['this.#life = next(this.#life, to)'])
  })
})
