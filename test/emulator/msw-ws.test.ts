// The msw front's WebSocket handlers (`ws.link`) over the same core, in-process: no port is opened.
// Node 20 has no global WebSocket: per toolchain notes §4 the `ws` class is installed as the global
// before `server.listen()`, and msw then patches that global (so `new WebSocket()` below is msw's).

import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmulatorCore } from '../../src/emulator/index.js'
import { createEmulatorHandlers } from '../../src/emulator/msw.js'
import { lifecycle, pcm } from './helpers.js'

const BASE = 'https://api.symbl.test'
const WS = 'wss://api.symbl.test'
const RATE = 16000
const core = new EmulatorCore({ jobDelayMs: 0 })
const server = setupServer(...createEmulatorHandlers(core, { baseUrl: BASE }))
let tok: string

beforeAll(async () => {
  if (typeof globalThis.WebSocket === 'undefined') {
    ;(globalThis as { WebSocket?: unknown }).WebSocket = (await import('ws')).default
  }
  server.listen({ onUnhandledRequest: 'error' })
  const res = await fetch(`${BASE}/oauth2/token:generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'application', appId: 'a', appSecret: 'b' }),
  })
  tok = ((await res.json()) as { accessToken: string }).accessToken
})
afterAll(() => {
  server.close()
  core.dispose()
})

interface MswClient {
  ws: WebSocket
  frames: any[]
  opened: boolean
  closed: Promise<{ code: number; reason: string }>
  next(pred: (f: any) => boolean, what?: string): Promise<any>
  send(obj: unknown): void
}

/** A DOM-style client (the global WebSocket, i.e. msw's override) that records the frames it gets. */
function open(url: string, protocols?: string[]): Promise<MswClient> {
  const ws = new WebSocket(url, protocols)
  const frames: any[] = []
  const waiters: Array<{ pred: (f: any) => boolean; resolve: (f: any) => void }> = []
  const client: MswClient = {
    ws,
    frames,
    opened: false,
    closed: new Promise((resolve) => ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason }))),
    send: (obj) => ws.send(JSON.stringify(obj)),
    next(pred, what = 'frame') {
      const hit = frames.find(pred)
      if (hit) return Promise.resolve(hit)
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout waiting for ${what}; got ${JSON.stringify(frames).slice(0, 600)}`)), 5000)
        waiters.push({ pred, resolve: (f) => (clearTimeout(t), resolve(f)) })
      })
    },
  }
  ws.addEventListener('message', (event) => {
    // The server never sends binary frames (contract 6.8).
    if (typeof event.data !== 'string') throw new Error('binary frame from the emulator')
    let frame: any
    try {
      frame = event.data === '__PONG__' ? event.data : JSON.parse(event.data)
    } catch {
      frame = { malformed: event.data }
    }
    frames.push(frame)
    for (const w of [...waiters]) {
      if (w.pred(frame)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(frame)
      }
    }
  })
  return new Promise((resolve) => {
    ws.addEventListener('open', () => {
      client.opened = true
      resolve(client)
    })
    // Refused handshakes never open: resolve anyway so the test can read the close code.
    void client.closed.then(() => resolve(client))
  })
}

const START = {
  type: 'start_request',
  insightTypes: ['question', 'action_item'],
  config: { sentiment: true, speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: RATE } },
  speaker: { userId: 'jane@example.com', name: 'Jane' },
}

function audioChunks(samples: Int16Array): Array<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)
  const out: Array<Uint8Array<ArrayBuffer>> = []
  for (let i = 0; i < bytes.length; i += 8192) out.push(new Uint8Array(bytes.subarray(i, i + 8192)))
  return out
}

async function rest(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${tok}` } })
  return { status: res.status, body: await res.json() }
}

describe('msw WebSocket handlers', () => {
  it('runs a full streaming lifecycle with preloaded transcript playback, and the REST side sees it', async () => {
    core.preloadTranscript('msw-conn-life', [
      {
        text: 'Can you send me the quarterly report by Friday?',
        speaker: { name: 'Jane', userId: 'jane@example.com' },
        start: 0.2,
        end: 1.0,
      },
      { text: 'Sure, I will send it tomorrow.', speaker: { name: 'Mark', userId: 'mark@example.com' }, start: 1.2, end: 1.8 },
    ])
    const c = await open(`${WS}/v1/realtime/insights/msw-conn-life?access_token=${tok}`)
    expect(c.opened).toBe(true)
    c.send(START)
    await c.next((f) => lifecycle(f) === 'recognition_started', 'recognition_started')
    expect(c.frames.slice(0, 3).map(lifecycle)).toEqual(['conversation_created', 'started_listening', 'recognition_started'])
    const conversationId = c.frames[0].message.data.conversationId
    expect(c.frames[2].message.data.conversationId).toBe(conversationId)

    c.ws.send('__PING__')
    await c.next((f) => f === '__PONG__', '__PONG__')

    // 1.5 s of audio: the first line (ends at 1.0) is final, the second (1.2-1.8) only interim.
    const chunks = audioChunks(pcm(RATE, [[1.5, 0.2]]))
    for (const chunk of chunks) c.ws.send(chunk)
    const first = await c.next((f) => lifecycle(f) === 'recognition_result' && f.message.isFinal, 'final result')
    expect(first.message.payload.raw.alternatives[0].transcript).toBe('Can you send me the quarterly report by Friday?')
    expect(first.message.user).toMatchObject({ name: 'Jane', userId: 'jane@example.com' })
    const insight = await c.next((f) => f.type === 'insight_response', 'insight_response')
    expect(insight.insights[0]).toMatchObject({
      type: 'action_item',
      payload: { content: 'Can you send me the quarterly report by Friday?' },
    })
    const interim = await c.next(
      (f) => lifecycle(f) === 'recognition_result' && !f.message.isFinal && f.message.punctuated.transcript.startsWith('Sure'),
      'interim of line 2',
    )
    expect(interim.message.punctuated.transcript).toBe('Sure, I will')

    // The rest of the audio as a Blob (async to read in the handler), then stop at once: frame order holds.
    c.ws.send(new Blob([new Uint8Array(new Int16Array(pcm(RATE, [[0.5, 0.2]])).buffer)]))
    c.send({ type: 'stop_request' })
    expect((await c.closed).code).toBe(1000)
    const names = c.frames.map(lifecycle)
    expect(names.slice(-2)).toEqual(['conversation_completed', 'recognition_stopped'])
    const messages = c.frames.filter((f) => f.type === 'message_response').map((f) => f.messages[0].payload.content)
    expect(messages).toEqual(['Can you send me the quarterly report by Friday?', 'Sure, I will send it tomorrow.'])
    const done = c.frames.find((f) => lifecycle(f) === 'conversation_completed')
    expect(done.message).toMatchObject({ conversationId, data: { conversationId } })

    const stored = await rest(`/v1/conversations/${conversationId}/messages`)
    expect(stored.body.messages.map((m: any) => m.text)).toEqual(messages)
    expect(stored.body.messages[1].timeOffset).toBeCloseTo(1.2, 5)
  })

  it('takes the token as the offered subprotocol and echoes it, on both streaming paths', async () => {
    for (const path of ['/v1/streaming/msw-conn-proto', '/v1/realtime/insights/msw-conn-proto2']) {
      const c = await open(`${WS}${path}`, [tok])
      expect(c.opened, path).toBe(true)
      expect(c.ws.protocol).toBe(tok)
      c.send(START)
      await c.next((f) => lifecycle(f) === 'recognition_started')
      c.send({ type: 'stop_request' })
      expect((await c.closed).code).toBe(1000)
    }
  })

  it('refuses handshakes as 4000 + status: no token (4401), unknown path (4404), injected fault (4503)', async () => {
    const unknown = await open(`${WS}/v1/nowhere/x?access_token=${tok}`)
    expect(unknown.opened).toBe(false)
    expect((await unknown.closed).code).toBe(4404)
    const noCall = await open(`${WS}/events/no-such-call?access_token=${tok}`)
    expect((await noCall.closed).code).toBe(4404)
    const noToken = await open(`${WS}/v1/streaming/msw-conn-noauth`)
    expect(noToken.opened).toBe(false)
    expect((await noToken.closed).code).toBe(4401)
    const badToken = await open(`${WS}/v1/streaming/msw-conn-noauth`, ['not-a-token'])
    expect((await badToken.closed).code).toBe(4401)

    core.faults.refuseHandshakes(1, 503)
    const refused = await open(`${WS}/v1/streaming/msw-conn-refused?access_token=${tok}`)
    expect(refused.opened).toBe(false)
    const closed = await refused.closed
    expect(closed.code).toBe(4503)
    expect(closed.reason).toMatch(/refused/)
    // The fault was one-shot.
    const ok = await open(`${WS}/v1/streaming/msw-conn-refused?access_token=${tok}`)
    expect(ok.opened).toBe(true)
    ok.ws.close()
  })

  it('sends malformed frames when asked, reports bad input in the wrapped form, and keeps the socket open', async () => {
    core.faults.sendMalformedFrames(2, '/v1/streaming/:id')
    const c = await open(`${WS}/v1/streaming/msw-conn-malformed?access_token=${tok}`)
    c.send(START)
    await c.next((f) => lifecycle(f) === 'recognition_started')
    expect(c.frames[0].malformed).toBeDefined()
    expect(c.frames[1].malformed).toBeDefined()
    expect(lifecycle(c.frames[2])).toBe('recognition_started')

    c.ws.send('{"type":')
    const err = await c.next((f) => lifecycle(f) === 'error', 'error')
    expect(err.message).toMatchObject({ type: 'error', message: 'Invalid JSON' })
    c.send({ type: 'dance' })
    await c.next((f) => lifecycle(f) === 'error' && /dance/.test(f.message.details), 'unknown type error')
    c.send({ type: 'modify_request', speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 1 } })
    await c.next((f) => lifecycle(f) === 'error' && /out of range/.test(f.message.details), 'range error')
    c.ws.send('__PING__')
    await c.next((f) => f === '__PONG__')
    c.send({ type: 'stop_request' })
    expect((await c.closed).code).toBe(1000)
  })

  it('drops a socket after N bytes (1006) and a reconnect to the same id continues the conversation', async () => {
    core.faults.dropSocketAfterBytes(4000, { path: '/v1/streaming/:id' })
    const a = await open(`${WS}/v1/streaming/msw-conn-drop?access_token=${tok}`)
    a.send(START)
    const created = await a.next((f) => lifecycle(f) === 'conversation_created')
    for (const chunk of audioChunks(pcm(RATE, [[0.5, 0]]))) a.ws.send(chunk)
    expect((await a.closed).code).toBe(1006)
    const b = await open(`${WS}/v1/streaming/msw-conn-drop?access_token=${tok}`)
    b.send(START)
    const again = await b.next((f) => lifecycle(f) === 'conversation_created')
    expect(again.message.data.conversationId).toBe(created.message.data.conversationId)
    b.send({ type: 'stop_request' })
    expect((await b.closed).code).toBe(1000)
  })

  it('relays a stream to /v1/subscribe subscribers through msw, with pong and a clean close', async () => {
    core.preloadTranscript('msw-conn-sub', [{ text: 'Let us review the budget.', start: 0, end: 0.3 }])
    const sub = await open(`${WS}/v1/subscribe/msw-conn-sub?access_token=${tok}`)
    sub.ws.send('__PING__')
    await sub.next((f) => f === '__PONG__')
    const c = await open(`${WS}/v1/streaming/msw-conn-sub`, [tok])
    c.send(START)
    for (const chunk of audioChunks(pcm(RATE, [[0.5, 0.2]]))) c.ws.send(chunk)
    const msg = await sub.next((f) => f.type === 'message_response')
    expect(msg.messages[0].payload.content).toBe('Let us review the budget.')
    c.send({ type: 'stop_request' })
    await sub.next((f) => lifecycle(f) === 'conversation_completed')
    expect((await sub.closed).code).toBe(1000)
    expect((await c.closed).code).toBe(1000)
  })

  it('serves the telephony subscribe socket through msw', async () => {
    core.preloadTranscript('15550001111', [
      { text: 'Hello, I will email the invoice today.', speaker: { name: 'Ann' }, start: 0, end: 0.02 },
    ])
    const res = await fetch(`${BASE}/v1/endpoint:connect`, {
      method: 'POST',
      headers: { 'x-api-key': tok, 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'start', endpoint: { type: 'pstn', phoneNumber: '15550001111' } }),
    })
    expect(res.status).toBe(201)
    const { connectionId, resultWebSocketUrl } = (await res.json()) as { connectionId: string; resultWebSocketUrl: string }
    expect(resultWebSocketUrl).toBe(`${WS}/events/${connectionId}`)
    const sub = await open(`${WS}/session/subscribe/${connectionId}`, [tok])
    expect(sub.opened).toBe(true)
    const msg = await sub.next((f) => f.type === 'message_response')
    expect(msg.messages[0].payload.content).toBe('Hello, I will email the invoice today.')
    const events = await open(resultWebSocketUrl, [tok])
    events.send({ topic: 'speaker', type: 'started_speaking', user: { name: 'Ann' } })
    events.ws.send('__PING__')
    await events.next((f) => f === '__PONG__')
    await fetch(`${BASE}/v1/endpoint:connect`, {
      method: 'POST',
      headers: { 'x-api-key': tok, 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'stop', connectionId }),
    })
    expect((await sub.closed).code).toBe(1000)
    expect(core.telephony.calls.get(connectionId)!.speakerEvents).toHaveLength(1)
    events.ws.close()
  })
})
