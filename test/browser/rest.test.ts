// The browser paths of the REST and streaming APIs in real Chromium and Firefox, against the local
// emulator that global-setup.ts starts in Node: uploads through XMLHttpRequest (progress, File,
// Blob, ArrayBuffer, ReadableStream), text jobs and every Conversation read the demo makes, errors
// as a browser sees them, the refused-token recovery through a token endpoint made with
// createTokenHandler, and streaming (a refused handshake is only close 1006 in a browser).
import { wav } from '../fixtures/wav.js'
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { server } from 'vitest/browser'
import { Symbl, speakerSentiment, type StreamingConnection, type UploadProgress, type WebSocketConstructor } from '../../src/browser.js'
import { AuthError, ConfigError, ConnectionError, NetworkError, NotFoundError, ValidationError } from '../../src/errors.js'
import type { TokenRequestLog } from './global-setup.js'

const { url: emulatorUrl, tokenUrl: tokenBase, controlUrl, closedUrl } = inject('symblEmulator')
// chromium, firefox or webkit: the instance's name (each browser has an app of its own in global-setup.ts).
const browser = server.browser
const UNRECOGNISED = '[unrecognised speech]'
const POLL = { pollInterval: { initialMs: 20, maxMs: 50 } }
const connections: StreamingConnection[] = []

afterEach(() => {
  for (const c of connections.splice(0)) if (c.state !== 'closed') c.close()
})

let clients = 0
/** A Symbl client whose token requests are tagged (in the token endpoint's log) with a name of its own. */
function client(options: { baseUrl?: string; fetch?: typeof fetch } = {}): { symbl: Symbl; tag: string } {
  const tag = `${browser}-${++clients}-${Math.random().toString(36).slice(2, 8)}`
  const tokenUrl = `${tokenBase}?client=${tag}`
  const symbl = new Symbl({
    baseUrl: options.baseUrl ?? emulatorUrl,
    fetch: options.fetch,
    tokenProvider: ({ rejectedToken }) =>
      fetch(tokenUrl, { headers: rejectedToken ? { 'x-symbl-rejected-token': rejectedToken } : {} }).then((r) => r.json()),
  })
  return { symbl, tag }
}

async function control(path: string, method = 'POST'): Promise<unknown> {
  const res = await fetch(controlUrl + path, { method })
  expect(res.status, `control ${path}`).toBe(200)
  return res.json()
}

const tokenRequests = (tag: string) => control(`token-requests?client=${tag}`, 'GET') as Promise<TokenRequestLog[]>

/**
 * A 16 kHz mono 16-bit WAV: 0.5 s silence, a 1 s burst, 1 s silence, a 0.8 s burst, 0.7 s silence
 * (4 s). A burst is speech-like: a 140 Hz voice with harmonics under a 4 Hz syllable envelope.
 */
function speechWav(): Uint8Array<ArrayBuffer> {
  const rate = 16000
  const parts: Array<[number, boolean]> = [
    [0.5, false],
    [1, true],
    [1, false],
    [0.8, true],
    [0.7, false],
  ]
  const total = parts.reduce((n, [s]) => n + Math.round(s * rate), 0)
  const samples = new Int16Array(total)
  let at = 0
  for (const [seconds, loud] of parts) {
    const n = Math.round(seconds * rate)
    for (let i = 0; i < n; i++) {
      const t = i / rate
      const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)
      const voice =
        (Math.sin(2 * Math.PI * 140 * t) + 0.5 * Math.sin(2 * Math.PI * 280 * t) + 0.25 * Math.sin(2 * Math.PI * 420 * t)) / 1.75
      samples[at + i] = loud ? Math.round(0.3 * 32767 * envelope * voice) : 0
    }
    at += n
  }
  return wav(samples, rate)
}

const WAV = speechWav()

/** Two unrecognised-speech messages at the bursts' times (0.5 s for 1 s, 2.5 s for 0.8 s). */
function expectBursts(messages: Array<{ text: string; timeOffset?: number; duration?: number }>): void {
  expect(messages.map((m) => m.text)).toEqual([UNRECOGNISED, UNRECOGNISED])
  expect(messages[0].timeOffset).toBeCloseTo(0.5, 1)
  expect(messages[0].duration).toBeCloseTo(1, 1)
  expect(messages[1].timeOffset).toBeCloseTo(2.5, 1)
  expect(messages[1].duration).toBeCloseTo(0.8, 1)
}

/** The test WAV as a stream, in pieces, as a stream from a reader would come. */
function wavStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < WAV.byteLength; at += 16384) controller.enqueue(WAV.slice(at, at + 16384))
      controller.close()
    },
  })
}

/** Uploads each source, checks that progress reached the whole file and that the transcript is right. */
async function uploadEach(symbl: Symbl, sources: Array<[string, Blob | ArrayBuffer | ReadableStream<Uint8Array>]>): Promise<void> {
  for (const [what, source] of sources) {
    const progress: UploadProgress[] = []
    const conversation = await symbl.audio.processFile(source, {
      ...POLL,
      contentType: 'audio/wav',
      onUploadProgress: (p) => progress.push(p),
    })
    expect(progress.at(-1), what).toEqual({ sentBytes: WAV.byteLength, totalBytes: WAV.byteLength, fraction: 1 })
    expectBursts((await conversation.getMessages()).messages)
  }
}

describe(`Async API uploads in ${browser}`, () => {
  it('uploads a File through XMLHttpRequest with progress to 1, waits for the job and reads the messages', async () => {
    const { symbl } = client()
    const file = new File([WAV], 'bursts.wav', { type: 'audio/wav' })
    const progress: UploadProgress[] = []
    const statuses: string[] = []
    const conversation = await symbl.audio.processFile(file, {
      ...POLL,
      onUploadProgress: (p) => progress.push(p),
      onStatus: (s) => statuses.push(s),
    })
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)).toEqual({ sentBytes: WAV.byteLength, totalBytes: WAV.byteLength, fraction: 1 })
    for (const p of progress) expect(p.totalBytes).toBe(WAV.byteLength)
    // Never backwards.
    expect(progress.map((p) => p.sentBytes)).toEqual([...progress.map((p) => p.sentBytes)].sort((a, b) => a - b))
    expect(statuses.at(-1)).toBe('completed')
    expect(await conversation.getJobStatus()).toBe('completed')
    expectBursts((await conversation.getMessages()).messages)
  })

  it('uploads a Blob, an ArrayBuffer and a ReadableStream', async () => {
    const { symbl } = client()
    const sources: Array<[string, Blob | ArrayBuffer | ReadableStream<Uint8Array>]> = [
      ['Blob', new Blob([WAV], { type: 'audio/wav' })],
      ['ArrayBuffer', WAV.slice().buffer],
      // Collected into a Blob first (a browser cannot stream a request body), so its size is known.
      ['ReadableStream', wavStream()],
    ]
    await uploadEach(symbl, sources)
  })
})

describe(`Async API uploads through an injected fetch in ${browser}`, () => {
  it("sends a File, an ArrayBuffer and a ReadableStream through the app's fetch, never XMLHttpRequest, progress to 1", async () => {
    const seen: Array<{ method?: string; url: string; body: string }> = []
    const appFetch: typeof fetch = (input, init) => {
      seen.push({ method: init?.method, url: String(input), body: Object.prototype.toString.call(init?.body) })
      return fetch(input, init)
    }
    const xhr = vi.spyOn(XMLHttpRequest.prototype, 'open')
    const { symbl } = client({ fetch: appFetch })
    const sources: Array<[string, File | ArrayBuffer | ReadableStream<Uint8Array>]> = [
      ['File', new File([WAV], 'bursts.wav', { type: 'audio/wav' })],
      ['ArrayBuffer', WAV.slice().buffer],
      ['ReadableStream', wavStream()],
    ]
    await uploadEach(symbl, sources)
    const uploads = seen.filter((call) => call.method === 'POST' && call.url.includes('/v1/process/audio'))
    expect(uploads).toHaveLength(3)
    // Whole bodies: a browser cannot stream a request body over HTTP/1.1.
    for (const call of uploads) expect(['[object Blob]', '[object File]', '[object Uint8Array]']).toContain(call.body)
    expect(xhr).not.toHaveBeenCalled()
    xhr.mockRestore()
  })
})

describe(`Text and Conversation APIs in ${browser}`, () => {
  it('processes text and makes every read of the demo', async () => {
    const { symbl } = client()
    const conversation = await symbl.text.process(
      {
        name: 'Contract call',
        messages: [
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
          {
            payload: { content: 'We need to review the pricing of the contract and fix the renewal terms.' },
            from: { userId: 'mark@example.com', name: 'Mark' },
            duration: { startTime: '2024-05-06T10:00:15.000Z', endTime: '2024-05-06T10:00:19.000Z' },
          },
        ],
      },
      { ...POLL, parameters: { detectPhrases: true, enableSummary: true } },
    )
    expect(conversation.conversationId).toMatch(/^\d+$/)
    const [messages, questions, actionItems, followUps, topics, entities, trackers, analytics, summary] = await Promise.all([
      conversation.getMessages({ sentiment: true }),
      conversation.getQuestions(),
      conversation.getActionItems(),
      conversation.getFollowUps(),
      conversation.getTopics(),
      conversation.getEntities(),
      conversation.getTrackers(),
      conversation.getAnalytics(),
      conversation.getSummary(),
    ])
    expect(messages.messages.map((m) => m.from?.name)).toEqual(['Jane', 'Mark', 'Jane', 'Mark'])
    expect(messages.messages[1]).toMatchObject({ timeOffset: 6, duration: 3 })
    for (const m of messages.messages) expect(typeof m.sentiment?.polarity.score).toBe('number')
    expect(messages.messages[0].sentiment!.polarity.score).toBeGreaterThan(0)
    expect(messages.messages[2].sentiment!.polarity.score).toBeLessThan(0)
    expect(questions.questions.map((q) => q.text)).toEqual(['What do you think about the new contract?'])
    expect(actionItems.actionItems.length).toBeGreaterThan(0)
    expect(actionItems.actionItems[0].assignee?.name).toBe('Mark')
    expect(Array.isArray(followUps.followUps)).toBe(true)
    expect(topics.topics.map((t) => t.text.toLowerCase()).join(' ')).toContain('contract')
    expect(Array.isArray(entities.entities)).toBe(true)
    expect(Array.isArray(trackers)).toBe(true)
    expect(analytics.members.map((m) => m.name).sort()).toEqual(['Jane', 'Mark'])
    for (const m of analytics.members) expect(m.talkTime?.seconds).toBeGreaterThan(0)
    expect(analytics.metrics.find((m) => m.type === 'total_talk_time')?.seconds).toBeCloseTo(16, 0)
    expect(summary.summary.length).toBeGreaterThan(0)
    expect(typeof summary.summary[0].text).toBe('string')

    const series = speakerSentiment(messages)
    expect(series.map((s) => s.speaker)).toEqual(['Jane', 'Mark'])
    expect(series[0].points.map((p) => p.time)).toEqual([0, 10])
    expect(series[1].points.map((p) => p.time)).toEqual([6, 15])
    expect(series[0].points[0].polarity).toBe(messages.messages[0].sentiment!.polarity.score)
    expect(() => speakerSentiment(messages.messages.map(({ sentiment: _, ...m }) => m))).toThrow(ValidationError)
  })
})

describe(`errors in ${browser}`, () => {
  it('maps a 404 to NotFoundError', async () => {
    const { symbl } = client()
    const error = await symbl.conversations.getMessages('1234567890123456').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect((error as NotFoundError).status).toBe(404)
    expect((error as NotFoundError).message).toMatch(/Check the id/)
  })

  it('refuses a file of unknown type without contentType before sending anything', async () => {
    const { symbl, tag } = client()
    const error = await symbl.audio.processFile(new Blob([WAV]), POLL).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(/contentType/)
    expect(await tokenRequests(tag)).toEqual([])
  })

  it('reports an unreachable server as a NetworkError that says what to check', async () => {
    const { symbl } = client({ baseUrl: closedUrl })
    const rest = await new Symbl({ baseUrl: closedUrl, accessToken: 'any', retry: 0 }).conversations
      .getMessages('1234567890123456')
      .catch((e: unknown) => e)
    expect(rest).toBeInstanceOf(NetworkError)
    expect((rest as Error).message).toContain(closedUrl)
    expect((rest as Error).message).toMatch(/Check `baseUrl` and the network/)
    // A page cannot tell an unreachable server from a refused cross-origin answer: the platform's enforcesCors.
    expect((rest as Error).message).toMatch(/also CORS: the server must allow this page's origin/)
    // An upload goes through XMLHttpRequest, not fetch: the same error.
    const upload = await symbl.audio.processFile(new File([WAV], 'a.wav'), { ...POLL }).catch((e: unknown) => e)
    expect(upload).toBeInstanceOf(NetworkError)
    expect((upload as Error).message).toMatch(/Check `baseUrl` and the network/)
  })

  it('reports a big upload refused before its end (a bad token) as the AuthError, not a network error', async () => {
    // The server answers 401 while the browser is still sending 16 MB. Were the socket closed under
    // it, Firefox and WebKit would report a network error (no status): the emulator reads the rest.
    const symbl = new Symbl({ baseUrl: emulatorUrl, tokenProvider: async () => ({ accessToken: 'not-a-token', expiresIn: 3600 }) })
    const big = new Blob([WAV, new Uint8Array(16 * 1024 * 1024)], { type: 'audio/wav' })
    const error = await symbl.audio.processFile(big, POLL).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).status).toBe(401)
  })

  it('refuses an app secret with the ConfigError that says what to do instead', () => {
    expect(() => new Symbl({ appSecret: 'secret' } as never)).toThrow(ConfigError)
    expect(() => new Symbl({ appSecret: 'secret' } as never)).toThrow(/token endpoint/)
  })
})

describe(`token recovery in ${browser}`, () => {
  it('replaces a refused token once through the token endpoint, with the rejected-token header', async () => {
    const { symbl, tag } = client()
    await symbl.conversations.list()
    const before = await tokenRequests(tag)
    expect(before).toHaveLength(1)
    expect(before[0].rejectedToken).toBeNull()
    await control(`expire-tokens?client=${browser}`)
    const { conversations } = await symbl.conversations.list()
    expect(Array.isArray(conversations)).toBe(true)
    const after = await tokenRequests(tag)
    expect(after).toHaveLength(2)
    expect(after[1].rejectedToken).toBe(before[0].accessToken)
    expect(after[1].accessToken).toBeTruthy()
    expect(after[1].accessToken).not.toBe(before[0].accessToken)
    // An upload after another expiry: re-sent with the new token (a File can be sent again).
    await control(`expire-tokens?client=${browser}`)
    const conversation = await symbl.audio.processFile(new File([WAV], 'again.wav'), POLL)
    expectBursts((await conversation.getMessages()).messages)
    const third = await tokenRequests(tag)
    expect(third).toHaveLength(3)
    expect(third[2].rejectedToken).toBe(after[1].accessToken)
    // A ReadableStream too: the browser holds it as a Blob, which can be sent again.
    await control(`expire-tokens?client=${browser}`)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(WAV)
        controller.close()
      },
    })
    expectBursts((await (await symbl.audio.processFile(stream, { ...POLL, contentType: 'audio/wav' })).getMessages()).messages)
    const fourth = await tokenRequests(tag)
    expect(fourth).toHaveLength(4)
    expect(fourth[3].rejectedToken).toBe(third[2].accessToken)
  })
})

describe(`streaming in ${browser}`, () => {
  const SILENCE = new Uint8Array(16000 * 2 * 0.5) // 0.5 s of LINEAR16 at 16 kHz

  it('rejects startConnection with a ConnectionError when the handshake is refused (close 1006 in a browser)', async () => {
    const { symbl, tag } = client()
    const id = `refused-${browser}-${Math.random().toString(36).slice(2, 10)}`
    // Twice: a browser cannot tell a refusal from a refused token, so start retries once with a fresh token.
    await control(`refuse-handshakes?path=${encodeURIComponent(`/v1/realtime/insights/${id}`)}&times=2&status=503`)
    const error = await symbl.streaming.startConnection({ id, startTimeoutMs: 20_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).closeCode).toBe(1006)
    expect((error as Error).message).toMatch(/Could not open the streaming socket/)
    expect((error as Error).message).toMatch(/Check wsBaseUrl, the network and the token/)
    const tokens = await tokenRequests(tag)
    expect(tokens.map((t) => t.rejectedToken)).toEqual([null, tokens[0].accessToken])
    // The fault is used up: the next start works.
    const c = await symbl.streaming.startConnection({ id })
    connections.push(c)
    expect(c.conversationId).toMatch(/^\d+$/)
  })

  it('starts after a refused token: one retry with a fresh token from the endpoint (the same rule as REST)', async () => {
    const { symbl, tag } = client()
    await symbl.conversations.list()
    await control(`expire-tokens?client=${browser}`)
    const c = await symbl.streaming.startConnection({})
    connections.push(c)
    expect(c.conversationId).toMatch(/^\d+$/)
    const tokens = await tokenRequests(tag)
    expect(tokens).toHaveLength(2)
    expect(tokens[1].rejectedToken).toBe(tokens[0].accessToken)
    await c.stop()
  })

  it('streams silence, stops and resolves with the conversation; the token is the subprotocol', async () => {
    const tag = `${browser}-streaming-${Math.random().toString(36).slice(2, 8)}`
    const opened: WebSocket[] = []
    // The browser's own WebSocket, watched: what it was opened with and what the server chose.
    const symbl = new Symbl({
      baseUrl: emulatorUrl,
      tokenProvider: () => fetch(`${tokenBase}?client=${tag}`).then((r) => r.json()),
      WebSocket: class extends WebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols)
          opened.push(this)
        }
      } as unknown as WebSocketConstructor,
    })
    const c = await symbl.streaming.startConnection({ speaker: { userId: 'jane@example.com', name: 'Jane' } })
    connections.push(c)
    expect(c.conversationId).toMatch(/^\d+$/)
    expect(opened).toHaveLength(1)
    const tokens = await tokenRequests(tag)
    expect(opened[0].protocol).toBe(tokens.at(-1)!.accessToken)
    expect(opened[0].url).not.toContain('access_token')
    await c.sendAudio(SILENCE)
    await c.sendAudio(SILENCE)
    const conversation = await c.stop()
    expect(c.state).toBe('closed')
    expect(conversation.conversationId).toBe(c.conversationId)
    const { messages } = await conversation.getMessages()
    expect(messages).toEqual([])
  })
})
