import type { SymblClient } from '../client.js'
import type { Conversation } from '../conversations/conversation.js'
import { ValidationError } from '../errors.js'
import { invalid } from '../http/check.js'
import type { TextParameters, TextPayload } from './parameters.js'
import { checkOptions, processPath, submitJson, type SubmitOptions } from './submit.js'

export type TextOptions = SubmitOptions<TextParameters>

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
  if (typeof payload !== 'object' || payload === null) invalid('payload', 'an object { messages: [...] }', payload)
  const messages: unknown = payload.messages
  if (!Array.isArray(messages) || messages.length === 0) {
    invalid('payload.messages', 'a non-empty array of { payload: { content }, from?, duration? }', messages)
  }
  messages.forEach((m: TextPayload['messages'][number], i) => {
    if (typeof m?.payload?.content !== 'string' || m.payload.content.trim() === '') {
      throw new ValidationError(`payload.messages[${i}].payload.content must be non-empty text`)
    }
  })
  return { ...options?.parameters, ...payload }
}
