// Server frames, the same on every Symbl socket (contract 5.4, 6.5, 6.8): JSON text frames with a
// top-level `type`, and the keep-alive's `__PONG__`. Parsing never throws: a frame the SDK cannot
// use becomes a `MalformedFrameError` the connection emits, and the connection goes on.
import { ConnectionError } from '../errors.js'
import { redact, redactValue } from '../logger.js'
import { MalformedFrameError } from './errors.js'

/** The keep-alive's text frames (contract 6.5, 6.8): every Symbl socket answers `__PING__` with `__PONG__`. */
export const PING = '__PING__'
export const PONG = '__PONG__'

export type Frame = { type: string; [key: string]: unknown }

export type Parsed = { kind: 'pong' } | { kind: 'frame'; frame: Frame } | { kind: 'bad'; error: MalformedFrameError }

/**
 * The secrets an error built from a frame must hide (`client.http.hidden`): a server may quote the
 * token it refused. A function, so the frames that parse cleanly never build the list.
 */
export type Hidden = () => string[]

export function parseFrame(data: unknown, hidden: Hidden): Parsed {
  if (typeof data !== 'string') {
    const size = (data as { byteLength?: number; size?: number })?.byteLength ?? (data as { size?: number })?.size
    return bad(`a binary frame${size === undefined ? '' : ` of ${size} bytes`} where a JSON text frame was expected`, '', hidden)
  }
  if (data === PONG) return { kind: 'pong' }
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return bad('a text frame that is not JSON', data, hidden)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as Frame).type !== 'string') {
    return bad('a JSON frame without a string `type`', data, hidden)
  }
  return { kind: 'frame', frame: value as Frame }
}

/** The list each known result frame carries, as its typed event promises (contract 5.4, 6.5). */
const LISTS: Record<string, string> = {
  message_response: 'messages',
  insight_response: 'insights',
  topic_response: 'topics',
  tracker_response: 'trackers',
  entity_response: 'entities',
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks a parsed frame before it is emitted under the name its `type` gives: a known type must
 * have the fields its typed event promises (else a listener reading `frame.messages` would throw),
 * and no type may take one of the SDK's own event names (`reserved`: `close`, `open`, …), whose
 * listeners expect the SDK's arguments. Returns the problem as a MalformedFrameError, or undefined.
 */
export function checkFrame(frame: Frame, reserved: readonly string[], hidden: Hidden): MalformedFrameError | undefined {
  const { type } = frame
  let what: string | undefined
  const list = LISTS[type]
  if (reserved.includes(type)) what = `a frame of type "${redact(type, hidden())}", the name of an SDK event`
  else if (list && !(Array.isArray(frame[list]) && (frame[list] as unknown[]).every(isObject)))
    what = `a ${type} frame without a \`${list}\` array of objects`
  else if (
    type === 'transcript_response' &&
    !(isObject(frame.payload) && typeof (frame.payload as { content?: unknown }).content === 'string')
  ) {
    what = 'a transcript_response frame without a string `payload.content`'
  }
  return what === undefined ? undefined : malformed(what, JSON.stringify(frame), hidden)
}

/** "The server sent {what}; ignored", with the start of the frame, redacted (before it is cut: a cut token is no longer recognisable). */
export function malformed(what: string, raw: string, hidden: Hidden): MalformedFrameError {
  return new MalformedFrameError(`The server sent ${what}; ignored`, redact(raw, hidden()).slice(0, 200))
}

function bad(what: string, raw: string, hidden: Hidden): Parsed {
  return { kind: 'bad', error: malformed(what, raw, hidden) }
}

/** The server's error, from the top-level `{type:'error'}` (GO) or the wrapped `message.type === 'error'` (JS) form. */
export function errorFromFrame(frame: Record<string, unknown>, hidden: Hidden): ConnectionError {
  // Both the message and `details` (the whole frame) are server text.
  const body = redactValue(frame, hidden())
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const message = text(body.message) ?? text(body.details) ?? 'unknown error'
  const details = text(body.details)
  return new ConnectionError(`The streaming server reported an error: ${message}${details && details !== message ? ` (${details})` : ''}`, {
    details: body,
  })
}
