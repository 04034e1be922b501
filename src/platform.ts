// The few things that differ between Node and browsers, as an interface the core receives from
// the entry point (src/node.ts or src/browser.ts). The core never imports a runtime module itself.
import type { MicrophoneHandle, MicrophoneOptions } from './audio/microphone.js'

/** The subset of the WHATWG WebSocket that the SDK uses; `ws` and browsers both provide it. */
export interface WebSocketLike {
  readonly readyState: number
  readonly bufferedAmount: number
  readonly protocol: string
  binaryType: string
  send(data: string | ArrayBufferLike | ArrayBufferView): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: { code: number; reason: string; wasClean?: boolean }) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: unknown) => WebSocketLike

export interface Platform {
  /** For messages only ("the browser platform …"); code asks the capabilities below instead. */
  readonly name: 'node' | 'browser' | 'bun' | 'deno' | 'worker'
  /**
   * Whether a refused WebSocket handshake shows its HTTP status. `ws` on Node reports "Unexpected
   * server response: 401"; browsers show any refusal only as close 1006, so there a refused
   * handshake may have been the token.
   */
  readonly seesHandshakeStatus: boolean
  /**
   * Whether a request body can be a stream. Browsers cannot stream one over HTTP/1.1, so a
   * `ReadableStream` to upload is collected into a Blob first (which can then be re-sent).
   */
  readonly streamsRequestBodies: boolean
  /**
   * Whether the runtime's requests are subject to CORS (a page or a Web Worker: an unreachable
   * server and a refused cross-origin answer look the same there, so a network error mentions both).
   */
  readonly enforcesCors: boolean
  /**
   * Opens a socket carrying the token the way the runtime allows (contract 2.2): a handshake
   * header on Node, the subprotocol (or `access_token` query) in browsers.
   */
  openWebSocket(url: string, token: string, impl: WebSocketConstructor | undefined): Promise<WebSocketLike>
  /**
   * Turns a runtime-specific file (a path or Node stream on Node) into an upload source; resolves
   * undefined for a value it does not know. Web types (Blob, bytes, ReadableStream) never get here.
   */
  openUpload?(file: unknown): Promise<UploadSource | undefined>
  /** Sends one upload request the way the runtime can stream it and report progress. */
  upload?(request: UploadRequest): Promise<Response>
  /** Browsers: microphone capture (src/audio/microphone.ts, loaded on first use). */
  captureMicrophone?(options: MicrophoneOptions): Promise<MicrophoneHandle>
  /**
   * Node: the bytes of a file, read on demand. Checks the path first: a missing file, a directory
   * or an unreadable file rejects with a ValidationError before anything is read.
   */
  readFile?(path: string): Promise<AsyncIterable<Uint8Array>>
}

export type UploadBody = Blob | Uint8Array | ReadableStream<Uint8Array>

/** A file ready to upload. */
export interface UploadSource {
  body: UploadBody
  /** Bytes, when known (sent as Content-Length). */
  size?: number
  /** A file name, used to infer the media type. */
  name?: string
  /** A media type the source itself declares (`File.type`). */
  type?: string
  /**
   * A fresh body for another attempt (after a 401 or 429). Absent for one-shot streams, which
   * are therefore never re-sent.
   */
  reopen?: () => Promise<UploadBody>
}

export interface UploadRequest {
  url: string
  method: 'POST' | 'PUT'
  headers: Record<string, string>
  body: UploadBody
  size: number | undefined
  signal: AbortSignal
  /** Called with the running total of bytes handed to the network. */
  onProgress: (sentBytes: number) => void
  /**
   * Called by a transport that cannot report progress before the answer (a browser's fetch sends
   * a Blob whole): the stall timeout stops for this attempt, since a slow but healthy upload would
   * look stalled. The caller's signal still ends it.
   */
  noProgress?: () => void
  /** The client's fetch: the user's (the `fetch` option) when `fetchInjected`, else the runtime's. */
  fetch: typeof fetch
  /** The user passed `fetch`: the upload goes through it instead of the platform's own transport. */
  fetchInjected?: boolean
}

/** RFC 6455 subprotocols must be HTTP tokens; JWTs are. */
export function isSubprotocolSafe(token: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(token)
}

export function withQuery(url: string, key: string, value: string): string {
  return `${url + (url.includes('?') ? '&' : '?')}${key}=${encodeURIComponent(value)}`
}
