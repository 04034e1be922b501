import type { SymblClient } from '../client.js'

/** The Audio API (recorded audio files and URLs). */
export class AudioApi {
  constructor(readonly client: SymblClient) {}
}
