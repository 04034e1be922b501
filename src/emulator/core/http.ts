// REST dispatch shared by both fronts: latency and failure faults, routing (404/405), auth (401),
// body limits (413), JSON parsing (400), and a catch-all so bad input never crashes the emulator.

import type { EmulatorCore } from './core.js'
import { ApiError, badRequest, payloadTooLarge, tooManyJobs, unauthorized } from './errors.js'
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-limits.js'
import { ROUTES, type Route, type RouteContext } from './routes/index.js'
import { TimersDisposed } from './time.js'

export interface HeaderBag {
  get(name: string): string | null
}

export interface CoreRequest {
  method: string
  url: URL
  headers: HeaderBag
  /** The request body as chunks; null when there is none. */
  body: AsyncIterable<Uint8Array> | null
}

export interface CoreResponse {
  status: number
  /** JSON-serialisable body; a string when `contentType` is set. */
  body: unknown
  /** Set for the few non-JSON answers (the HTML pages behind summary/insights URLs); JSON otherwise. */
  contentType?: string
}

function defaultBody(status: number, core: EmulatorCore): Record<string, unknown> {
  if (status === 429) return tooManyJobs(core.jobs.maxConcurrent).body
  if (status === 401) return unauthorized().body
  return { message: `Injected failure (${status}).` }
}

/** The token of an `Authorization: Bearer <t>` header, if any. */
export function bearerToken(headers: HeaderBag): string | undefined {
  return (
    headers
      .get('authorization')
      ?.match(/^Bearer\s+(.+)$/i)?.[1]
      ?.trim() || undefined
  )
}

/** REST token: `Authorization: Bearer <t>` or `x-api-key: <t>` (contract 2.2). */
export function restToken(headers: HeaderBag): string | undefined {
  return bearerToken(headers) || headers.get('x-api-key')?.trim() || undefined
}

/** A path segment, percent-decoded; undefined when its encoding is malformed (`%E0%A4%A`, a lone `%`). */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

export async function readBody(body: AsyncIterable<Uint8Array> | null, limit: number, declared: string | null): Promise<Uint8Array> {
  if (declared && Number(declared) > limit) throw payloadTooLarge(limit)
  if (!body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > limit) throw payloadTooLarge(limit)
    chunks.push(chunk)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

function match(method: string, path: string): { route?: Route; params?: Record<string, string>; wrongMethod: boolean } {
  let wrongMethod = false
  for (const route of ROUTES) {
    const m = route.pattern.exec(path)
    if (!m) continue
    if (route.method !== method) {
      wrongMethod = true
      continue
    }
    const params: Record<string, string> = {}
    for (const [k, v] of Object.entries(m.groups ?? {})) {
      const decoded = decodeSegment(v)
      // Bad input, not an emulator failure: 400 rather than the catch-all 500.
      if (decoded === undefined) throw badRequest(`Malformed percent-encoding in the URL path: "${v}".`)
      params[k] = decoded
    }
    return { route, params, wrongMethod: false }
  }
  return { wrongMethod }
}

export async function handleRequest(core: EmulatorCore, req: CoreRequest): Promise<CoreResponse> {
  const method = req.method.toUpperCase()
  const path = req.url.pathname.replace(/\/+$/, '') || '/'
  try {
    await core.timers.sleep(core.faults.latencyFor(method, path))
    const failure = core.faults.takeFailure(method, path)
    if (failure) return { status: failure.status, body: failure.body ?? defaultBody(failure.status, core) }
    const { route, params, wrongMethod } = match(method, path)
    if (!route) {
      if (wrongMethod) return { status: 405, body: { message: `Method ${method} is not allowed on ${path}.` } }
      return { status: 404, body: { message: `No route for ${method} ${path}.` } }
    }
    // The token's scope (its app pair): routes show only what that scope created (tokens.ts).
    const scope = core.tokens.scopeOf(restToken(req.headers))
    if (!route.public && !scope) throw unauthorized()
    let jsonCache: Record<string, unknown> | undefined
    const ctx: RouteContext = {
      core,
      params: params ?? {},
      scope,
      query: req.url.searchParams,
      headers: req.headers,
      body: req.body,
      json: async () => {
        if (jsonCache) return jsonCache
        const bytes = await readBody(req.body, core.maxJsonBytes, req.headers.get('content-length'))
        const text = new TextDecoder().decode(bytes)
        if (!text.trim()) throw badRequest('Request body is required.')
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          throw badRequest('Request body is not valid JSON.')
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('Request body must be a JSON object.')
        // Before any route keeps part of it: a value too deep to serialise again would poison every later answer.
        if (nestedDeeperThan(parsed, MAX_JSON_DEPTH))
          throw badRequest(`Request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep: flatten it (e.g. "metadata").`)
        jsonCache = parsed as Record<string, unknown>
        return jsonCache
      },
    }
    return await route.handler(ctx)
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body }
    if (e instanceof TimersDisposed) return { status: 503, body: { message: e.message } }
    // Never crash on input: anything unexpected is a 500 with a message.
    return { status: 500, body: { message: 'Internal emulator error.', details: e instanceof Error ? e.message : String(e) } }
  }
}
