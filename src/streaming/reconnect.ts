// When to try again after a socket is lost: exponential backoff with jitter, so many clients that
// lost the same server do not all come back at the same instant.
import { ValidationError } from '../errors.js'
import type { ReconnectOptions } from './types.js'

export type ReconnectPolicy = Required<ReconnectOptions>

export function reconnectPolicy(options: ReconnectOptions | false | undefined): ReconnectPolicy {
  if (options === false) return { maxAttempts: 0, initialDelayMs: 0, maxDelayMs: 0 }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ValidationError('reconnect must be an object like { maxAttempts, initialDelayMs, maxDelayMs } or false')
  }
  const policy = { maxAttempts: 8, initialDelayMs: 500, maxDelayMs: 10_000, ...options }
  for (const [key, value] of Object.entries(policy)) {
    if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
      throw new ValidationError(`reconnect.${key} must be a finite number >= 0, got ${String(value)}`)
    }
  }
  return policy
}

/** Delay before attempt `attempt` (1-based): initial × 2^(attempt−1), capped, then a random 50–100% of it. */
export function backoffDelay(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30))
  return Math.round(base / 2 + (random() * base) / 2)
}
