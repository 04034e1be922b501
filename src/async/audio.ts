import type { SymblClient } from '../client.js'
import { MediaApi } from './media-api.js'

/** The Audio API (recorded audio files and URLs): Python's `symbl.Audio`. */
export class AudioApi extends MediaApi {
  constructor(client: SymblClient) {
    super(client, 'audio')
  }
}
