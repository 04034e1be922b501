// Audio errors. They extend the SDK's hierarchy (src/errors.ts) so `instanceof SymblError` catches
// them; `reason` tells the cases apart, because SymblError's own `code` is the coarse category.

import { SymblError, ValidationError } from '../errors.js'
import type { AudioFormatErrorReason, MicrophoneErrorReason } from './types.js'

export type { AudioFormatErrorReason, MicrophoneErrorReason }

/** Microphone capture failed or ended; `reason` says why. `code` is always 'microphone'. */
export class MicrophoneError extends SymblError {
  override name = 'MicrophoneError'
  readonly reason: MicrophoneErrorReason
  constructor(reason: MicrophoneErrorReason, message: string, cause?: unknown) {
    super('microphone', message, { cause })
    this.reason = reason
  }
}

/** A WAV file or raw PCM stream that cannot be decoded; `reason` says why. `code` is 'validation'. */
export class AudioFormatError extends ValidationError {
  override name = 'AudioFormatError'
  readonly reason: AudioFormatErrorReason
  constructor(reason: AudioFormatErrorReason, message: string) {
    super(message)
    this.reason = reason
  }
}
