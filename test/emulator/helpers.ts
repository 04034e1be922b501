// Shared helpers for the emulator tests: a token, JSON fetch, WAV synthesis and a WebSocket client
// that records frames.

import WebSocket from 'ws'
import { afterAll, beforeAll } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { TranscriptsFileError } from '../../src/emulator/transcripts-file.js'

export async function token(emu: RunningEmulator, appId = 'app', appSecret = 'secret'): Promise<string> {
  const res = await fetch(`${emu.url}/oauth2/token:generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'application', appId, appSecret }),
  })
  const body = (await res.json()) as { accessToken: string }
  return body.accessToken
}

export async function api(
  emu: RunningEmulator,
  tok: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: {
      ...(tok ? { authorization: `Bearer ${tok}` } : {}),
      ...(body !== undefined && !(body instanceof Uint8Array) && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body:
      body === undefined ? undefined : body instanceof Uint8Array || typeof body === 'string' ? (body as BodyInit) : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

export async function waitJob(emu: RunningEmulator, tok: string, jobId: string): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < 400; i++) {
    const { body } = await api(emu, tok, 'GET', `/v1/job/${jobId}`)
    if (seen.at(-1) !== body.status) seen.push(body.status)
    if (body.status === 'completed' || body.status === 'failed') return seen
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error(`job ${jobId} did not finish: ${seen.join(',')}`)
}

/** 16-bit mono PCM: `parts` of [seconds, amplitude] (amplitude 0 = silence, else a 220 Hz tone). */
export function pcm(sampleRate: number, parts: Array<[number, number]>): Int16Array {
  const total = parts.reduce((s, [sec]) => s + Math.round(sec * sampleRate), 0)
  const out = new Int16Array(total)
  let at = 0
  for (const [sec, amp] of parts) {
    const n = Math.round(sec * sampleRate)
    for (let i = 0; i < n; i++) out[at + i] = Math.round(amp * 32767 * Math.sin((2 * Math.PI * 220 * i) / sampleRate))
    at += n
  }
  return out
}

export { wav } from '../fixtures/wav.js'

export interface Client {
  ws: WebSocket
  frames: any[]
  raw: string[]
  closed: Promise<{ code: number }>
  next(pred: (f: any) => boolean, what?: string): Promise<any>
  send(obj: unknown): void
}

export function connect(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}): Promise<Client> {
  const ws = new WebSocket(url, options.protocols ?? [], options)
  const frames: any[] = []
  const raw: string[] = []
  const waiters: Array<{ pred: (f: any) => boolean; resolve: (f: any) => void }> = []
  ws.on('message', (data, isBinary) => {
    if (isBinary) throw new Error('server sent a binary frame')
    const text = data.toString()
    raw.push(text)
    let frame: any
    try {
      frame = text === '__PONG__' ? text : JSON.parse(text)
    } catch {
      frame = { malformed: text }
    }
    frames.push(frame)
    for (const w of [...waiters])
      if (w.pred(frame)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(frame)
      }
  })
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })))
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        frames,
        raw,
        closed,
        send: (obj) => ws.send(JSON.stringify(obj)),
        next(pred, what = 'frame') {
          const hit = frames.find(pred)
          if (hit) return Promise.resolve(hit)
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error(`timeout waiting for ${what}; got ${JSON.stringify(frames).slice(0, 500)}`)), 5000)
            waiters.push({ pred, resolve: (f) => (clearTimeout(t), res(f)) })
          })
        },
      }),
    )
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`handshake ${res.statusCode}`), { status: res.statusCode })),
    )
    ws.once('error', reject)
  })
}

export const lifecycle = (f: any): string | undefined => (f?.type === 'message' ? f.message?.type : f?.type)

/**
 * One emulator (jobs complete at once) and an app token for the tests of the enclosing `describe`
 * (or file), closed after them: read `shared.emu` and `shared.tok` inside the tests.
 */
export function sharedEmulator(): { emu: RunningEmulator; tok: string } {
  const shared = {} as { emu: RunningEmulator; tok: string }
  beforeAll(async () => {
    shared.emu = await startEmulator({ jobDelayMs: 0 })
    shared.tok = await token(shared.emu)
  })
  afterAll(() => shared.emu.close())
  return shared
}

/** The TranscriptsFileError `read` throws (any other error, or none, fails the test). */
export function transcriptsError(read: () => unknown): TranscriptsFileError {
  try {
    read()
  } catch (e) {
    if (e instanceof TranscriptsFileError) return e
    throw e
  }
  throw new Error('no error thrown')
}
