// A microphone capture's state as one value, and its transition table (like the streaming
// connection's lifecycle.ts). Only `nextCapture()` makes a new one, and only along CAPTURE_TRANSITIONS;
// the capture (microphone.ts) holds the current value and changes it in one place.
//
// - `starting`: the graph is being built; the permission prompt is not audio, so nothing counts yet.
// - `live`: chunks flow from the device.
// - `muted`: chunks flow, but the system gives silence: the track reports `mute` (the OS or the
//   browser took the input away) or `silenceSeconds` of exact digital zeros (an OS privacy switch).
//   A mute by the app (`handle.mute()`) is not this: the app knows.
// - `interrupted`: the AudioContext is not running (autoplay policy, a Safari/iOS interruption, a
//   phone call); it resumes on the next user gesture or `handle.resume()`.
// - `recovering`: the graph is being rebuilt: the device was lost and capture follows the new default
//   (`followDefaultDevice`), the default changed, the worklet stalled, or the device's rate changed.
// - `ended`: stopped by the app, or lost with no way back (`error` says why).
import type { MicrophoneError } from './errors.js'

export type RecoveryReason = 'device-lost' | 'default-changed' | 'stalled' | 'rate-changed'
export type SilenceReason = 'track-muted' | 'digital-silence'
export type InterruptionReason = 'suspended' | 'interrupted'

export type CaptureState =
  | { readonly phase: 'starting' }
  | { readonly phase: 'live' }
  | { readonly phase: 'muted'; readonly reason: SilenceReason }
  | { readonly phase: 'interrupted'; readonly reason: InterruptionReason }
  | { readonly phase: 'recovering'; readonly reason: RecoveryReason }
  | { readonly phase: 'ended'; readonly error?: MicrophoneError | undefined }

export type CapturePhase = CaptureState['phase']

/** From each phase, the phases it may move to (a phase listed for itself: its reason may change). */
export const CAPTURE_TRANSITIONS: { readonly [P in CapturePhase]: readonly CapturePhase[] } = {
  // The first chunk; a context that starts suspended (autoplay); the device lost before any audio; failed or stopped.
  starting: ['live', 'interrupted', 'recovering', 'ended'],
  // Silence from the system; the context stops; the device goes or stalls; stop().
  live: ['muted', 'interrupted', 'recovering', 'ended'],
  // Sound again; the other kind of silence; the context stops; the device goes or stalls; stop().
  muted: ['live', 'muted', 'interrupted', 'recovering', 'ended'],
  // Resumed (sound or silence again), the context's other stop reason, the device lost meanwhile, stop().
  interrupted: ['live', 'muted', 'interrupted', 'recovering', 'ended'],
  // The new graph delivers; another reason before it did (the new device lost too); it starts suspended; gave up.
  recovering: ['live', 'recovering', 'interrupted', 'ended'],
  ended: [],
}

/** A move the table forbids: a bug in the SDK, never the app's doing. */
export class CaptureStateError extends Error {
  override name = 'CaptureStateError'
}

export function captureAllowed(from: CaptureState, to: CaptureState): boolean {
  if (!CAPTURE_TRANSITIONS[from.phase].includes(to.phase)) return false
  // A phase "moving" to itself must change its reason, else it is no move (and no event) at all.
  if (from.phase === to.phase) return (from as { reason?: string }).reason !== (to as { reason?: string }).reason
  return true
}

/** The next capture state, `to`, if `from` may move to it; else throws a CaptureStateError. */
export function nextCapture(from: CaptureState, to: CaptureState): CaptureState {
  if (!captureAllowed(from, to))
    throw new CaptureStateError(`Microphone capture state: ${JSON.stringify(from)} may not move to ${JSON.stringify(to)}`)
  return to
}

/** What an app shows for a state (the demo's badge): live, muted by the system, interrupted, recovering. */
export function captureBadge(state: CaptureState): 'starting' | 'live' | 'muted by the system' | 'interrupted' | 'recovering' | 'ended' {
  return state.phase === 'muted' ? 'muted by the system' : state.phase
}
