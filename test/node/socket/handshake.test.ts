// What a refused handshake's error message says, in each runtime's wording.
import { describe, expect, it } from 'vitest'
import { refusedStatus, tokenRefused } from '../../../src/socket/handshake.js'

describe('refusedStatus', () => {
  it.each([
    ['Unexpected server response: 401', 401], // Node's ws
    ['Expected 101 status code: 403', 403], // Bun
    ['Invalid status code: 503', 503], // Deno
    [
      'Uncaught TypeError: Failed to establish the WebSocket connection: expected server to reply with HTTP status code 101 (switching protocols), but received 401 instead.',
      401,
    ], // workerd
  ])('reads %j', (message, status) => expect(refusedStatus(message)).toBe(status))

  it.each([[undefined], [''], ['socket hang up'], ['Unexpected server response: abc']])('says nothing for %j', (message) =>
    expect(refusedStatus(message)).toBeUndefined(),
  )
})

describe('tokenRefused', () => {
  it('a 401 always; an unexplained early close only where the status cannot be seen', () => {
    expect(tokenRefused(401, false, { seesHandshakeStatus: true })).toBe(true)
    expect(tokenRefused(503, false, { seesHandshakeStatus: false })).toBe(false)
    expect(tokenRefused(undefined, false, { seesHandshakeStatus: false })).toBe(true)
    expect(tokenRefused(undefined, false, { seesHandshakeStatus: true })).toBe(false)
    expect(tokenRefused(undefined, true, { seesHandshakeStatus: false })).toBe(false)
  })
})
