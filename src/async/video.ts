import type { SymblClient } from '../client.js'
import { MediaApi } from './media-api.js'

/** The Video API (mp4 files and URLs): Python's `symbl.Video`. */
export class VideoApi extends MediaApi {
  constructor(client: SymblClient) {
    super(client, 'video')
  }
}
