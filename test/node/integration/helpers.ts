// Shared by the integration suite: the real SDK (Node entry, real token flow through
// /oauth2/token:generate) against the local emulator on real sockets.
import { afterAll, beforeAll } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js'
import type { CoreRequest } from '../../../src/emulator/core/http.js'
import { Symbl, type NodeSymblOptions } from '../../../src/node.js'

/** Short job phases so the suite stays fast; polling tuned to match. */
export const JOB_DELAY_MS = 15
export const fast = { pollInterval: { initialMs: 5, maxMs: 20 } } as const

export interface Env {
  emu: RunningEmulator
  symbl: Symbl
  /** Every REST request the emulator received (method and path), in order. */
  requests: Array<{ method: string; path: string }>
  client(extra?: Partial<NodeSymblOptions>): Symbl
}

/**
 * Starts one emulator for the file (port 0) and a client for it. Requests are recorded by wrapping
 * the core's `handle`, which the node:http front calls for every REST request.
 */
export function useEmulator(options: Parameters<typeof startEmulator>[0] = {}): Env {
  const env = { requests: [] } as unknown as Env
  beforeAll(async () => {
    const emu = await startEmulator({ port: 0, jobDelayMs: JOB_DELAY_MS, ...options })
    const handle = emu.core.handle.bind(emu.core)
    emu.core.handle = (request: CoreRequest) => {
      env.requests.push({ method: request.method, path: request.url.pathname })
      return handle(request)
    }
    env.emu = emu
    env.client = (extra = {}) => new Symbl({ baseUrl: emu.url, appId: 'x', appSecret: 'y', retry: { baseDelayMs: 1 }, ...extra })
    env.symbl = env.client()
  })
  afterAll(async () => {
    await env.emu?.close()
  })
  return env
}

/** Requests seen since `mark` (an index into `requests`) that match. */
export function seenSince(env: Env, mark: number, method: string, path: RegExp): number {
  return env.requests.slice(mark).filter((r) => r.method === method && path.test(r.path)).length
}

/**
 * 16 kHz mono 16-bit PCM with speech-like energy: bursts of a 180 Hz tone with a syllable-rate
 * (4 Hz) envelope, separated by near-silence. `bursts` are [start, end] in seconds.
 */
export function speechPcm(seconds: number, bursts: Array<[number, number]>, sampleRate = 16000): Int16Array {
  const out = new Int16Array(Math.round(seconds * sampleRate))
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate
    const inBurst = bursts.some(([a, b]) => t >= a && t < b)
    const envelope = inBurst ? 0.35 + 0.25 * Math.abs(Math.sin(2 * Math.PI * 4 * t)) : 0
    const noise = ((i * 2654435761) % 1000) / 1000 - 0.5 // tiny deterministic hiss
    out[i] = Math.round(32767 * (envelope * Math.sin(2 * Math.PI * 180 * t) + noise * 0.0005))
  }
  return out
}

import { wav } from '../../emulator/helpers.js'
export { wav }

/** Two bursts of speech in 3 s: segments near 0.3–1.3 s and 1.9–2.7 s. */
export const TWO_BURSTS: Array<[number, number]> = [
  [0.3, 1.3],
  [1.9, 2.7],
]
export const twoBurstWav = (): Uint8Array<ArrayBuffer> => wav(speechPcm(3, TWO_BURSTS))

/** A minimal ISO-BMFF header (`ftyp` box, then an empty `mdat`), which is all the emulator checks for mp4. */
export function mp4Bytes(extra = 2048): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(32 + extra)
  const v = new DataView(out.buffer)
  const str = (at: number, s: string): void => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)))
  v.setUint32(0, 24)
  str(4, 'ftyp')
  str(8, 'isom')
  v.setUint32(12, 0x200)
  str(16, 'isom')
  str(20, 'mp41')
  v.setUint32(24, 8 + extra)
  str(28, 'mdat')
  return out
}

/** A written two-speaker conversation with a question, an action item, a follow-up and named entities. */
export const ANA = { name: 'Ana Lopez', userId: 'ana@example.com' }
export const BEN = { name: 'Ben Carter', userId: 'ben@example.com' }
export const QUESTION = 'What is the budget for the marketing campaign?'
export const TEXT_LINES: Array<[typeof ANA, string]> = [
  [ANA, 'Good morning Ben, thanks for joining the planning call about the marketing campaign.'],
  [BEN, 'Happy to be here, I love how the campaign is shaping up.'],
  [ANA, QUESTION],
  [BEN, 'The budget is fifty thousand dollars for the whole quarter.'],
  [ANA, 'Can you send me the campaign report by Friday?'],
  [BEN, 'I will call you back next week to schedule a meeting with the design team.'],
  [ANA, 'That is terrible news about the delayed launch, I am really disappointed.'],
]

export function textMessages(lines = TEXT_LINES, startMs = Date.parse('2024-03-04T10:00:00Z')) {
  let at = startMs
  return lines.map(([from, content]) => {
    const words = content.split(/\s+/).length
    const startTime = new Date(at).toISOString()
    at += words * 400
    const endTime = new Date(at).toISOString()
    at += 500
    return { payload: { content }, from, duration: { startTime, endTime } }
  })
}

/** Resolves when `predicate` holds, polling every few ms (fails the test after `ms`). */
export async function until(predicate: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
