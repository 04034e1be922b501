import type { SymblClient } from '../client.js'

/** The Text API. */
export class TextApi {
  constructor(readonly client: SymblClient) {}
}
