import type { SymblClient } from '../client.js'
import { ValidationError } from '../errors.js'
import { invalid } from '../http/check.js'
import type { Query } from '../http/url.js'
import type { Conversation } from '../conversations/conversation.js'
import type { MediaKind } from './content-type.js'
import type { MediaParameters, UrlPayload } from './parameters.js'
import { checkOptions, processPath, submitFile, submitJson, type FileSubmitOptions, type SubmitOptions } from './submit.js'
import type { UploadInput } from './upload.js'

export type MediaFileOptions = FileSubmitOptions<MediaParameters>
export type MediaUrlOptions = SubmitOptions<Omit<UrlPayload, 'url'>>

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
    return submitFile(this.client, this.kind, 'POST', processPath(this.kind), file, options)
  }

  /** Starts a job for a publicly reachable media URL (`POST /v1/process/{kind}/url`). */
  async processUrl(payload: UrlPayload, options?: MediaUrlOptions): Promise<Conversation> {
    return this.#url('POST', payload, undefined, options)
  }

  /** Adds a recording to an existing conversation (`PUT /v1/process/{kind}/{conversationId}`). */
  async appendFile(file: UploadInput, conversationId: string, options?: MediaFileOptions): Promise<Conversation> {
    return submitFile(this.client, this.kind, 'PUT', processPath(this.kind, true, conversationId), file, options)
  }

  /** Adds media at a URL to an existing conversation (`PUT /v1/process/{kind}/url/{conversationId}`). */
  async appendUrl(payload: UrlPayload, conversationId: string, options?: MediaUrlOptions): Promise<Conversation> {
    return this.#url('PUT', payload, conversationId, options)
  }

  #url(method: 'POST' | 'PUT', payload: UrlPayload, conversationId: string | undefined, options: MediaUrlOptions = {}): Promise<Conversation> {
    const path = processPath(`${this.kind}/url`, method === 'PUT', conversationId)
    checkOptions(options)
    if (typeof payload === 'string') throw new ValidationError(`payload must be an object such as { url: ${JSON.stringify(payload)} }`)
    const body = { ...options.parameters, ...payload }
    if (typeof body.url !== 'string' || !/^https?:\/\//i.test(body.url)) {
      invalid('payload.url is required and', `a public http(s) URL of the ${this.kind}`, body.url)
    }
    const query: Query = {}
    for (const key of DIARIZATION) query[key] = body[key]
    return submitJson(this.client, method, path, body, options, query)
  }
}
