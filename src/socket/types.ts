// The options of a socket's reconnection and keep-alive, the same for a streaming connection
// (`startConnection({ reconnect, keepAlive })`) and a call's subscription (`telephony.socketOptions`).
// Re-exported by src/streaming/types.ts, where the public API names them.

export interface ReconnectOptions {
  /** Failed attempts in a row before the connection gives up. Default 8. */
  maxAttempts?: number
  /** Delay before the first attempt, doubled each time, with jitter, in ms (0 to 2 147 483 647).
   * @default 500
   */
  initialDelayMs?: number
  /** Cap on one delay, in ms (0 to 2 147 483 647).
   * @default 10000
   */
  maxDelayMs?: number
}

export interface KeepAliveOptions {
  /** How often `__PING__` is sent, in ms (above 0, at most 2 147 483 647); what Symbl's JS SDK does by default.
   * @default 30500
   */
  intervalMs?: number
  /** How long without any frame from the server after a ping before the socket counts as dead, in ms (above 0, at most 2 147 483 647).
   * @default 30000
   */
  timeoutMs?: number
}
