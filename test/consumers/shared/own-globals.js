// For the Bun and Deno consumers: counts what goes through the runtime's own `fetch` and
// `WebSocket` (the globals, wrapped before the SDK is used), and uploads a WAV file by path, so
// the round trip shows the SDK used them rather than `ws` or node:http. Imports nothing from the package.
export function countOwnGlobals() {
  const counts = { fetch: 0, webSocket: 0, webSocketToken: [] }
  const ownFetch = globalThis.fetch
  globalThis.fetch = (...args) => {
    counts.fetch++
    return ownFetch(...args)
  }
  const OwnWebSocket = globalThis.WebSocket
  globalThis.WebSocket = class extends OwnWebSocket {
    constructor(url, protocolsOrOptions) {
      super(url, protocolsOrOptions)
      counts.webSocket++
      // How the token went: a handshake header (Bun's extension), the subprotocol, or the query.
      counts.webSocketToken.push(
        protocolsOrOptions?.headers?.['X-API-KEY']
          ? 'X-API-KEY header'
          : protocolsOrOptions
            ? 'subprotocol'
            : new URL(url).searchParams.has('access_token')
              ? 'access_token query'
              : 'none',
      )
    }
  }
  return counts
}

/** Uploads a WAV file by path (read through the runtime's node:fs, sent with its fetch) and waits for the job. */
export async function uploadFile(Symbl, path) {
  const symbl = new Symbl({})
  const conversation = await symbl.audio.processFile(path, { wait: true })
  if (!conversation.conversationId) throw new Error('audio.processFile: no conversation id')
  return conversation.conversationId
}
