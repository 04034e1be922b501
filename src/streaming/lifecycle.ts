// The streaming connection's lifecycle as one value: which phase it is in and what that phase
// needs to know. Only `next()` below makes a new one, and only along TRANSITIONS; the connection
// holds the current value and changes it in one method (`#transition` in connection.ts).
//
// - `reconnecting` carries the attempt being made and whether `stop()` was asked: a stop asked
//   before or during the reconnection is carried out on the new session, so that one goes to
//   `stopping`, never back to `open`. A stop, once asked, is never un-asked.
// - `stopping` carries what the server has said of the end: `conversation_completed` and
//   `recognition_stopped` come in either order (contract 6.8); the stop completes on the first
//   with the second or the close (see connection.ts). They count only once a stop was asked: a
//   `stop_request` is what they answer.
// - `closed` carries what the app asked for before the close, which drain() and the errors of
//   later calls tell apart: whether a stop had been asked, and whether the app discarded the
//   queued audio (`close()` or an abort).
export type Lifecycle =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'open' }
  | { readonly phase: 'reconnecting'; readonly attempt: number; readonly stopRequested: boolean }
  | { readonly phase: 'stopping'; readonly completed: boolean; readonly recognitionStopped: boolean }
  | { readonly phase: 'closed'; readonly stopRequested: boolean; readonly discarded: boolean }

export type Phase = Lifecycle['phase']

/** From each phase, the phases it may move to (a phase listed for itself: its data may change). */
export const TRANSITIONS: { readonly [P in Phase]: readonly Phase[] } = {
  // stop() from a listener while the start is still under way; close(), an abort or a failed start.
  connecting: ['open', 'stopping', 'closed'],
  // A lost socket, stop(), or the end (the server's close, close(), an abort).
  open: ['reconnecting', 'stopping', 'closed'],
  // The next attempt or a stop asked meanwhile; back on a new session (`stopping` if a stop was asked); gave up or closed.
  reconnecting: ['reconnecting', 'open', 'stopping', 'closed'],
  // The server's end messages; a drop before the conversation completed; the end.
  stopping: ['stopping', 'reconnecting', 'closed'],
  closed: [],
}

/** A move the table or the phase data forbids: a bug in the SDK, never the app's doing. */
export class LifecycleError extends Error {
  override name = 'LifecycleError'
}

/** Whether the app has asked for a stop (it is then carried out, never undone). */
export function stopRequested(life: Lifecycle): boolean {
  return life.phase === 'stopping' || ((life.phase === 'reconnecting' || life.phase === 'closed') && life.stopRequested)
}

/** Whether `from` may move to `to`: the table, and what each phase's data must keep. */
export function allowed(from: Lifecycle, to: Lifecycle): boolean {
  const stop = stopRequested(from)
  // A stop once asked is carried out: what follows still says so (and `closed` records whether one was).
  if (!TRANSITIONS[from.phase].includes(to.phase) || (to.phase === 'closed' ? to.stopRequested !== stop : stop && !stopRequested(to)))
    return false
  if (to.phase === 'stopping') {
    // A stop starts having heard nothing of the end (on a new session too); what the server said is never unsaid.
    return from.phase === 'stopping'
      ? (to.completed || !from.completed) && (to.recognitionStopped || !from.recognitionStopped)
      : !to.completed && !to.recognitionStopped
  }
  if (to.phase === 'reconnecting') {
    // A loss starts at attempt 1 and keeps whether a stop was asked; then attempts count up one at a
    // time, and a stop asked during the reconnection keeps the attempt.
    if (from.phase !== 'reconnecting') return to.attempt === 1 && to.stopRequested === stop
    return to.attempt === (to.stopRequested && !from.stopRequested ? from.attempt : from.attempt + 1)
  }
  return true
}

/** The next lifecycle, `to`, if `from` may move to it; else throws a LifecycleError. */
export function next(from: Lifecycle, to: Lifecycle): Lifecycle {
  if (!allowed(from, to))
    throw new LifecycleError(`Streaming connection lifecycle: ${JSON.stringify(from)} may not move to ${JSON.stringify(to)}`)
  return to
}
