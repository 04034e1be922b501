// Shared by the Async API and Conversation API contract tests: an msw server that refuses
// unhandled requests, a client, and a recorder of exactly what reached the server.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { Symbl } from '../../src/node.js'

export const BASE = 'https://api.symbl.test'
export const server = setupServer()

export function useServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
}

export function client(extra: Record<string, unknown> = {}): Symbl {
  return new Symbl({ baseUrl: BASE, accessToken: 't', retry: { baseDelayMs: 1 }, ...extra })
}

/** Polling settings that keep tests fast. */
export const fast = { pollInterval: { initialMs: 5, maxMs: 20 } }

export interface Seen {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: Uint8Array
  text: string
  json: unknown
}

/** Reads everything about a request that a contract test compares. */
export async function capture(request: Request): Promise<Seen> {
  const url = new URL(request.url)
  const body = new Uint8Array(await request.arrayBuffer())
  const text = new TextDecoder().decode(body)
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return {
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(request.headers),
    body,
    text,
    json,
  }
}

export const JOB = { conversationId: '5815170693595136', jobId: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d' }

/**
 * Answers every submission with JOB (201) and records it; `/v1/job/:id` walks through `statuses`
 * (the last one repeats). Returns the recorded submissions and the number of status calls.
 */
export function asyncRoutes(statuses: string[] = ['completed']) {
  const seen: Seen[] = []
  const state = { statusCalls: 0 }
  const submit = async ({ request }: { request: Request }) => {
    seen.push(await capture(request))
    return HttpResponse.json(JOB, { status: 201 })
  }
  server.use(
    http.post(`${BASE}/v1/process/*`, submit),
    http.put(`${BASE}/v1/process/*`, submit),
    http.get(`${BASE}/v1/job/:jobId`, ({ params }) => {
      const status = statuses[Math.min(state.statusCalls++, statuses.length - 1)]
      return HttpResponse.json({ id: params.jobId, status })
    }),
  )
  return { seen, state }
}
