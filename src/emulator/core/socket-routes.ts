// WebSocket handshakes: which path, which token, which faults. Accepts the token as
// ?access_token=, X-API-KEY header, Authorization: Bearer, or as the offered subprotocol, which is
// then echoed back exactly (contract 2.2 / 6.8).

import type { EmulatorCore } from './core.js'
import { TOKEN_FAILED } from './errors.js'
import { bearerToken, decodeSegment, type HeaderBag } from './http.js'
import { speakerEventProblem } from './json-limits.js'
import { FrameSender, type SocketHandler, type SocketSink } from './sockets.js'
import { StreamingSocket } from './streaming.js'

export interface SocketOpenRequest {
  url: URL
  headers: HeaderBag
  /** Subprotocols offered by the client, in order. */
  protocols: string[]
}

export type SocketOpenResult =
  | { ok: false; status: number; message: string }
  | { ok: true; protocol?: string; kind: 'streaming' | 'subscribe' | 'events'; attach(sink: SocketSink): SocketHandler }

const STREAMING = /^\/v1\/(?:streaming|realtime\/insights)\/(?<id>[^/]+)\/?$/
const SUBSCRIBE = /^\/(?:v1|session)\/subscribe\/(?<id>[^/]+)\/?$/
const EVENTS = /^\/events\/(?<id>[^/]+)\/?$/

export function openSocket(core: EmulatorCore, req: SocketOpenRequest): SocketOpenResult {
  const path = req.url.pathname
  const refused = core.faults.takeHandshakeRefusal(path)
  if (refused !== undefined) return { ok: false, status: refused, message: 'Handshake refused (injected fault).' }
  const streaming = STREAMING.exec(path)
  const subscribe = SUBSCRIBE.exec(path)
  const events = EVENTS.exec(path)
  const rawId = (streaming ?? subscribe ?? events)?.groups?.id
  if (!rawId) return { ok: false, status: 404, message: `No socket route for ${path}.` }
  // A malformed escape (`%E0%A4%A`) is bad input: a 400 refusal, never an exception out of the handshake.
  const id = decodeSegment(rawId)
  if (!id) return { ok: false, status: 400, message: `Malformed percent-encoding in the URL path: "${rawId}".` }
  const candidates = [req.url.searchParams.get('access_token'), req.headers.get('x-api-key'), bearerToken(req.headers)]
  const protocolToken = req.protocols.find((p) => core.tokens.isValid(p))
  const scope = core.tokens.scopeOf(protocolToken ?? candidates.find((t) => core.tokens.isValid(t)))
  if (!scope) return { ok: false, status: 401, message: TOKEN_FAILED }
  // Another scope's stream or call is out of reach (tokens.ts): refused as an unknown id would be.
  const live = streaming || subscribe ? core.liveStreams.get(id) : undefined
  const liveOwner =
    (live && (subscribe || !live.completed) ? live.conversation.owner : undefined) ??
    (subscribe ? core.telephony.calls.get(id)?.conversation.owner : undefined)
  if (liveOwner !== undefined && liveOwner !== scope)
    return { ok: false, status: 404, message: `The connectionId ${id} belongs to another app.` }
  const protocol = protocolToken ?? req.protocols[0]
  const sender = (sink: SocketSink): FrameSender => new FrameSender(sink, () => core.faults.takeMalformed(path))

  if (streaming) {
    // Concurrency limit (contract 6.1 FAQ); the refusal status is not documented: 429 like the REST limit.
    if (core.openSockets >= core.maxStreamingConnections)
      return { ok: false, status: 429, message: 'Too many concurrent streaming connections.' }
    const drop = core.faults.takeDrop(path)
    return {
      ok: true,
      protocol,
      kind: 'streaming',
      attach(sink) {
        core.openSockets++
        const handler = new StreamingSocket(core, id, sender(sink), drop, scope)
        let closed = false
        return {
          onText: (t) => handler.onText(t),
          onBinary: (b) => handler.onBinary(b),
          onClose: () => {
            if (closed) return
            closed = true
            core.openSockets--
            handler.onClose()
          },
        }
      },
    }
  }
  if (subscribe) {
    return {
      ok: true,
      protocol,
      kind: 'subscribe',
      attach(sink) {
        const out = sender(sink)
        const remove = core.hub.add(id, out)
        return {
          // Listen-only: no client messages are documented besides the keep-alive.
          onText: (t) => (t === '__PING__' ? out.raw('__PONG__') : undefined),
          onBinary: () => undefined,
          onClose: remove,
        }
      },
    }
  }
  const call = core.telephony.visible(id, scope)
  if (!call) return { ok: false, status: 404, message: `The connectionId ${id} is either invalid or does not exist.` }
  return {
    ok: true,
    protocol,
    kind: 'events',
    attach(sink) {
      const out = sender(sink)
      return {
        onText(t) {
          if (t === '__PING__') return out.raw('__PONG__')
          let event: unknown
          try {
            event = JSON.parse(t) as unknown
          } catch {
            return out.json({
              type: 'message',
              message: { type: 'error', message: 'Invalid JSON', details: 'Speaker events must be JSON.' },
            })
          }
          const problem = speakerEventProblem(event, 'event')
          if (problem) return out.json({ type: 'message', message: { type: 'error', message: 'Invalid speaker event', details: problem } })
          core.telephony.recordSpeakerEvent(call, event)
        },
        onBinary: () => undefined,
        onClose: () => undefined,
      }
    },
  }
}
