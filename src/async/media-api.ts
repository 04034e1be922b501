import type { SymblClient } from '../client.js'
import { ValidationError } from '../errors.js'
import { invalid, isObject } from '../http/check.js'
import type { Query } from '../http/url.js'
import type { Conversation } from '../conversations/conversation.js'
import { checkCombination, checkParameters, httpUrl } from './check-parameters.js'
import type { MediaKind } from './content-type.js'
import type { MediaFileOptions, MediaUrlOptions, UploadInput, UrlPayload } from './types.js'
import { checkOptions, processPath, submitFile, submitJson } from './submit.js'

export type { MediaFileOptions, MediaUrlOptions }

// DOCS22 puts these two in the query string even on URL endpoints, while Python and Go send them
// in the JSON body; the server's choice is not documented, so both carry them.
const DIARIZATION = ['enableSpeakerDiarization', 'diarizationSpeakerCount'] as const

/** The Audio and Video APIs: same four calls, different paths and media types. */
export class MediaApi {
  constructor(
    readonly client: SymblClient,
    readonly kind: MediaKind,
  ) {}

  /** Uploads a recording and starts a job (`POST /v1/process/{kind}`). */
  async processFile(file: UploadInput, options?: MediaFileOptions): Promise<Conversation> {
    checkFileParameters(options)
    return submitFile(this.client, this.kind, 'POST', processPath(this.kind), file, options)
  }

  /** Starts a job for a publicly reachable media URL (`POST /v1/process/{kind}/url`). */
  async processUrl(payload: UrlPayload, options?: MediaUrlOptions): Promise<Conversation> {
    return this.#url('POST', payload, undefined, options)
  }

  /** Adds a recording to an existing conversation (`PUT /v1/process/{kind}/{conversationId}`). */
  async appendFile(file: UploadInput, conversationId: string, options?: MediaFileOptions): Promise<Conversation> {
    checkFileParameters(options)
    return submitFile(this.client, this.kind, 'PUT', processPath(this.kind, true, conversationId), file, options)
  }

  /** Adds media at a URL to an existing conversation (`PUT /v1/process/{kind}/url/{conversationId}`). */
  async appendUrl(payload: UrlPayload, conversationId: string, options?: MediaUrlOptions): Promise<Conversation> {
    return this.#url('PUT', payload, conversationId, options)
  }

  #url(
    method: 'POST' | 'PUT',
    payload: UrlPayload,
    conversationId: string | undefined,
    options: MediaUrlOptions = {},
  ): Promise<Conversation> {
    const path = processPath(`${this.kind}/url`, method === 'PUT', conversationId)
    checkOptions(options)
    if (typeof payload === 'string') throw new ValidationError(`payload must be an object such as { url: ${JSON.stringify(payload)} }`)
    if (payload === undefined)
      invalid('payload.url is required and', `a public http(s) URL of the ${this.kind}, passed as { url }`, payload)
    if (!isObject(payload))
      invalid('payload', `an object such as { url: "https://example.com/call.${this.kind === 'audio' ? 'wav' : 'mp4'}" }`, payload)
    const { url, ...rest } = payload
    // A scheme check alone let "http://" or "https://exa mple.com" through to the server.
    if (typeof url !== 'string' || !httpUrl(url)) invalid('payload.url is required and', `a public http(s) URL of the ${this.kind}`, url)
    checkParameters('options.parameters', 'url', options.parameters)
    checkParameters('payload', 'url', rest)
    const body = { ...options.parameters, ...payload }
    checkCombination(body)
    const query: Query = {}
    for (const key of DIARIZATION) query[key] = body[key]
    return submitJson(this.client, method, path, body, options, query)
  }
}

/** File endpoints carry the options in the query string; checked before any byte is uploaded. */
function checkFileParameters(options: MediaFileOptions | undefined): void {
  if (!isObject(options)) return // checkOptions reports it
  checkParameters('options.parameters', 'file', options!.parameters)
  if (isObject(options!.parameters)) checkCombination(options!.parameters as Record<string, unknown>)
}
