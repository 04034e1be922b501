// When to try again after a socket is lost: exponential backoff with jitter, so many clients that
// lost the same server do not all come back at the same instant.
import { invalid } from '../http/check.js'
import { durationMs } from '../utils/duration.js'
import type { ReconnectOptions } from './types.js'

export type ReconnectPolicy = Required<ReconnectOptions>

/** A finite number above 0 (`positive`) or from 0. NaN fails both. */
export const finite = (v: unknown, positive?: boolean): boolean => typeof v === 'number' && (positive ? v > 0 : v >= 0) && v < Infinity

/**
 * `defaults` overridden by `options` (an object; `false` is handled by the caller), every value a
 * finite number (> 0 when `positive`). The reconnect and keep-alive policies of both socket kinds.
 */
export function numbers<T extends object>(name: string, defaults: T, options: unknown, positive?: boolean): T {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    invalid(name, `an object like { ${Object.keys(defaults).join(', ')} } or false`, options)
  const policy = { ...defaults, ...(options as T) }
  for (const [key, value] of Object.entries(policy)) {
    // The `…Ms` values become timer delays, which must fit in 2^31−1 ms; the others are counts.
    if (key.endsWith('Ms')) durationMs(`${name}.${key}`, value, positive)
    else if (!finite(value, positive)) invalid(`${name}.${key}`, `a finite number ${positive ? '> 0' : '>= 0'}`, value)
  }
  return policy
}

export function reconnectPolicy(options: ReconnectOptions | false | undefined): ReconnectPolicy {
  return options === false
    ? { maxAttempts: 0, initialDelayMs: 0, maxDelayMs: 0 }
    : numbers('reconnect', { maxAttempts: 8, initialDelayMs: 500, maxDelayMs: 10_000 }, options)
}

/** Delay before attempt `attempt` (1-based): initial × 2^(attempt−1), capped, then a random 50–100% of it. */
export function backoffDelay(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30))
  return Math.round(base / 2 + (random() * base) / 2)
}
