// The small async helpers every area uses, once each. Core code: no Node or DOM imports.
import { abortReason } from '../errors.js'

/** Does nothing: for callbacks and `.catch` handlers whose outcome is not needed. */
export const noop = (): void => {}

/** Waits `ms`; an abort rejects at once and clears the timer (so Node can exit). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal!))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A promise with its resolve and reject in hand, for results settled from elsewhere (events, timers). */
export interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
  timer?: ReturnType<typeof setTimeout>
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((a, b) => {
    resolve = a
    reject = b
  })
  return { promise, resolve, reject }
}

/**
 * Settles with `promise`, or rejects with the abort reason as soon as `signal` aborts. Once the
 * caller has left, a later rejection of `promise` is handled here: it must not end the process as
 * an unhandled rejection.
 */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) {
    promise.catch(noop)
    return Promise.reject(abortReason(signal))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
