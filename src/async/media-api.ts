import type { SymblClient } from '../client.js'
import type { Conversation } from '../conversations/conversation.js'
import { partLoader } from '../utils/load-part.js'
import type { MediaKind } from './content-type.js'
import type { MediaFileOptions, MediaUrlOptions, UploadInput, UrlPayload } from './types.js'

export type { MediaFileOptions, MediaUrlOptions }

/**
 * The checks and the request of a submission (submissions.ts), loaded on the first call: a page that
 * never submits a job does not download them. They still run before anything is sent.
 */
export const loadSubmissions = partLoader('the Async API', () => import('./submissions.js'))

/** The Audio and Video APIs: same four calls, different paths and media types. */
export class MediaApi {
  constructor(
    readonly client: SymblClient,
    readonly kind: MediaKind,
  ) {}

  /** Uploads a recording and starts a job (`POST /v1/process/{kind}`). */
  async processFile(file: UploadInput, options?: MediaFileOptions): Promise<Conversation> {
    return (await loadSubmissions()).mediaFile(this.client, this.kind, false, file, undefined, options)
  }

  /** Starts a job for a publicly reachable media URL (`POST /v1/process/{kind}/url`). */
  async processUrl(payload: UrlPayload, options?: MediaUrlOptions): Promise<Conversation> {
    return (await loadSubmissions()).mediaUrl(this.client, this.kind, false, payload, undefined, options)
  }

  /** Adds a recording to an existing conversation (`PUT /v1/process/{kind}/{conversationId}`). */
  async appendFile(file: UploadInput, conversationId: string, options?: MediaFileOptions): Promise<Conversation> {
    return (await loadSubmissions()).mediaFile(this.client, this.kind, true, file, conversationId, options)
  }

  /** Adds media at a URL to an existing conversation (`PUT /v1/process/{kind}/url/{conversationId}`). */
  async appendUrl(payload: UrlPayload, conversationId: string, options?: MediaUrlOptions): Promise<Conversation> {
    return (await loadSubmissions()).mediaUrl(this.client, this.kind, true, payload, conversationId, options)
  }
}
