// Every duration option of the SDK ends up as a setTimeout/setInterval delay, and timers take a
// signed 32-bit number of milliseconds: anything above 2^31−1 (about 24.8 days) fires after 1 ms
// in Node and browsers alike, which turned `timeout: 1e10` into an instant TimeoutError and a
// large keep-alive interval into hundreds of pings a second. One check for all of them, so every
// option fails the same way, naming itself, the value and the range.
import { invalid } from '../http/check.js'

/** The longest delay a timer can wait: 2^31−1 ms, about 24.8 days. */
export const MAX_DELAY_MS = 2_147_483_647
const RANGE = `${MAX_DELAY_MS} (about 24.8 days, the longest a timer can wait)`

/**
 * A number of ms from 0 (above 0 when `positive`) to `MAX_DELAY_MS`; anything else (a string,
 * NaN, a negative, Infinity, 1e10) throws a ValidationError naming `name`, the value and the range.
 */
export function durationMs(name: string, value: unknown, positive = false): number {
  const ok = typeof value === 'number' && (positive ? value > 0 : value >= 0) && value <= MAX_DELAY_MS
  if (!ok)
    invalid(name, `${positive ? 'a positive number of milliseconds, at most' : 'a number of milliseconds from 0 to'} ${RANGE}`, value)
  return value as number
}

/**
 * A timeout that may be switched off: `false` or `Infinity` mean "no timeout" and return false;
 * otherwise a positive duration as `durationMs` checks it.
 */
export function timeoutMs(name: string, value: unknown): number | false {
  if (value === false || value === Infinity) return false
  const ok = typeof value === 'number' && value > 0 && value <= MAX_DELAY_MS
  if (!ok) invalid(name, `a positive number of milliseconds, at most ${RANGE}, or false (or Infinity) for no timeout`, value)
  return value as number
}
