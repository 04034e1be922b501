// The checks of `RequestOptions` (signal, timeout), shared by every area.
import { timeoutMs } from '../utils/duration.js'
import { invalid, isObject } from './check.js'
import type { RequestOptions } from './types.js'

/** An AbortSignal, or anything that behaves as one (another realm's, a polyfill's). */
export function isSignal(value: unknown): value is AbortSignal {
  return (
    isObject(value) && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function'
  )
}

/**
 * Checks `signal` and `timeout` of a call's options (`name` is what messages call the object, e.g.
 * "getMessages: params") and returns just those two, for the request; the rest of the object
 * (query parameters, a body) is the caller's.
 */
export function requestOptions(name: string, options: unknown, expected = 'an object such as { signal, timeout }'): RequestOptions {
  if (options === undefined) return {}
  if (!isObject(options)) invalid(name, expected, options)
  const { signal, timeout } = options as RequestOptions
  if (signal !== undefined && !isSignal(signal))
    invalid(`${name}.signal`, 'an AbortSignal (e.g. AbortSignal.timeout(60_000) or controller.signal)', signal)
  return { signal, timeout: timeout === undefined ? undefined : timeoutMs(`${name}.timeout`, timeout) }
}

/** `options` without `signal` and `timeout`: what goes to the server (query parameters, a body). */
export function withoutRequestOptions<T extends object>(options: T | undefined): Omit<T, 'signal' | 'timeout'> | undefined {
  if (!isObject(options)) return options
  const { signal: _signal, timeout: _timeout, ...rest } = options as T & RequestOptions
  return rest
}

// Who was already told about a positional AbortSignal, per client log and method: warned once.
const warned = new WeakMap<object, Set<string>>()

/**
 * The options of a call that used to take a bare AbortSignal last (`stop(id, signal)`): the old
 * form still works, with one warning per client and method; a value that is neither is refused.
 */
export function optionsOrSignal(log: (level: 'warn', message: string) => void, method: string, options: unknown): RequestOptions {
  if (!isSignal(options))
    return requestOptions(`${method}: options`, options, 'an object { signal, timeout } (or, deprecated, an AbortSignal)')
  const seen = warned.get(log) ?? new Set<string>()
  warned.set(log, seen)
  if (!seen.has(method)) {
    seen.add(method)
    log('warn', `${method}(…, signal) is deprecated and will be removed in the next release: pass { signal } instead`)
  }
  return { signal: options }
}
