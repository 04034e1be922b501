import type { SymblClient } from '../client.js'
import type { StreamingConnection } from './connection.js'
import type { StreamingOptions } from './types.js'
import { loadPart } from '../utils/load-part.js'

/** The Streaming API (contract 6): real-time conversations over a WebSocket. */
export class StreamingApi {
  constructor(readonly client: SymblClient) {}

  /**
   * Opens a connection, sends `start_request` once the socket is open and resolves when the server
   * has started the conversation (`connection.conversationId` is then known). Rejects with a
   * `ValidationError` for bad options, a `ConnectionError` for a refused handshake, a bad token or
   * an `error` frame, and a `TimeoutError` after `startTimeoutMs`.
   */
  async startConnection(options: StreamingOptions = {}): Promise<StreamingConnection> {
    // Loaded on first use: the connection is most of the streaming code, and a page that creates
    // the client for other areas (or before the user presses "start") should not download it.
    const { StreamingConnection } = await loadPart('the streaming connection', () => import('./connection.js'))
    return new StreamingConnection(this.client, options).start()
  }
}
