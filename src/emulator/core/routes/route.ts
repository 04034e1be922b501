// What a route is, and the helpers route files share. Its own module so that the route files
// and the table in index.ts import in one direction only (no cycle).

import type { EmulatorCore } from '../core.js'
import type { CoreResponse, HeaderBag } from '../http.js'

export interface RouteContext {
  core: EmulatorCore
  params: Record<string, string>
  /** The request token's scope (tokens.ts); undefined on public routes without a valid token. */
  scope?: string
  query: URLSearchParams
  headers: HeaderBag
  body: AsyncIterable<Uint8Array> | null
  /** Reads and parses a JSON object body (400/413 on failure). */
  json(): Promise<Record<string, unknown>>
}

export interface Route {
  method: string
  pattern: RegExp
  public?: boolean
  handler(ctx: RouteContext): Promise<CoreResponse> | CoreResponse
}

export const ok = (body: unknown, status = 200): CoreResponse => ({ status, body })
