// The same protocol through msw. msw intercepts only a global WebSocket (toolchain notes §4), so
// this installs `ws` as the global before msw patches it and hands the SDK a constructor that
// looks the global up: the browser code path (token as the subprotocol), not `ws` directly.
import { http, HttpResponse, ws } from 'msw'
import { setupServer } from 'msw/node'
import WS from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Conversation } from '../../../src/conversations/conversation.js'
import { Symbl } from '../../../src/node.js'
import type { WebSocketConstructor } from '../../../src/platform.js'

const BASE = 'https://api.symbl.test'
const streaming = ws.link('wss://api.symbl.test/v1/realtime/insights/*')
const subscribe = ws.link('wss://api.symbl.test/session/subscribe/*')
const server = setupServer()
const previous = (globalThis as { WebSocket?: unknown }).WebSocket

beforeAll(() => {
  ;(globalThis as { WebSocket?: unknown }).WebSocket ??= WS
  server.listen({ onUnhandledRequest: 'error' })
})
afterAll(() => {
  server.close()
  ;(globalThis as { WebSocket?: unknown }).WebSocket = previous
})

// A function, not an arrow: the SDK calls it with `new`.
// biome-ignore lint/complexity/useArrowFunction: arrow functions cannot be constructed
const GlobalWebSocket = function (url: string, protocols?: string | string[]) {
  return new (globalThis as unknown as { WebSocket: WebSocketConstructor }).WebSocket(url, protocols)
} as unknown as WebSocketConstructor

function symbl() {
  return new Symbl({ baseUrl: BASE, accessToken: 'msw-token', WebSocket: GlobalWebSocket, retry: { baseDelayMs: 1 } })
}

interface Seen {
  urls: string[]
  protocols: unknown[]
  texts: Array<Record<string, unknown>>
  audio: number
}

/** A scripted streaming server as msw handlers; `dropFirst` closes the first socket with 1011 after some audio. */
function streamingHandler(seen: Seen, dropFirst = false) {
  let sockets = 0
  return streaming.addEventListener('connection', ({ client, info }) => {
    const n = ++sockets
    seen.urls.push(client.url.toString())
    seen.protocols.push(info.protocols)
    let audio = 0
    client.addEventListener('message', (event) => {
      const data = event.data
      if (typeof data !== 'string') {
        const size = (data as ArrayBuffer).byteLength ?? (data as Blob).size
        audio += size
        seen.audio += size
        if (dropFirst && n === 1 && audio >= 16_000) client.close(1011, 'restart')
        return
      }
      if (data === '__PING__') return client.send('__PONG__')
      const message = JSON.parse(data) as Record<string, unknown>
      seen.texts.push(message)
      if (message.type === 'start_request') {
        client.send(
          JSON.stringify({ type: 'message', message: { type: 'recognition_started', data: { conversationId: '6055920324345856' } } }),
        )
        client.send(
          JSON.stringify({ type: 'message', message: { type: 'recognition_result', isFinal: true, punctuated: { transcript: 'Hi.' } } }),
        )
      }
      if (message.type === 'stop_request') {
        client.send(
          JSON.stringify({ type: 'message', message: { type: 'conversation_completed', data: { conversationId: '6055920324345856' } } }),
        )
        client.send(JSON.stringify({ type: 'message', message: { type: 'recognition_stopped' } }))
        client.close(1000)
      }
    })
  })
}

describe('streaming through msw (global WebSocket)', () => {
  it('runs the whole lifecycle with the token as the subprotocol', async () => {
    const seen: Seen = { urls: [], protocols: [], texts: [], audio: 0 }
    server.use(streamingHandler(seen))
    const connection = await symbl().streaming.startConnection({ id: 'msw-connection-1' })
    expect(connection.conversationId).toBe('6055920324345856')
    const captions: string[] = []
    connection.on('message', (f) => f.message.type === 'recognition_result' && captions.push(f.message.punctuated!.transcript!))
    await connection.sendAudio(new Uint8Array(20_000))
    const conversation = await connection.stop()
    expect(conversation).toBeInstanceOf(Conversation)
    expect(seen.urls).toEqual(['wss://api.symbl.test/v1/realtime/insights/msw-connection-1'])
    expect(seen.protocols).toEqual([['msw-token']])
    expect(seen.texts.map((t) => t.type)).toEqual(['start_request', 'stop_request'])
    expect(seen.audio).toBe(20_000)
    expect(captions).toEqual(['Hi.'])
  })

  it('reconnects after a 1011 close and delivers all the audio', async () => {
    const seen: Seen = { urls: [], protocols: [], texts: [], audio: 0 }
    server.use(streamingHandler(seen, true))
    const connection = await symbl().streaming.startConnection({ reconnect: { initialDelayMs: 1 }, keepAlive: false, resendTailMs: 0 })
    const reconnected = new Promise((r) => connection.once('reconnected', r))
    for (let i = 0; i < 10; i++) await connection.sendAudio(new Uint8Array(3200))
    await reconnected
    await connection.stop()
    expect(seen.urls).toHaveLength(2)
    expect(seen.texts.map((t) => t.type)).toEqual(['start_request', 'start_request', 'stop_request'])
    expect(seen.audio).toBeGreaterThanOrEqual(32_000)
  })
})

describe('telephony through msw', () => {
  it('starts a call over REST and receives live events over the subscribe socket', async () => {
    const bodies: unknown[] = []
    server.use(
      http.post(`${BASE}/v1/endpoint:connect`, async ({ request }) => {
        bodies.push(await request.json())
        return HttpResponse.json(
          {
            connectionId: 'c0ffee00-0000-4000-8000-000000000001',
            conversationId: '42',
            eventUrl: `${BASE}/v1/event/c0ffee00-0000-4000-8000-000000000001`,
          },
          { status: 201 },
        )
      }),
      subscribe.addEventListener('connection', ({ client }) => {
        client.send(JSON.stringify({ type: 'transcript_response', isFinal: true, payload: { content: 'hello' } }))
      }),
    )
    const connection = await symbl().telephony.startPstn({ phoneNumber: '14082924837', languages: ['en-US'] })
    expect(bodies).toEqual([
      { operation: 'start', endpoint: { type: 'pstn', phoneNumber: '14082924837' }, actions: [], languages: ['en-US'] },
    ])
    const transcript = await new Promise<string>((resolve) => connection.on('transcript_response', (f) => resolve(f.payload.content)))
    expect(transcript).toBe('hello')
    server.use(
      http.post(`${BASE}/v1/endpoint:connect`, () => HttpResponse.json({ connectionId: connection.connectionId, summaryInfo: [] })),
    )
    await connection.stop()
  })
})
