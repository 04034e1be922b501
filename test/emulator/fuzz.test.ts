// "Bad input never crashes it": a bounded, seeded fuzz run over real sockets. Random and mutated
// requests at every REST route (raw HTTP/1.1 written by hand, so paths, headers and bodies can be
// anything, including truncated uploads), and random frames at the streaming, subscribe and events
// sockets. Every answer must be contract-shaped, nothing may escape as an uncaught exception or
// unhandled rejection, the store stays within its bound, and a normal client works afterwards.

import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, lifecycle, pcm, token, wav } from './helpers.js'

const SEED = 0x5eed_2024
const MAX_JSON = 16 * 1024
const MAX_UPLOAD = 64 * 1024
const MAX_CONVERSATIONS = 25
const MAX_STREAMS = 8

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Gen {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.int(256)
    return out
  }
  text(max: number): string {
    const alphabet = [
      'a',
      'Z',
      '0',
      ' ',
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      'é',
      'ß',
      '中',
      '文',
      '🎙',
      '\u0000',
      '\u200b',
      '\ud800',
      '\n',
      '%',
      '/',
      '.',
    ]
    let s = ''
    const n = this.int(max)
    for (let i = 0; i < n; i++) s += this.pick(alphabet)
    return s
  }
}

// ---- raw HTTP/1.1 ----

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const eol = body.indexOf('\r\n', at)
    if (eol < 0) break
    const size = parseInt(body.subarray(at, eol).toString(), 16)
    if (!size) break
    parts.push(body.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/**
 * Sends one request on a fresh connection (`Connection: close`) and reads the answer. `abortAfter`:
 * write only that many body bytes, then destroy the socket (a client giving up mid-upload).
 */
function rawRequest(port: number, head: string, body: Uint8Array, abortAfter?: number): Promise<RawAnswer | 'aborted' | 'reset'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    const received: Buffer[] = []
    let settled = false
    const done = (v: RawAnswer | 'aborted' | 'reset'): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(v)
    }
    const timer = setTimeout(() => {
      socket.destroy()
      done({ status: -1, headers: {}, body: `timeout: ${head.split('\r\n')[0]}` })
    }, 5000)
    socket.on('error', () => undefined)
    socket.on('connect', () => {
      socket.write(head)
      if (abortAfter !== undefined) {
        socket.write(body.subarray(0, abortAfter), () => {
          socket.destroy()
          done('aborted')
        })
        return
      }
      if (body.length) socket.write(body)
    })
    socket.on('data', (d: Buffer) => received.push(d))
    socket.on('close', () => {
      const all = Buffer.concat(received)
      const split = all.indexOf('\r\n\r\n')
      if (split < 0) return done('reset')
      const lines = all.subarray(0, split).toString('latin1').split('\r\n')
      const status = Number(lines[0].split(' ')[1])
      const headers: Record<string, string> = {}
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':')
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
      }
      let rest: Buffer = all.subarray(split + 4)
      if (headers['transfer-encoding'] === 'chunked') rest = decodeChunked(rest)
      done({ status, headers, body: rest.toString('utf8') })
    })
  })
}

// ---- what the fuzzer throws ----

const ROUTES: Array<[string, string]> = [
  ['POST', '/oauth2/token:generate'],
  ['POST', '/oauth2/token:refresh'],
  ['DELETE', '/oauth2/token:revoke'],
  ['POST', '/v1/process/audio'],
  ['PUT', '/v1/process/audio/{cid}'],
  ['POST', '/v1/process/video'],
  ['PUT', '/v1/process/video/{cid}'],
  ['POST', '/v1/process/audio/url'],
  ['PUT', '/v1/process/audio/url/{cid}'],
  ['POST', '/v1/process/video/url'],
  ['PUT', '/v1/process/video/url/{cid}'],
  ['POST', '/v1/process/text'],
  ['PUT', '/v1/process/text/{cid}'],
  ['GET', '/v1/job/{jid}'],
  ['GET', '/v1/conversations'],
  ['GET', '/v1/conversations/{cid}'],
  ['PUT', '/v1/conversations/{cid}'],
  ['DELETE', '/v1/conversations/{cid}'],
  ...[
    'messages',
    'members',
    'questions',
    'action-items',
    'follow-ups',
    'insights',
    'topics',
    'entities',
    'trackers-detected',
    'trackers',
    'analytics',
    'summary',
    'callscore',
    'callscore/status',
    'lm-insights/status',
  ].map((p): [string, string] => ['GET', `/v1/conversations/{cid}/${p}`]),
  ['PUT', '/v1/conversations/{cid}/members/{mid}'],
  ['PUT', '/v1/conversations/{cid}/speakers'],
  ['POST', '/v1/conversations/{cid}/transcript'],
  ['POST', '/v1/conversations/{cid}/experiences'],
  ['GET', '/v1/conversations/experiences/insights/list'],
  ['GET', '/v1/conversations/experiences/insights/details/{cid}'],
  ['GET', '/insights/list'],
  ['GET', '/insights/details/{cid}'],
  ['GET', '/meeting/{cid}'],
  ['POST', '/v1/endpoint:connect'],
  ['POST', '/v1/event/{call}'],
]

const MESSAGES = [
  {
    payload: { content: 'Hello Mark. Can you send me the contract by Friday?' },
    from: { userId: 'jane@example.com', name: 'Jane' },
    duration: { startTime: '2024-05-06T10:00:00.000Z', endTime: '2024-05-06T10:00:04.000Z' },
  },
  { payload: { content: 'Sure, I will send it tomorrow.' }, from: { userId: 'mark@example.com', name: 'Mark' } },
]

/** A valid body per route, which the fuzzer then mutates. */
function validBody(path: string, ids: Ids): Record<string, unknown> {
  if (path.startsWith('/oauth2')) return { type: 'application', appId: 'fuzz', appSecret: 'secret', refreshToken: 'r' }
  if (path.includes('/url'))
    return {
      url: 'https://example.com/a.mp3',
      name: 'n',
      confidenceThreshold: 0.6,
      detectEntities: 'true',
      trackers: [{ name: 'T', vocabulary: ['send'] }],
    }
  if (path.includes('/process/text'))
    return {
      messages: MESSAGES,
      detectPhrases: 'True',
      confidenceThreshold: '0.7',
      enableSpeakerDiarization: 'false',
      diarizationSpeakerCount: '2',
      customVocabulary: '[a,b]',
      metadata: { a: 1 },
      features: { featureList: ['insights'] },
    }
  if (path.endsWith('/members/{mid}')) return { id: ids.member, name: 'Jane', email: 'jane@example.com' }
  if (path.endsWith('/speakers'))
    return { speakerEvents: [{ type: 'started_speaking', user: { id: 'u', name: 'D' }, offset: { seconds: 0, nanos: 500000000 } }] }
  if (path.endsWith('/transcript'))
    return {
      contentType: 'text/markdown',
      createParagraphs: 'true',
      phrases: { highlightAllKeyPhrases: true },
      showSpeakerSeparation: 'false',
    }
  if (path.endsWith('/experiences')) return { name: 'video-summary', videoUrl: 'https://example.com/v.mp4' }
  if (path === '/v1/endpoint:connect')
    return {
      operation: 'start',
      endpoint: { type: 'pstn', phoneNumber: '14085551234' },
      languages: [{ code: 'en-US' }],
      actions: [{ invokeOn: 'stop', name: 'sendSummaryEmail' }],
      timezone: 'UTC',
      data: { session: { name: 's' } },
    }
  if (path.startsWith('/v1/event')) return { topic: 'speaker', type: 'started_speaking', user: { name: 'D' } }
  return { metadata: { label: 'x' } }
}

interface Ids {
  conversation: string
  job: string
  member: string
  call: string
}

function deep(depth: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = { a: v }
  return v
}

function weirdValue(g: Gen): unknown {
  return g.pick<() => unknown>([
    () => null,
    () => 'true',
    () => 'False',
    () => '1',
    () => '0.5',
    () => 'NaN',
    () => 'Infinity',
    () => -1,
    () => 1e308,
    () => 0,
    () => true,
    () => [],
    () => [1, 'a', null],
    () => ({}),
    () => '[a,b]',
    () => '{"featureList":["x"]}',
    () => g.text(40),
    () => 'x'.repeat(g.int(MAX_JSON / 2)),
    () => deep(50 + g.int(400)),
    // Deep enough that a stored copy could not be serialised again (metadata once poisoned every list answer).
    () => deep(2500 + g.int(500)),
    () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
    () => '../oauth2',
    () => 'http://127.0.0.1:1/a.wav',
    () => 'file:///etc/passwd',
  ])()
}

function mutate(g: Gen, value: unknown, depth = 0): unknown {
  if (depth > 3 || !g.chance(0.8)) return g.chance(0.5) ? value : weirdValue(g)
  if (Array.isArray(value)) {
    const copy = value.map((v) => (g.chance(0.3) ? mutate(g, v, depth + 1) : v))
    if (g.chance(0.2)) copy.push(weirdValue(g))
    return g.chance(0.1) ? [] : copy
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
    for (const k of Object.keys(copy)) {
      const roll = g.next()
      if (roll < 0.15) delete copy[k]
      else if (roll < 0.35) copy[k] = weirdValue(g)
      else if (roll < 0.5) copy[k] = mutate(g, copy[k], depth + 1)
      else if (roll < 0.6) copy[k] = typeof copy[k] === 'boolean' || typeof copy[k] === 'number' ? String(copy[k]) : copy[k]
    }
    if (g.chance(0.2)) copy[g.pick(['extra', 'type', 'operation', 'connectionId', 'url', '__proto__'])] = weirdValue(g)
    return copy
  }
  return weirdValue(g)
}

function idFor(g: Gen, real: string): string {
  if (g.chance(0.6)) return real
  return g.pick([
    '1234567890123456',
    '..',
    '..%2Foauth2',
    '..%2F..%2Foauth2%2Ftoken:generate',
    '%E0%A4%A',
    '%',
    '%00',
    encodeURIComponent('中文🎙'),
    'x'.repeat(2000),
    '00000000-0000-0000-0000-000000000000',
    "'%20OR%201=1",
  ])
}

function pathFor(g: Gen, template: string, ids: Ids): string {
  let path = template
    .replace('{cid}', idFor(g, ids.conversation))
    .replace('{jid}', idFor(g, ids.job))
    .replace('{mid}', idFor(g, ids.member))
    .replace('{call}', idFor(g, ids.call))
  const roll = g.next()
  if (roll < 0.05) path = `${path}/`
  else if (roll < 0.1) path = `/v1/../${path.slice(1)}`
  else if (roll < 0.13) path = path.replace('/v1/', '/v1//')
  else if (roll < 0.16) path = `http://[bad${path}`
  else if (roll < 0.19) path = `${path}/../../oauth2/token:generate`
  if (g.chance(0.4)) {
    const q = g.pick([
      'verbose=true',
      'sentiment=yes',
      'refresh=1',
      'limit=-5',
      'limit=abc',
      'offset=1e9',
      'order=sideways',
      'sort=x',
      'filter=name==a,b',
      'filter=%E0%A4%A',
      'startTime=yesterday',
      'name=x&name=y',
      'enableSpeakerDiarization=true',
      'diarizationSpeakerCount=0',
      'trackers=%5B%7B%7D%5D',
      'features=%7B',
      'includeCallScore=maybe',
      'confidenceThreshold=2',
    ])
    path += `?${q}`
  }
  return path
}

function authHeaders(g: Gen, tok: string): string[] {
  if (g.chance(0.5)) return [g.chance(0.7) ? `Authorization: Bearer ${tok}` : `x-api-key: ${tok}`]
  return g.pick<() => string[]>([
    () => [`Authorization: Bearer ${tok}`],
    () => [`Authorization: Bearer ${tok}`],
    () => [`x-api-key: ${tok}`],
    () => [],
    () => ['Authorization: Bearer'],
    () => ['Authorization: Bearer '],
    () => [`Authorization: bearer    ${tok}   `],
    () => [`Authorization: Basic ${Buffer.from('a:b').toString('base64')}`],
    () => [`Authorization: ${tok}`],
    () => [`Authorization: Bearer ${tok}x`],
    () => [`Authorization: Bearer ${tok.split('.').slice(0, 2).join('.')}`],
    () => ['x-api-key: '],
    () => [`x-api-key: ${tok}`, 'Authorization: Bearer garbage'],
    () => [`Authorization: Bearer ${tok}`, `Authorization: Bearer ${tok}`],
    () => ['Authorization: Bearer \u00e9\u00e9'],
  ])()
}

const ALLOWED = new Set([200, 201, 204, 400, 401, 404, 405, 413, 429])

function checkAnswer(a: RawAnswer, method: string, what: string): void {
  expect(ALLOWED.has(a.status), `${what} -> ${a.status} ${a.body.slice(0, 300)}`).toBe(true)
  if (method === 'HEAD' || a.status === 204) return
  const type = a.headers['content-type'] ?? ''
  if (type.startsWith('text/html')) {
    expect(a.status === 200 || a.status === 404, what).toBe(true)
    return
  }
  expect(type, what).toBe('application/json')
  let body: unknown
  expect(() => (body = JSON.parse(a.body)), `${what}: ${a.body.slice(0, 200)}`).not.toThrow()
  if (a.status >= 400) {
    expect(typeof (body as { message?: unknown }).message, `${what}: ${a.body.slice(0, 200)}`).toBe('string')
    if (a.status === 401)
      expect(['Token validation failed for provided token.', 'Invalid appId or appSecret.'], what).toContain(
        (body as { message: string }).message,
      )
    if (a.status === 429) expect((body as { statusCode?: number }).statusCode, what).toBe(429)
  }
}

let emu: RunningEmulator
let tok: string
let ids: Ids
const escaped: unknown[] = []
const onUncaught = (e: unknown): void => void escaped.push(e)

beforeAll(async () => {
  process.on('uncaughtException', onUncaught)
  process.on('unhandledRejection', onUncaught)
  emu = await startEmulator({
    jobDelayMs: 1,
    maxJsonBytes: MAX_JSON,
    maxUploadBytes: MAX_UPLOAD,
    maxConversations: MAX_CONVERSATIONS,
    maxStreamingConnections: MAX_STREAMS,
    maxConcurrentJobs: 40,
  })
  tok = await token(emu)
  const text = await api(emu, tok, 'POST', '/v1/process/text', { messages: MESSAGES })
  await emu.core.idle()
  const members = await api(emu, tok, 'GET', `/v1/conversations/${text.body.conversationId}/members`)
  const call = await api(emu, tok, 'POST', '/v1/endpoint:connect', validBody('/v1/endpoint:connect', {} as Ids))
  ids = { conversation: text.body.conversationId, job: text.body.jobId, member: members.body.members[0].id, call: call.body.connectionId }
})

afterAll(async () => {
  await emu.close()
  process.off('uncaughtException', onUncaught)
  process.off('unhandledRejection', onUncaught)
})

async function stillServes(): Promise<void> {
  const fresh = await token(emu, 'after-fuzz', 'secret')
  const r = await api(emu, fresh, 'POST', '/v1/process/text', { messages: MESSAGES })
  expect(r.status).toBe(201)
  await emu.core.idle()
  expect((await api(emu, fresh, 'GET', `/v1/job/${r.body.jobId}`)).body.status).toBe('completed')
  expect((await api(emu, fresh, 'GET', `/v1/conversations/${r.body.conversationId}/messages`)).body.messages).toHaveLength(2)
}

describe('emulator fuzz (seeded, bounded)', () => {
  it('answers every random or mutated REST request with a contract-shaped status and body', async () => {
    const lanes = 4
    const perLane = 250
    const wavFile = wav(
      pcm(8000, [
        [0.2, 0],
        [0.3, 0.3],
        [0.2, 0],
      ]),
      8000,
    )
    const run = async (lane: number): Promise<void> => {
      const g = new Gen(rng(SEED + lane))
      const laneIds = { ...ids }
      for (let i = 0; i < perLane; i++) {
        const [routeMethod, template] = g.pick(ROUTES)
        const method = g.chance(0.85) ? routeMethod : g.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'])
        const path = pathFor(g, template, laneIds)
        const headers = ['Host: 127.0.0.1', 'Connection: close', ...authHeaders(g, tok)]
        let body: Uint8Array = new Uint8Array(0)
        let abortAfter: number | undefined
        const upload = /\/process\/(audio|video)(\/[^u][^/]*)?$/.test(template)
        const kind = g.int(12)
        if (upload && kind < 6) {
          body = g.pick([
            () => wavFile,
            () => g.bytes(g.int(4096)),
            () => new Uint8Array(0),
            () => Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVEfmt '), g.bytes(g.int(200))]),
            () => g.bytes(MAX_UPLOAD + 1),
          ])()
          headers.push(`Content-Type: ${g.pick(['audio/wav', 'audio/mpeg', 'video/mp4', 'application/octet-stream', 'text/plain'])}`)
        } else if (kind < 7) {
          body = Buffer.from(
            g.pick([
              '{not json',
              '',
              ' ',
              'null',
              '[]',
              '"s"',
              '12',
              '{"a":',
              '\u00ff\u00fe',
              '{"messages":[{"payload":{"content":"\\ud800"}}]}',
              '['.repeat(5000) + ']'.repeat(5000),
            ]),
          )
        } else if (kind < 8) {
          body = Buffer.from(JSON.stringify({ big: 'x'.repeat(MAX_JSON + 10) }))
        } else if (kind < 9) {
          body = g.bytes(g.int(2048))
        } else {
          const valid = validBody(template, laneIds)
          body = Buffer.from(JSON.stringify(g.chance(0.3) ? valid : mutate(g, valid)))
          if (body.length > MAX_JSON) body = body.subarray(0, MAX_JSON)
        }
        if (body.length && g.chance(0.5)) headers.push('Content-Type: application/json')
        const framing = g.int(12)
        let wire: Uint8Array = body
        if (framing < 9) headers.push(`Content-Length: ${body.length}`)
        else if (framing < 11) {
          headers.push('Transfer-Encoding: chunked')
          wire = body.length
            ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')])
            : Buffer.from('0\r\n\r\n')
        } else {
          // Truncated upload: the client announces more than it sends, then goes away.
          headers.push(`Content-Length: ${body.length + 1000}`)
          abortAfter = Math.floor(body.length / 2)
        }
        const head = `${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`
        const what = `lane ${lane} #${i}: ${method} ${path.slice(0, 120)} [${headers.slice(2).join('; ').slice(0, 80)}] body ${body.length}B`
        const answer = await rawRequest(emu.port, head, wire, abortAfter)
        if (answer === 'aborted') continue
        // The server may refuse a request line it cannot parse (400 from node's parser, no JSON).
        if (answer === 'reset') continue
        if (answer.status === 400 && !answer.headers['content-type']) continue
        checkAnswer(answer, method, what)
        // Follow what the fuzzer creates, so later requests also hit existing conversations and jobs.
        if (answer.status === 201) {
          const created = JSON.parse(answer.body) as { conversationId?: string; jobId?: string }
          if (created.conversationId) laneIds.conversation = created.conversationId
          if (created.jobId) laneIds.job = created.jobId
        }
      }
    }
    await Promise.all(Array.from({ length: lanes }, (_, lane) => run(lane)))
    expect(escaped).toEqual([])
    await stillServes()
    expect(emu.core.store.conversations.size).toBeLessThanOrEqual(MAX_CONVERSATIONS)
    expect(escaped).toEqual([])
  })

  it('survives random frames, bad handshakes and rapid connect/disconnect on every socket', async () => {
    const g = new Gen(rng(SEED ^ 0xabcdef))
    const socketPath = (): string =>
      g.pick([
        () => `/v1/streaming/fz-${g.int(6)}`,
        () => `/v1/realtime/insights/fz-${g.int(6)}`,
        () => `/v1/subscribe/fz-${g.int(6)}`,
        () => `/session/subscribe/${ids.call}`,
        () => `/events/${ids.call}`,
        () => `/events/${g.pick(['nope', '%E0%A4%A'])}`,
        () => `/v1/streaming/${g.pick(['%E0%A4%A', '%', '..%2F..', encodeURIComponent('中文'), 'x'.repeat(1500)])}`,
        () => '/v1/streaming/',
        () => '/v1/nowhere/x',
      ])()
    const auth = (): { query: string; options: WebSocket.ClientOptions; protocols: string[] } =>
      g.pick([
        () => ({ query: `?access_token=${tok}`, options: {}, protocols: [] }),
        () => ({ query: '', options: { headers: { 'x-api-key': tok } }, protocols: [] }),
        () => ({ query: '', options: { headers: { authorization: `Bearer ${tok}` } }, protocols: [] }),
        () => ({ query: '', options: {}, protocols: [tok] }),
        () => ({ query: '', options: {}, protocols: ['other', tok] }),
        () => ({ query: `?access_token=${tok}`, options: {}, protocols: ['chat', 'x'] }),
        () => ({ query: '', options: {}, protocols: [] }),
        () => ({ query: '?access_token=garbage', options: {}, protocols: [] }),
        () => ({ query: '', options: { headers: { authorization: 'Bearer' } }, protocols: ['bad'] }),
      ])()
    const startRequest = (): unknown =>
      mutate(g, {
        type: 'start_request',
        insightTypes: ['question', 'action_item'],
        config: {
          confidenceThreshold: 0.5,
          sentiment: 'true',
          detectEntities: true,
          trackers: { interimResults: true, enableAllTrackers: 'true' },
          speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 },
        },
        trackers: [{ name: 'T', vocabulary: ['send'] }],
        speaker: { userId: 'a@b.c', name: 'A' },
        disconnectOnStopRequest: g.chance(0.3) ? false : undefined,
        noConnectionTimeout: g.pick([0, 1, 1800, 99999, -1, 'x']),
        disconnectOnStopRequestTimeout: g.pick([0, 1, 1800, 99999]),
      })
    const frame = (): string | Uint8Array =>
      g.pick<() => string | Uint8Array>([
        () => g.bytes(g.int(4096)),
        () => new Int8Array(pcm(16000, [[0.1, g.pick([0, 0.4])]]).buffer) as unknown as Uint8Array,
        () => g.text(60),
        () => g.pick(['null', '[]', '1', '"s"', '{}', '{"type":5}', '{"type":"nope"}', '__PING__', '__PONG__', '{']),
        () => JSON.stringify(startRequest()),
        () => JSON.stringify({ type: 'start_request' }),
        () =>
          JSON.stringify({
            type: 'modify_request',
            speechRecognition: {
              encoding: g.pick(['LINEAR16', 'MULAW', 'FLAC', 'OPUS', 'MP3', 5]),
              sampleRateHertz: g.pick([-1, 0, 1, 8000, 16000, 1e12, 'abc', '44100', null]),
            },
          }),
        () => JSON.stringify({ type: 'modify_request', sampleRateHertz: 1e308 }),
        () => JSON.stringify({ type: 'stop_request' }),
        () => JSON.stringify({ type: 'stop_request' }),
        () => JSON.stringify({ type: 'started_speaking', user: { name: 'x' } }),
      ])()

    const handshakeStatuses = new Set<number>()
    const sessions: Array<Promise<void>> = []
    for (let i = 0; i < 60; i++) {
      const a = auth()
      const url = `${emu.wsUrl}${socketPath()}${a.query}`
      const rapid = g.chance(0.2)
      const frames = Array.from({ length: 1 + g.int(10) }, frame)
      const endWith = g.pick(['close', 'terminate', 'wait'])
      sessions.push(
        new Promise<void>((resolve) => {
          const ws = new WebSocket(url, a.protocols, a.options)
          const timer = setTimeout(() => ws.terminate(), 400)
          ws.on('unexpected-response', (_req, res) => {
            handshakeStatuses.add(res.statusCode ?? 0)
            res.resume()
            ws.terminate()
          })
          ws.on('error', () => undefined)
          ws.on('message', (data, isBinary) => {
            expect(isBinary, 'the server never sends binary frames').toBe(false)
            const text = data.toString()
            if (text === '__PONG__') return
            const parsed = JSON.parse(text) as { type?: unknown; message?: { type?: unknown } }
            expect(typeof parsed.type).toBe('string')
            if (parsed.type === 'message') expect(typeof parsed.message?.type).toBe('string')
          })
          ws.on('close', (code) => {
            clearTimeout(timer)
            expect([1000, 1005, 1006, 1009]).toContain(code)
            resolve()
          })
          if (rapid) {
            setImmediate(() => ws.terminate())
            return
          }
          ws.on('open', () => {
            for (const f of frames) if (ws.readyState === ws.OPEN) ws.send(f)
            if (endWith === 'close') ws.close()
            else if (endWith === 'terminate') setTimeout(() => ws.terminate(), g.int(20))
          })
        }),
      )
      if (i % 6 === 5) await Promise.all(sessions.splice(0))
    }
    await Promise.all(sessions)
    for (const status of handshakeStatuses) expect([400, 401, 404, 429], `handshake ${status}`).toContain(status)
    expect(escaped).toEqual([])

    // Everything is released: no socket counted as open, live streams within their bound.
    for (let i = 0; i < 100 && emu.core.openSockets > 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(emu.core.openSockets).toBe(0)
    expect(emu.core.liveStreams.size).toBeLessThanOrEqual(MAX_STREAMS)
    expect(emu.core.store.conversations.size).toBeLessThanOrEqual(MAX_CONVERSATIONS)

    // A normal streaming session still runs its lifecycle.
    const c = await connect(`${emu.wsUrl}/v1/streaming/after-fuzz?access_token=${tok}`)
    c.send({ type: 'start_request', config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 } } })
    await c.next((f) => lifecycle(f) === 'recognition_started')
    c.send({ type: 'stop_request' })
    expect((await c.closed).code).toBe(1000)
    expect(c.frames.map(lifecycle)).toEqual([
      'conversation_created',
      'started_listening',
      'recognition_started',
      'conversation_completed',
      'recognition_stopped',
    ])
    await stillServes()
    expect(escaped).toEqual([])
  })
})
