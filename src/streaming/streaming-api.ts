import type { SymblClient } from '../client.js'
import { StreamingConnection } from './connection.js'
import type { StreamingOptions } from './types.js'

/** The Streaming API (contract 6): real-time conversations over a WebSocket. */
export class StreamingApi {
  constructor(readonly client: SymblClient) {}

  /**
   * Opens a connection, sends `start_request` once the socket is open and resolves when the server
   * has started the conversation (`connection.conversationId` is then known). Rejects with a
   * `ValidationError` for bad options, a `ConnectionError` for a refused handshake, a bad token or
   * an `error` frame, and a `TimeoutError` after `startTimeoutMs`.
   */
  startConnection(options: StreamingOptions = {}): Promise<StreamingConnection> {
    try {
      return new StreamingConnection(this.client, options).start()
    } catch (error) {
      return Promise.reject(error)
    }
  }
}
