import { ConnectionError } from '../errors.js'

/** A frame the SDK could not use (invalid JSON, no `type`, binary where text is expected). The connection goes on. */
export class MalformedFrameError extends ConnectionError {
  override name = 'MalformedFrameError'
  /** The start of the frame (at most 200 characters), for diagnosis. */
  declare readonly raw: string
  constructor(message: string, raw: string) {
    super(message)
    this.raw = raw
  }
}
