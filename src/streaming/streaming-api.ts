import type { SymblClient } from '../client.js'

/** The Streaming API. */
export class StreamingApi {
  constructor(readonly client: SymblClient) {}
}
