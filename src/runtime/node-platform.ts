import type { Platform, WebSocketConstructor, WebSocketLike } from '../platform.js'
import { bunPlatform } from './bun-platform.js'
import { denoPlatform } from './deno-platform.js'
import { openInjected } from './open-socket.js'

let wsModule: Promise<WebSocketConstructor> | undefined

/**
 * Node: sockets come from `ws` (through isomorphic-ws), loaded on first use so a script that only
 * makes REST calls never pays for it. `ws` can send the token as the `X-API-KEY` handshake header,
 * as Symbl's Go and Python SDKs do.
 */
const node: Platform = {
  name: 'node',
  seesHandshakeStatus: true,
  streamsRequestBodies: true,
  enforcesCors: false,
  async openWebSocket(url: string, token: string, impl: WebSocketConstructor | undefined): Promise<WebSocketLike> {
    if (impl) return openInjected(impl, url, token)
    wsModule ??= import('isomorphic-ws').then((m) => (m.default ?? m) as unknown as WebSocketConstructor)
    const WS = await wsModule
    return new WS(url, undefined, { headers: { 'X-API-KEY': token } })
  },
  // Paths, Node streams and the node:http upload transport, loaded on the first upload only. A
  // `fetch` the user injected (a proxy agent, instrumentation) is used instead, the body streamed.
  async openUpload(file) {
    return (await import('../async/upload-node.js')).openNodeUpload(file)
  },
  async upload(request) {
    if (request.fetchInjected) return (await import('../async/upload-fetch.js')).fetchUpload(request, 'stream')
    return (await import('../async/upload-node.js')).httpUpload(request)
  },
  // Files for sendAudioFromFile, loaded on first use. No captureMicrophone: Node has no microphone API.
  async readFile(path) {
    return (await import('./node-files.js')).readFileChunks(path)
  },
}

/**
 * The Node entry's platform for the runtime it runs on: Bun and Deno resolve the package's `node`
 * condition too, and get their own WebSocket and fetch (src/runtime/bun-platform.ts, deno-platform.ts).
 */
export const nodePlatform: Platform = 'Bun' in globalThis ? bunPlatform(node) : 'Deno' in globalThis ? denoPlatform(node) : node
