// The Async API's submissions: the checks of every argument (contract table 3.2, the messages of a
// text job, the media URL) and the request, loaded on the first `process…`/`append…` call
// (media-api.ts, text.ts): a page that never submits a job does not download them. Every check
// still runs before anything is sent.
import type { SymblClient } from '../client.js'
import type { Conversation } from '../conversations/conversation.js'
import { ValidationError } from '../errors.js'
import { describe, invalid, isObject } from '../http/check.js'
import type { Query } from '../http/url.js'
import { checkCombination, checkParameters, httpUrl } from './check-parameters.js'
import type { MediaKind } from './content-type.js'
import { checkOptions, processPath, submitFile, submitJson } from './submit.js'
import type { MediaFileOptions, MediaUrlOptions, TextMessage, TextOptions, TextPayload, UploadInput, UrlPayload } from './types.js'

// DOCS22 puts these two in the query string even on URL endpoints, while Python and Go send them
// in the JSON body; the server's choice is not documented, so both carry them.
const DIARIZATION = ['enableSpeakerDiarization', 'diarizationSpeakerCount'] as const

/** `POST /v1/process/{kind}` (no `conversationId`) or `PUT /v1/process/{kind}/{conversationId}`: a file upload. */
export function mediaFile(
  client: SymblClient,
  kind: MediaKind,
  append: boolean,
  file: UploadInput,
  conversationId: unknown,
  options: MediaFileOptions | undefined,
): Promise<Conversation> {
  checkFileParameters(options)
  return submitFile(client, kind, append ? 'PUT' : 'POST', processPath(kind, append, conversationId), file, options)
}

/** `POST /v1/process/{kind}/url` or `PUT /v1/process/{kind}/url/{conversationId}`: media at a public URL. */
export function mediaUrl(
  client: SymblClient,
  kind: MediaKind,
  append: boolean,
  payload: UrlPayload,
  conversationId: unknown,
  options: MediaUrlOptions = {},
): Promise<Conversation> {
  const path = processPath(`${kind}/url`, append, conversationId)
  checkOptions(options)
  if (typeof payload === 'string') throw new ValidationError(`payload must be an object such as { url: ${JSON.stringify(payload)} }`)
  if (payload === undefined) invalid('payload.url is required and', `a public http(s) URL of the ${kind}, passed as { url }`, payload)
  if (!isObject(payload))
    invalid('payload', `an object such as { url: "https://example.com/call.${kind === 'audio' ? 'wav' : 'mp4'}" }`, payload)
  const { url, ...rest } = payload
  // A scheme check alone let "http://" or "https://exa mple.com" through to the server.
  if (typeof url !== 'string' || !httpUrl(url)) invalid('payload.url is required and', `a public http(s) URL of the ${kind}`, url)
  checkParameters('options.parameters', 'url', options.parameters)
  checkParameters('payload', 'url', rest)
  const body = { ...options.parameters, ...payload }
  checkCombination(body)
  const query: Query = {}
  for (const key of DIARIZATION) query[key] = body[key]
  return submitJson(client, append ? 'PUT' : 'POST', path, body, options, query)
}

/** `POST /v1/process/text` or `PUT /v1/process/text/{conversationId}`: a conversation given as messages. */
export function text(
  client: SymblClient,
  append: boolean,
  payload: TextPayload,
  conversationId: unknown,
  options: TextOptions | undefined,
): Promise<Conversation> {
  const path = processPath('text', append, conversationId)
  return submitJson(client, append ? 'PUT' : 'POST', path, textBody(payload, options), options)
}

/** File endpoints carry the options in the query string; checked before any byte is uploaded. */
function checkFileParameters(options: MediaFileOptions | undefined): void {
  if (!isObject(options)) return // checkOptions reports it
  checkParameters('options.parameters', 'file', options!.parameters)
  if (isObject(options!.parameters)) checkCombination(options!.parameters as Record<string, unknown>)
}

function textBody(payload: TextPayload, options: TextOptions | undefined): TextPayload {
  checkOptions(options)
  if (!isObject(payload)) invalid('payload', 'an object { messages: [...] }', payload)
  const { messages, ...rest } = payload
  if (!Array.isArray(messages) || messages.length === 0) {
    invalid('payload.messages', 'a non-empty array of { payload: { content }, from?, duration? }', messages)
  }
  messages.forEach(checkMessage)
  checkParameters('options.parameters', 'text', options?.parameters)
  checkParameters('payload', 'text', rest)
  const body = { ...options?.parameters, ...payload }
  checkCombination(body)
  return body
}

/** One message of contract 3.3: `payload.content` required, `from` and `duration` optional. */
function checkMessage(message: unknown, i: number): void {
  const name = `payload.messages[${i}]`
  if (!isObject(message)) invalid(name, 'an object such as { payload: { content: "Hello" }, from: { name: "Ann" } }', message)
  const m = message as Partial<TextMessage>
  if (m.payload !== undefined && !isObject(m.payload)) invalid(`${name}.payload`, 'an object such as { content: "Hello" }', m.payload)
  if (typeof m.payload?.content !== 'string' || m.payload.content.trim() === '') {
    throw new ValidationError(`${name}.payload.content must be non-empty text, got ${describe(m.payload?.content)}`)
  }
  if (m.payload.contentType !== undefined && typeof m.payload.contentType !== 'string')
    invalid(`${name}.payload.contentType`, 'a string such as "text/plain"', m.payload.contentType)
  if (m.from !== undefined) {
    if (!isObject(m.from)) invalid(`${name}.from`, 'an object such as { userId: "ann@example.com", name: "Ann" }', m.from)
    for (const key of ['userId', 'name'] as const) {
      if (m.from[key] !== undefined && typeof m.from[key] !== 'string') invalid(`${name}.from.${key}`, 'a string', m.from[key])
    }
  }
  if (m.duration !== undefined) {
    if (!isObject(m.duration))
      invalid(
        `${name}.duration`,
        'an object such as { startTime: "2020-07-21T16:02:19.01Z", endTime: "2020-07-21T16:02:25.99Z" }',
        m.duration,
      )
    for (const key of ['startTime', 'endTime'] as const) {
      const t = m.duration[key]
      // The contract shows ISO 8601 times; anything Date cannot read would not mean a time to Symbl either.
      if (t !== undefined && (typeof t !== 'string' || Number.isNaN(Date.parse(t))))
        invalid(`${name}.duration.${key}`, 'an ISO 8601 time such as "2020-07-21T16:02:19.01Z"', t)
    }
  }
}
