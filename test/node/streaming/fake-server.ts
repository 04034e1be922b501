// A small Symbl protocol server for tests and benchmarks: a real `ws` WebSocketServer (plus a few
// REST routes for telephony) on 127.0.0.1, with scripted behaviours. It speaks contract 5 and 6:
// start_request → conversation_created, started_listening, recognition_started; audio counted (and
// checked for gaps when it is a counter); stop_request → conversation_completed and
// recognition_stopped (either order) then close 1000; modify_request → session_modified;
// __PING__ → __PONG__. Same connection id = same conversation, across reconnects.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface StreamSocket {
  ws: WebSocket
  connectionId: string
  token: string
  /** How the token came: header, subprotocol or query. */
  via: 'header' | 'subprotocol' | 'query'
  texts: Array<Record<string, unknown>>
  startRequest?: Record<string, unknown>
  audioBytes: number
  audioBeforeStart: number
  frameSizes: number[]
  pings: number
  /** Set once the server decided to drop it: later frames are ignored, as a dead socket would lose them. */
  dropped: boolean
}

export interface Conv {
  connectionId: string
  conversationId: string
  sockets: StreamSocket[]
  audioBytes: number
  check: CounterCheck
  stopped: boolean
}

export interface Behaviour {
  /** Answer __PING__ (default true). */
  pong: boolean
  /** What a start_request gets (default 'normal'). */
  start: 'normal' | 'error-top' | 'error-wrapped' | 'silent' | 'close-4001' | 'created-only'
  /** What a stop_request gets (default 'completed-first'). */
  stop: 'completed-first' | 'stopped-first' | 'silent' | 'close-only'
  /** Close with 1000 after answering stop (default true). */
  closeAfterStop: boolean
  /** Send a recognition_result each time a session has received this many more audio bytes (0: never). */
  captionEveryBytes: number
  /** Bytes per ms of the audio, for caption times (default 16 kHz LINEAR16: 32). The counter words are 4 bytes. */
  bytesPerMs: number
  /** Feed audio to the counter check (default true). */
  checkCounter: boolean
  /** Answer each WebSocket handshake this many ms late (default 0). */
  handshakeDelayMs?: number
  /** Called for every audio frame after it has been counted. */
  onAudio?: (socket: StreamSocket, conv: Conv, frame: Buffer) => void
  /** Called for every text frame; return true to take it over. */
  onText?: (socket: StreamSocket, message: Record<string, unknown>) => boolean
  /** Called for every new telephony subscribe socket (after it is recorded in `subscribers`). */
  onSubscriber?: (ws: WebSocket, connectionId: string) => void
}

export interface Handshake {
  path: string
  token: string
  status: number
}

export interface RestCall {
  method: string
  path: string
  body: unknown
  auth: string | undefined
}

export class FakeServer {
  port = 0
  readonly convs = new Map<string, Conv>()
  readonly sockets: StreamSocket[] = []
  readonly handshakes: Handshake[] = []
  /** Statuses for the next handshakes (shifted one per handshake), e.g. [401] or [503, 503]. */
  refuse: number[] = []
  /** Tokens refused with 401 on every transport. */
  badTokens = new Set<string>()
  readonly behaviour: Behaviour = {
    pong: true,
    start: 'normal',
    stop: 'completed-first',
    closeAfterStop: true,
    captionEveryBytes: 0,
    bytesPerMs: 32,
    checkCounter: true,
  }
  readonly rest: RestCall[] = []
  readonly subscribers = new Map<string, WebSocket[]>()
  readonly telephony = new Map<string, { conversationId: string; stopped: boolean }>()
  readonly #http = createServer((req, res) => void this.#rest(req, res))
  readonly #wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false })
  #conversationSeq = 5093011103940608n

  static async start(behaviour: Partial<Behaviour> = {}): Promise<FakeServer> {
    const server = new FakeServer()
    Object.assign(server.behaviour, behaviour)
    server.#http.on('upgrade', (req, socket, head) => {
      // A slow network or server: the handshake is answered handshakeDelayMs later.
      const delay = server.behaviour.handshakeDelayMs
      if (delay) setTimeout(() => socket.destroyed || server.#upgrade(req, socket as Socket, head), delay)
      else server.#upgrade(req, socket as Socket, head)
    })
    await new Promise<void>((resolve) => server.#http.listen(0, '127.0.0.1', resolve))
    server.port = (server.#http.address() as AddressInfo).port
    return server
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  conv(connectionId: string): Conv {
    let conv = this.convs.get(connectionId)
    if (!conv) {
      conv = {
        connectionId,
        conversationId: String(this.#conversationSeq++),
        sockets: [],
        audioBytes: 0,
        check: new CounterCheck(),
        stopped: false,
      }
      this.convs.set(connectionId, conv)
    }
    return conv
  }

  /** The most recent streaming socket. */
  get last(): StreamSocket {
    return this.sockets[this.sockets.length - 1]
  }

  send(socket: StreamSocket | WebSocket, frame: unknown): void {
    const ws = 'ws' in socket ? socket.ws : socket
    ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame))
  }

  /** Drops a socket the way a network would: 'terminate' (no close frame: 1006 at the client) or a close code. */
  drop(socket: StreamSocket, how: 'terminate' | number = 'terminate'): void {
    socket.dropped = true
    if (how === 'terminate') socket.ws.terminate()
    else socket.ws.close(how, 'test drop')
  }

  async close(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate()
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()))
    this.#http.closeAllConnections()
    await new Promise<void>((resolve) => this.#http.close(() => resolve()))
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x')
    const protocol = req.headers['sec-websocket-protocol']?.split(',')[0]?.trim()
    const header = req.headers['x-api-key']
    const token = (typeof header === 'string' && header) || protocol || url.searchParams.get('access_token') || ''
    const via = typeof header === 'string' && header ? 'header' : protocol ? 'subprotocol' : 'query'
    const status = this.refuse.shift() ?? (!token || this.badTokens.has(token) ? 401 : 101)
    this.handshakes.push({ path: url.pathname, token, status })
    if (status !== 101) {
      const body = status === 401 ? '{"message":"Token validation failed for provided token."}' : '{"message":"refused"}'
      socket.end(
        `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      )
      return
    }
    const stream = /^\/v1\/(?:realtime\/insights|streaming)\/([^/]+)$/.exec(url.pathname)
    const sub = /^\/session\/subscribe\/([^/]+)$/.exec(url.pathname)
    if (!stream && !sub) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
      return
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (sub) return this.#subscriber(sub[1], ws)
      this.#stream(decodeURIComponent(stream![1]), ws, token, via)
    })
  }

  #subscriber(id: string, ws: WebSocket): void {
    const list = this.subscribers.get(id) ?? []
    list.push(ws)
    this.subscribers.set(id, list)
    ws.on('message', (data) => {
      if (String(data) === '__PING__' && this.behaviour.pong) ws.send('__PONG__')
    })
    this.behaviour.onSubscriber?.(ws, id)
  }

  #stream(connectionId: string, ws: WebSocket, token: string, via: StreamSocket['via']): void {
    const b = this.behaviour
    const conv = this.conv(connectionId)
    const s: StreamSocket = {
      ws,
      connectionId,
      token,
      via,
      texts: [],
      audioBytes: 0,
      audioBeforeStart: 0,
      frameSizes: [],
      pings: 0,
      dropped: false,
    }
    this.sockets.push(s)
    conv.sockets.push(s)
    conv.check.newSession()
    ws.on('error', () => {})
    ws.on('message', (data: Buffer, isBinary) => {
      if (s.dropped) return
      if (isBinary) {
        if (!s.startRequest) {
          s.audioBeforeStart += data.length
          return
        }
        const before = s.audioBytes
        s.audioBytes += data.length
        conv.audioBytes += data.length
        s.frameSizes.push(data.length)
        if (b.checkCounter) conv.check.feed(data)
        if (b.captionEveryBytes && Math.floor(s.audioBytes / b.captionEveryBytes) > Math.floor(before / b.captionEveryBytes)) {
          const timeOffset = Math.round(s.audioBytes / b.bytesPerMs)
          ws.send(
            JSON.stringify({
              type: 'message',
              message: {
                type: 'recognition_result',
                isFinal: true,
                payload: { raw: { alternatives: [{ transcript: 'tick' }] } },
                punctuated: { transcript: 'tick' },
              },
              timeOffset,
              // Test only: where this point sits in the whole counter stream, in ms.
              absoluteMs: b.checkCounter ? (conv.check.cursor * 4) / b.bytesPerMs : undefined,
            }),
          )
        }
        b.onAudio?.(s, conv, data)
        return
      }
      const text = String(data)
      if (text === '__PING__') {
        s.pings++
        if (b.pong) ws.send('__PONG__')
        return
      }
      let message: Record<string, unknown>
      try {
        message = JSON.parse(text) as Record<string, unknown>
      } catch {
        s.texts.push({ invalid: text })
        return
      }
      s.texts.push(message)
      if (b.onText?.(s, message)) return
      if (message.type === 'start_request') this.#start(s, conv, message)
      else if (message.type === 'stop_request') this.#stop(s, conv)
      else if (message.type === 'modify_request') ws.send(JSON.stringify({ type: 'message', message: { type: 'session_modified' } }))
    })
  }

  #start(s: StreamSocket, conv: Conv, message: Record<string, unknown>): void {
    if (s.startRequest) return // a repeated start_request on a started socket is ignored (contract 6.8)
    s.startRequest = message
    const id = conv.conversationId
    const send = (m: unknown) => s.ws.send(JSON.stringify(m))
    switch (this.behaviour.start) {
      case 'error-top':
        return send({ type: 'error', message: 'Invalid start_request', details: 'speechRecognition.sampleRateHertz is not supported' })
      case 'error-wrapped':
        return send({ type: 'message', message: { type: 'error', message: 'Invalid start_request', details: 'bad config' } })
      case 'silent':
        return
      case 'close-4001':
        s.ws.close(4001, 'not allowed')
        return
      case 'created-only':
        return send({ type: 'message', message: { type: 'conversation_created', data: { conversationId: id } } })
    }
    send({ type: 'message', message: { type: 'conversation_created', data: { conversationId: id } } })
    send({ type: 'message', message: { type: 'started_listening' } })
    send({ type: 'message', message: { type: 'recognition_started', data: { conversationId: id } } })
  }

  #stop(s: StreamSocket, conv: Conv): void {
    conv.stopped = true
    const id = conv.conversationId
    const completed = {
      type: 'message',
      message: {
        type: 'conversation_completed',
        conversationId: id,
        summaryUrl: 'https://meetinginsights.example/m',
        data: { conversationId: id },
      },
    }
    const stopped = { type: 'message', message: { type: 'recognition_stopped' } }
    const b = this.behaviour
    if (b.stop === 'silent') return
    if (b.stop === 'completed-first') this.send(s, completed)
    if (b.stop !== 'close-only') this.send(s, stopped)
    if (b.stop === 'stopped-first') this.send(s, completed)
    if (b.closeAfterStop || b.stop === 'close-only') s.ws.close(1000, 'stopped')
  }

  async #rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString()
    let body: unknown = text
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      // keep the text
    }
    const auth = (req.headers['x-api-key'] as string | undefined) ?? req.headers.authorization?.replace(/^Bearer /, '')
    const path = new URL(req.url ?? '/', 'http://x').pathname
    this.rest.push({ method: req.method ?? '', path, body, auth })
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    if (!auth || this.badTokens.has(auth)) return reply(401, { message: 'Token validation failed for provided token.' })
    const b = body as Record<string, unknown> | undefined
    if (req.method === 'POST' && path === '/v1/endpoint:connect') {
      if (b?.operation === 'start') {
        const connectionId = randomUUID()
        const conversationId = String(this.#conversationSeq++)
        this.telephony.set(connectionId, { conversationId, stopped: false })
        return reply(201, {
          eventUrl: `${this.url}/v1/event/${connectionId}`,
          resultWebSocketUrl: `ws://127.0.0.1:${this.port}/events/${connectionId}`,
          connectionId,
          conversationId,
        })
      }
      if (b?.operation === 'stop') {
        const call = this.telephony.get(String(b.connectionId))
        if (!call) return reply(404, { message: 'The connectionId is either invalid or does not exist.' })
        call.stopped = true
        for (const ws of this.subscribers.get(String(b.connectionId)) ?? []) ws.close(1000, 'call ended')
        return reply(200, {
          connectionId: b.connectionId,
          conversationId: call.conversationId,
          summaryInfo: [
            { user: { id: 'u1', userId: 'john@example.com', name: 'John', role: 'organizer' }, url: 'https://meetinginsights.example/m' },
          ],
        })
      }
      return reply(400, { message: '"operation" must be one of [start, stop]' })
    }
    const event = /^\/v1\/event\/([^/]+)$/.exec(path)
    if (req.method === 'POST' && event) {
      if (!this.telephony.has(event[1])) return reply(404, { message: 'The connectionId is either invalid or does not exist.' })
      return reply(200, {})
    }
    reply(404, { message: 'not found' })
  }
}

/**
 * Test audio that makes gaps detectable: 32-bit little-endian words counting up (two 16-bit PCM
 * samples each), so every position in the stream is unambiguous.
 */
export function counterAudio(firstWord: number, words: number): Buffer {
  const buf = Buffer.alloc(words * 4)
  for (let i = 0; i < words; i++) buf.writeUInt32LE(firstWord + i, i * 4)
  return buf
}

/**
 * Checks a counter stream received over several sessions: within a session words must follow each
 * other; a new session may start earlier than where the last one stopped (the resent tail: counted
 * as duplicates), never later (a gap).
 */
export class CounterCheck {
  /** Index of the next word never received before. */
  next = 0
  duplicates = 0
  readonly problems: string[] = []
  /** Index of the next word expected in the current session. */
  cursor = 0
  #fresh = true
  #carry: Buffer = Buffer.alloc(0)

  newSession(): void {
    this.#fresh = true
    this.#carry = Buffer.alloc(0)
    this.cursor = this.next
  }

  feed(data: Buffer): void {
    const buf = this.#carry.length ? Buffer.concat([this.#carry, data]) : data
    const whole = buf.length - (buf.length % 4)
    for (let i = 0; i < whole; i += 4) this.#word(buf.readUInt32LE(i))
    this.#carry = Buffer.from(buf.subarray(whole))
  }

  #problem(text: string): void {
    if (this.problems.length < 20) this.problems.push(text)
  }

  #word(v: number): void {
    if (this.#fresh) {
      this.#fresh = false
      this.cursor = v
    } else if (v !== this.cursor) {
      this.#problem(`word ${this.cursor}: got ${v}`)
      this.cursor = v
    }
    if (this.cursor < this.next) this.duplicates++
    else if (this.cursor > this.next) {
      this.#problem(`gap of ${this.cursor - this.next} words at ${this.next}`)
      this.next = this.cursor + 1
    } else this.next++
    this.cursor++
  }
}
