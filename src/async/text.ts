import type { SymblClient } from '../client.js'
import type { Conversation } from '../conversations/conversation.js'
import { ValidationError } from '../errors.js'
import { describe, invalid, isObject } from '../http/check.js'
import { checkCombination, checkParameters } from './check-parameters.js'
import type { TextMessage, TextOptions, TextPayload } from './types.js'
import { checkOptions, processPath, submitJson } from './submit.js'

export type { TextOptions }

/** The Text API: Python's `symbl.Text`. */
export class TextApi {
  constructor(readonly client: SymblClient) {}

  /** Starts a job for a conversation given as messages (`POST /v1/process/text`). */
  async process(payload: TextPayload, options?: TextOptions): Promise<Conversation> {
    return submitJson(this.client, 'POST', processPath('text'), body(payload, options), options)
  }

  /** Adds messages to an existing conversation (`PUT /v1/process/text/{conversationId}`). */
  async append(payload: TextPayload, conversationId: string, options?: TextOptions): Promise<Conversation> {
    const path = processPath('text', true, conversationId)
    return submitJson(this.client, 'PUT', path, body(payload, options), options)
  }
}

function body(payload: TextPayload, options: TextOptions | undefined): TextPayload {
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
