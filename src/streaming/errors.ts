import { ConnectionError } from '../errors.js'

/** A frame the SDK could not use (invalid JSON, no `type`, binary where text is expected). The connection goes on. */
export class MalformedFrameError extends ConnectionError {
  /** The start of the frame (at most 200 characters), for diagnosis. */
  readonly raw: string
  constructor(message: string, raw: string) {
    super(message)
    this.raw = raw
  }
}

/** `sendAudio` with `onQueueFull: 'error'` when the queue holds `maxQueueSeconds` of audio already. */
export class QueueFullError extends ConnectionError {}

export interface UndeliveredAudio {
  /** Audio the app gave to `sendAudio` that never reached a socket. */
  undeliveredBytes: number
  undeliveredMs: number
  /** Audio handed to the socket shortly before the loss that the server may not have received (the resend tail). */
  unconfirmedBytes: number
  unconfirmedMs: number
}

/** The connection ended without delivering all audio (reconnection gave up, or `stop()` timed out). */
export class AudioNotDeliveredError extends ConnectionError {
  readonly undeliveredBytes: number
  readonly undeliveredMs: number
  readonly unconfirmedBytes: number
  readonly unconfirmedMs: number
  constructor(message: string, audio: UndeliveredAudio, extra: { closeCode?: number; cause?: unknown } = {}) {
    super(
      `${message}. ${audio.undeliveredBytes} bytes (${Math.round(audio.undeliveredMs)} ms) of audio were not delivered` +
        (audio.unconfirmedBytes ? `, and ${audio.unconfirmedBytes} bytes (${Math.round(audio.unconfirmedMs)} ms) sent just before the loss may not have arrived` : ''),
      { ...extra, details: audio },
    )
    this.undeliveredBytes = audio.undeliveredBytes
    this.undeliveredMs = audio.undeliveredMs
    this.unconfirmedBytes = audio.unconfirmedBytes
    this.unconfirmedMs = audio.unconfirmedMs
  }
}
