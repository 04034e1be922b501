import type { SymblClient } from '../client.js'
import { abortReason, SymblError } from '../errors.js'
import { invalid, optionalObject } from '../http/check.js'
import type { HttpMethod } from '../http/types.js'
import { pathId, type Query } from '../http/url.js'
import { loadPart } from '../utils/load-part.js'
import { Conversation } from '../conversations/conversation.js'
import type { MediaKind } from './content-type.js'
import { checkWaitOptions } from './job-waiter.js'
import type { FileSubmitOptions, JobReference, SubmitOptions, UploadInput } from './types.js'

export type { SubmitOptions, FileSubmitOptions }

/** Checks every option before anything is sent: after the submission a mistake would lose the job. */
export function checkOptions(options: unknown): void {
  optionalObject('options', '{ wait: false }', options)
  const o = (options ?? {}) as FileSubmitOptions<unknown>
  if (o.wait !== undefined && typeof o.wait !== 'boolean') invalid('options.wait', 'true or false', o.wait)
  optionalObject('options.parameters', '{ detectPhrases: true }', o.parameters)
  checkWaitOptions(o)
  if (o.onUploadProgress !== undefined && typeof o.onUploadProgress !== 'function')
    invalid('options.onUploadProgress', 'a function', o.onUploadProgress)
  if (o.size !== undefined && !(Number.isSafeInteger(o.size) && o.size > 0))
    invalid('options.size', 'the byte length of the stream, a positive integer', o.size)
}

/** `/v1/process/{kind}`, plus `/{conversationId}` for an append (`append` true: the id is required). */
export function processPath(kind: string, append = false, conversationId?: unknown): string {
  return `/v1/process/${kind}${append ? `/${pathId('conversationId', conversationId)}` : ''}`
}

/** Sends a JSON submission (URL and text endpoints). */
export async function submitJson(
  client: SymblClient,
  method: HttpMethod,
  path: string,
  body: object,
  options: SubmitOptions<unknown> = {},
  query?: Query,
): Promise<Conversation> {
  // Not idempotent: a repeat could create a second job (the HTTP client retries only on 429).
  const reference = await client.http.request<JobReference>({
    method,
    path,
    query,
    json: body,
    signal: options.signal,
    timeout: options.timeout,
    idempotent: false,
  })
  return finish(client, reference, options)
}

/** Uploads a file (file endpoints): options go in the query string. */
export async function submitFile(
  client: SymblClient,
  kind: MediaKind,
  method: 'POST' | 'PUT',
  path: string,
  file: UploadInput,
  options: FileSubmitOptions<object> = {},
): Promise<Conversation> {
  checkOptions(options)
  // Before the upload code loads and the file opens: an aborted call sends nothing.
  if (options.signal?.aborted) throw abortReason(options.signal)
  // Loaded on first use: most apps send URLs or text, or only read conversations.
  const [{ openSource, upload }, { contentTypeFor, checkContentType }] = await loadPart('file uploads', () =>
    Promise.all([import('./upload.js'), import('./content-type.js')]),
  )
  // Before the source is opened: a bad type must not leave a file stream open behind the error.
  checkContentType(kind, options.contentType)
  const source = await openSource(client, file, options.size)
  const contentType = contentTypeFor(kind, options.contentType, source.name, source.type)
  const reference = await upload<JobReference>(client, {
    method,
    path,
    query: options.parameters as Query | undefined,
    source,
    contentType,
    signal: options.signal,
    timeout: options.timeout,
    onUploadProgress: options.onUploadProgress,
  })
  return finish(client, reference, options)
}

async function finish(client: SymblClient, reference: JobReference | undefined, options: SubmitOptions<unknown>): Promise<Conversation> {
  if (typeof reference?.conversationId !== 'string' || typeof reference.jobId !== 'string') {
    throw new SymblError(
      'http',
      `The submission was accepted but the answer lacks conversationId or jobId: ${client.http.excerpt(reference)}`,
    )
  }
  client.log('info', `Job ${reference.jobId} for conversation ${reference.conversationId} submitted`)
  const conversation = new Conversation(client, reference, { pollInterval: options.pollInterval, waitTimeout: options.waitTimeout })
  if (options.wait === false) {
    if (options.onStatus) conversation.onStatus(options.onStatus)
    return conversation
  }
  return conversation.wait(options)
}
