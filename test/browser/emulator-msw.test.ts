// The emulator's msw front (src/emulator/msw.ts) in real Chromium, Firefox and WebKit: the same EmulatorCore
// as the Node server, running in the page, behind msw's service worker (`setupWorker` from
// 'msw/browser'; global-setup.ts writes mockServiceWorker.js into the browser project's publicDir).
// The SDK's browser entry talks to a host that does not exist (api.symbl.test): every REST call is
// answered by the worker from the in-page core, and the streaming socket is the browser's native
// WebSocket as msw's interceptor patches it (`ws.link`). Faults are armed on the shared core.
import { setupWorker } from 'msw/browser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { server } from 'vitest/browser'
import { Symbl, type MessageResponseFrame } from '../../src/browser.js'
// Both from the msw entry (symbl-sdk/emulator/msw): symbl-sdk/emulator also holds the Node server.
import { createEmulatorHandlers, EmulatorCore } from '../../src/emulator/msw.js'

const BASE = 'https://api.symbl.test'
const WS = 'wss://api.symbl.test'
const browser = server.browser
const POLL = { pollInterval: { initialMs: 20, maxMs: 50 } }

const core = new EmulatorCore({ jobDelayMs: 10 })
const worker = setupWorker(...createEmulatorHandlers(core, { baseUrl: BASE, wsUrl: WS }))
/**
 * Every answer the handlers gave for the emulated host: `status method path`, as the core gave it to
 * them. Not msw's `response:mocked` event: its worker posts the response body to the page as a
 * transferred ReadableStream, which WebKit cannot transfer (DataCloneError, WebKit bug 215485), so in
 * Safari the event never fires although the response is served.
 */
const seen: string[] = []
const handle = core.handle.bind(core)
core.handle = async (request) => {
  const answer = await handle(request)
  seen.push(`${answer.status} ${request.method} ${request.url.pathname}`)
  return answer
}

beforeAll(async () => {
  // quiet: no console line per intercepted request; bypass: vitest's own module requests pass through.
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' })
})
afterAll(async () => {
  worker.stop()
  core.dispose()
  // The next test files of this browser session load in the same origin: leave no worker registered.
  for (const registration of await navigator.serviceWorker.getRegistrations()) {
    if (registration.active?.scriptURL.endsWith('/mockServiceWorker.js')) await registration.unregister()
  }
})

/** A token straight from the intercepted token endpoint, as an app's server would get one. */
async function token(): Promise<{ accessToken: string; expiresIn: number }> {
  const res = await fetch(`${BASE}/oauth2/token:generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'application', appId: 'browser-msw', appSecret: 'browser-msw-secret' }),
  })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as { accessToken: string; expiresIn: number }
}

const client = () => new Symbl({ baseUrl: BASE, tokenProvider: token, retry: { limit: 2, baseDelayMs: 20 } })

const MESSAGES = [
  {
    payload: { content: 'Hello Mark, this is great news. What do you think about the new contract?' },
    from: { userId: 'jane@example.com', name: 'Jane' },
    duration: { startTime: '2024-05-06T10:00:00.000Z', endTime: '2024-05-06T10:00:05.000Z' },
  },
  {
    payload: { content: 'Sure, I will send the signed contract to you tomorrow.' },
    from: { userId: 'mark@example.com', name: 'Mark' },
    duration: { startTime: '2024-05-06T10:00:06.000Z', endTime: '2024-05-06T10:00:09.000Z' },
  },
  {
    payload: { content: 'Terrible, the pricing section is wrong and I am very unhappy about it.' },
    from: { userId: 'jane@example.com', name: 'Jane' },
    duration: { startTime: '2024-05-06T10:00:10.000Z', endTime: '2024-05-06T10:00:14.000Z' },
  },
]

describe(`emulator msw handlers in ${browser}`, () => {
  it('is served by the service worker, not the network', async () => {
    expect(navigator.serviceWorker.controller?.scriptURL).toMatch(/\/mockServiceWorker\.js$/)
    const res = await fetch(`${BASE}/v1/job/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${(await token()).accessToken}` },
    })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ message: 'The jobId is either invalid or does not exist.' })
  })

  it('processes text and reads real analysis results', async () => {
    const symbl = client()
    const conversation = await symbl.text.process({ name: 'Contract call', messages: MESSAGES }, POLL)
    expect(conversation.conversationId).toMatch(/^\d+$/)
    expect(core.store.conversations.has(conversation.conversationId)).toBe(true)
    const [messages, questions, analytics] = await Promise.all([
      conversation.getMessages({ sentiment: true }),
      conversation.getQuestions(),
      conversation.getAnalytics(),
    ])
    expect(messages.messages.map((m) => m.from?.name)).toEqual(['Jane', 'Mark', 'Jane'])
    expect(messages.messages[1]).toMatchObject({ timeOffset: 6, duration: 3 })
    // The sentiment package, loaded in the browser: real polarity, not a placeholder.
    expect(messages.messages[0].sentiment!.polarity.score).toBeGreaterThan(0)
    expect(messages.messages[2].sentiment!.polarity.score).toBeLessThan(0)
    expect(questions.questions.map((q) => q.text)).toEqual(['What do you think about the new contract?'])
    expect(analytics.members.map((m) => m.name).sort()).toEqual(['Jane', 'Mark'])
    expect(analytics.metrics.find((m) => m.type === 'total_talk_time')?.seconds).toBeCloseTo(12, 0)
    expect(seen).toContain('201 POST /v1/process/text')
  })

  it('survives a fault armed on the shared core through the SDK retry', async () => {
    const symbl = client()
    core.faults.failNext({ method: 'GET', path: '/v1/job/:id', status: 503 })
    const from = seen.length
    const conversation = await symbl.text.process({ messages: MESSAGES.slice(0, 1) }, POLL)
    const { messages } = await conversation.getMessages()
    expect(messages.map((m) => m.text)).toEqual([MESSAGES[0].payload.content])
    // The first poll of the job got the 503 (the rule is then spent), and the same GET was repeated.
    const polls = seen.slice(from).filter((s) => / GET \/v1\/job\//.test(s))
    expect(polls[0]).toMatch(/^503 /)
    expect(polls.slice(1).length).toBeGreaterThan(0)
    expect(polls.slice(1).every((s) => s.startsWith('200 ') && s.slice(4) === polls[0].slice(4))).toBe(true)
  })

  it('streams through the native WebSocket as msw patches it, with a preloaded transcript', async () => {
    const symbl = client()
    const id = `msw-${browser}-${Math.random().toString(36).slice(2, 8)}`
    core.preloadTranscript(id, [
      {
        text: 'Can you send me the quarterly report by Friday?',
        speaker: { name: 'Jane', userId: 'jane@example.com' },
        start: 0.1,
        end: 0.5,
      },
    ])
    const c = await symbl.streaming.startConnection({ id, speaker: { userId: 'jane@example.com', name: 'Jane' } })
    const responses: MessageResponseFrame[] = []
    c.on('message_response', (frame) => responses.push(frame))
    expect(c.conversationId).toMatch(/^\d+$/)
    // 1 s of 16 kHz LINEAR16 (silence), in 100 ms chunks.
    for (let i = 0; i < 10; i++) await c.sendAudio(new Int16Array(1600))
    const conversation = await c.stop()
    expect(c.state).toBe('closed')
    expect(responses.flatMap((f) => f.messages.map((m) => m.payload.content))).toEqual(['Can you send me the quarterly report by Friday?'])
    const { messages } = await conversation.getMessages()
    expect(messages.map((m) => m.text)).toEqual(['Can you send me the quarterly report by Friday?'])
  })

  it('holds a delayed handshake (faults.delayHandshakes): the socket stays CONNECTING, then the SDK connects', async () => {
    const held = new WebSocket(`${WS}/v1/streaming/held-${browser}?access_token=${(await token()).accessToken}`)
    core.faults.delayHandshakes(400, { path: '/v1/realtime/insights/:id' })
    const started = performance.now()
    const connecting = client().streaming.startConnection({ id: `delayed-${browser}-${Math.random().toString(36).slice(2, 8)}` })
    // Another path is not held: this socket opens while the SDK's still waits.
    await new Promise((resolve) => held.addEventListener('open', resolve))
    held.close()
    const c = await connecting
    expect(performance.now() - started).toBeGreaterThanOrEqual(395)
    expect(c.state).toBe('open')
    await c.stop()
    expect(c.state).toBe('closed')
  })

  it('refuses a handshake as it does in Node: never open, closed with 4000 + status', async () => {
    const socket = new WebSocket(`${WS}/v1/streaming/refused-${browser}?access_token=not-a-token`)
    let opened = false
    socket.addEventListener('open', () => (opened = true))
    const closed = await new Promise<CloseEvent>((resolve) => socket.addEventListener('close', resolve))
    expect(opened).toBe(false)
    expect(closed.code).toBe(4401)
  })
})
