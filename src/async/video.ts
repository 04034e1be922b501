import type { SymblClient } from '../client.js'

/** The Video API. */
export class VideoApi {
  constructor(readonly client: SymblClient) {}
}
