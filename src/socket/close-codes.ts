// The reconnect rule of both socket kinds, as plain functions (unit-tested over the close-code
// table in test/node/socket/close-codes.test.ts).
//
// Contract 6.8: Symbl's own JS SDK, which ran against the live service for years, counts only
// close code 1000 as a clean end; any other code (1001, 1005, 1006, 1011, 4xxx, and 3006, the code
// a client closes with when `__PING__` goes unanswered) makes it reconnect to the same id. The
// server ends a finished conversation or call with 1000.

/** Whether a socket that closed with `code` was lost (worth opening again) rather than ended by the server. */
export function isRecoverableClose(code: number): boolean {
  return code !== 1000
}

/**
 * Whether attempt number `attempt` (1-based, counting failed attempts in a row) should be made
 * after a socket closed with `closeCode`: the close was a loss (see isRecoverableClose) and the
 * policy allows that many attempts. `closeCode` is undefined for an attempt that failed before
 * its socket opened (the token, the connection, the handshake, a deadline): that is always a loss.
 */
export function shouldReconnect(closeCode: number | undefined, attempt: number, maxAttempts: number): boolean {
  return (closeCode === undefined || isRecoverableClose(closeCode)) && attempt <= maxAttempts
}
