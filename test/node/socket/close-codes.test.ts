import { describe, expect, it } from 'vitest'
import { isRecoverableClose, shouldReconnect } from '../../../src/socket/close-codes.js'

// Contract 6.8: only 1000 is a clean end; every other code is a loss the client reconnects after.
const table: Array<[code: number, what: string, recoverable: boolean]> = [
  [1000, 'normal closure: the server ended the conversation or the call', false],
  [1001, 'going away (a server restarting)', true],
  [1005, 'no status received', true],
  [1006, 'abnormal closure (network loss, a refused handshake in a browser)', true],
  [1008, 'policy violation', true],
  [1011, 'internal server error', true],
  [1012, 'service restart', true],
  [3006, 'the keep-alive found the socket dead (the code Symbl’s JS SDK closes with)', true],
  [4000, 'an application code', true],
  [4999, 'an application code', true],
]

describe('the reconnect rule of both socket kinds', () => {
  it.each(table)('close code %i (%s): recoverable %s', (code, _what, recoverable) => {
    expect(isRecoverableClose(code)).toBe(recoverable)
    expect(shouldReconnect(code, 1, 8)).toBe(recoverable)
  })

  it('an attempt that failed before its socket opened (no close code) is always a loss', () => {
    expect(shouldReconnect(undefined, 1, 1)).toBe(true)
  })

  it('makes attempts 1 to maxAttempts and no more; none when reconnection is off (maxAttempts 0)', () => {
    const made = (max: number) => [1, 2, 3, 4].filter((attempt) => shouldReconnect(1006, attempt, max))
    expect(made(3)).toEqual([1, 2, 3])
    expect(made(1)).toEqual([1])
    expect(made(0)).toEqual([])
    expect(shouldReconnect(1000, 1, 3)).toBe(false)
  })
})
