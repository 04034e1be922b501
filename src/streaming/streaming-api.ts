import type { SymblClient } from '../client.js'
import type { StreamingConnection } from './connection.js'
import type { StreamingOptions } from './types.js'
import { ValidationError } from '../errors.js'
import { isObject } from '../http/check.js'
import { loadPart } from '../utils/load-part.js'
import { MAX_DELAY_MS, timeoutMs } from '../utils/duration.js'

/** The Streaming API (contract 6): real-time conversations over a WebSocket. */
export class StreamingApi {
  constructor(readonly client: SymblClient) {}

  /**
   * Opens a connection, sends `start_request` once the socket is open and resolves when the server
   * has started the conversation (`connection.conversationId` is then known). Rejects with a
   * `ValidationError` for bad options, a `ConnectionError` for a refused handshake, a bad token or
   * an `error` frame, and a `TimeoutError` after `timeout` (`startTimeoutMs`).
   */
  async startConnection(options: StreamingOptions = {}): Promise<StreamingConnection> {
    const calledAt = typeof performance !== 'undefined' ? performance.now() : undefined // stats(): times count from here
    const start = startOptions(options)
    // Loaded on first use: the connection is most of the streaming code, and a page that creates
    // the client for other areas (or before the user presses "start") should not download it.
    const { StreamingConnection } = await loadPart('the streaming connection', () => import('./connection.js'))
    return new StreamingConnection(this.client, start, calledAt).start()
  }
}

/** `timeout` (the shared call option) is `startTimeoutMs` for the connection; `false` is the longest a timer waits. */
function startOptions(options: StreamingOptions): StreamingOptions {
  if (!isObject(options) || options.timeout === undefined) return options
  const { timeout, ...rest } = options
  const ms = timeoutMs('startConnection: options.timeout', timeout)
  if (rest.startTimeoutMs !== undefined)
    throw new ValidationError('startConnection takes `timeout` or `startTimeoutMs`, not both: they are the same, the time allowed to start')
  return { ...rest, startTimeoutMs: ms === false ? MAX_DELAY_MS : ms }
}
