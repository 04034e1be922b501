// The route table: every REST path of the contract.

import type { EmulatorCore } from '../core.js'
import type { CoreResponse, HeaderBag } from '../http.js'
import { asyncRoutes } from './async.js'
import { authRoutes } from './auth.js'
import { conversationRoutes } from './conversations.js'
import { experienceRoutes } from './experiences.js'
import { telephonyRoutes } from './telephony.js'

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

export const ROUTES: Route[] = [...authRoutes, ...asyncRoutes, ...telephonyRoutes, ...experienceRoutes, ...conversationRoutes]

export const ok = (body: unknown, status = 200): CoreResponse => ({ status, body })
