import { ConnectionError } from '../errors.js'
import type { UndeliveredAudio } from './types.js'

// Defined with the public types; re-exported here, where it used to be.
export type { UndeliveredAudio }

// Built by the socket layer (src/socket/frames.ts) for both socket kinds; the public API names it here.
export { MalformedFrameError } from '../socket/errors.js'

/** `sendAudio` with `onQueueFull: 'error'` when the queue holds `maxQueueSeconds` of audio already. */
export class QueueFullError extends ConnectionError {
  override name = 'QueueFullError'
}

const amount = (bytes: number, ms: number) => `${bytes} bytes (${Math.round(ms)} ms)`

/** The connection ended without delivering all audio (reconnection gave up, or `stop()` timed out). */
export class AudioNotDeliveredError extends ConnectionError {
  override name = 'AudioNotDeliveredError'
  declare readonly undeliveredBytes: number
  declare readonly undeliveredMs: number
  declare readonly unconfirmedBytes: number
  declare readonly unconfirmedMs: number
  constructor(message: string, audio: UndeliveredAudio, extra: { closeCode?: number; cause?: unknown } = {}) {
    super(
      `${message}. ${amount(audio.undeliveredBytes, audio.undeliveredMs)} of audio were not delivered` +
        (audio.unconfirmedBytes
          ? `, and ${amount(audio.unconfirmedBytes, audio.unconfirmedMs)} sent just before the loss may not have arrived`
          : ''),
      { ...extra, details: audio },
    )
    // The four counts, as fields (`audio` has exactly these).
    Object.assign(this, audio)
  }
}
