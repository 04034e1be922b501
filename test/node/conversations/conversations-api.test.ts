import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { AuthError, HttpError, NotFoundError, RateLimitError, ValidationError } from '../../../src/errors.js'
import { Conversation } from '../../../src/index.js'
import * as ex from '../../fixtures/conversation-examples.js'
import { BASE, capture, client, server, useServer, type Seen } from '../api-support.js'

useServer()

const ID = '4549300882243584'
const MEMBER = 'fc9b35cd-361f-41c6-9029-0944d21c7150'

/** Answers any conversation request with `body` and records what arrived. */
function route(body: unknown, status = 200) {
  const seen: Seen[] = []
  const reply = async ({ request }: { request: Request }) => (
    seen.push(await capture(request)), HttpResponse.json(body as never, { status })
  )
  server.use(http.all(`${BASE}/v1/conversations/*`, reply), http.all(`${BASE}/v1/conversations/:id`, reply))
  return seen
}

type Case = {
  name: string
  call: (id: string) => { api: (c: ReturnType<typeof client>) => Promise<unknown>; object: (c: Conversation) => Promise<unknown> }
  method: string
  path: string
  query?: Record<string, string>
  body?: unknown
  answer: unknown
}

const cases: Case[] = [
  {
    name: 'getConversation',
    call: (id) => ({ api: (c) => c.conversations.getConversation(id), object: (c) => c.getConversation() }),
    method: 'GET',
    path: '',
    answer: ex.conversation,
  },
  {
    name: 'getMessages',
    call: (id) => ({ api: (c) => c.conversations.getMessages(id), object: (c) => c.getMessages() }),
    method: 'GET',
    path: '/messages',
    answer: ex.messages,
  },
  {
    name: 'getMessages with verbose and sentiment',
    call: (id) => ({
      api: (c) => c.conversations.getMessages(id, { verbose: true, sentiment: true }),
      object: (c) => c.getMessages({ verbose: true, sentiment: true }),
    }),
    method: 'GET',
    path: '/messages',
    query: { verbose: 'true', sentiment: 'true' },
    answer: ex.messages,
  },
  {
    name: 'getMembers',
    call: (id) => ({ api: (c) => c.conversations.getMembers(id), object: (c) => c.getMembers() }),
    method: 'GET',
    path: '/members',
    answer: ex.members,
  },
  {
    name: 'getQuestions',
    call: (id) => ({ api: (c) => c.conversations.getQuestions(id), object: (c) => c.getQuestions() }),
    method: 'GET',
    path: '/questions',
    answer: ex.questions,
  },
  {
    name: 'getActionItems',
    call: (id) => ({ api: (c) => c.conversations.getActionItems(id), object: (c) => c.getActionItems() }),
    method: 'GET',
    path: '/action-items',
    answer: ex.actionItems,
  },
  {
    name: 'getFollowUps',
    call: (id) => ({ api: (c) => c.conversations.getFollowUps(id), object: (c) => c.getFollowUps() }),
    method: 'GET',
    path: '/follow-ups',
    answer: ex.followUps,
  },
  {
    name: 'getTopics with parentRefs',
    call: (id) => ({ api: (c) => c.conversations.getTopics(id, { parentRefs: true }), object: (c) => c.getTopics({ parentRefs: true }) }),
    method: 'GET',
    path: '/topics',
    query: { parentRefs: 'true' },
    answer: ex.topics,
  },
  {
    name: 'getTopics with sentiment and refresh',
    call: (id) => ({
      api: (c) => c.conversations.getTopics(id, { sentiment: true, refresh: true }),
      object: (c) => c.getTopics({ sentiment: true, refresh: true }),
    }),
    method: 'GET',
    path: '/topics',
    query: { sentiment: 'true', refresh: 'true' },
    answer: ex.topics,
  },
  {
    name: 'getEntities (DOCS22 shape)',
    call: (id) => ({ api: (c) => c.conversations.getEntities(id), object: (c) => c.getEntities() }),
    method: 'GET',
    path: '/entities',
    answer: ex.entities,
  },
  {
    name: 'getEntities (GO shape)',
    call: (id) => ({ api: (c) => c.conversations.getEntities(id), object: (c) => c.getEntities() }),
    method: 'GET',
    path: '/entities',
    answer: ex.groupedEntities,
  },
  {
    name: 'getTrackers',
    call: (id) => ({ api: (c) => c.conversations.getTrackers(id), object: (c) => c.getTrackers() }),
    method: 'GET',
    path: '/trackers-detected',
    answer: ex.trackers,
  },
  {
    name: 'getAnalytics',
    call: (id) => ({ api: (c) => c.conversations.getAnalytics(id), object: (c) => c.getAnalytics() }),
    method: 'GET',
    path: '/analytics',
    answer: ex.analytics,
  },
  {
    name: 'getSummary',
    call: (id) => ({ api: (c) => c.conversations.getSummary(id), object: (c) => c.getSummary() }),
    method: 'GET',
    path: '/summary',
    answer: ex.summary,
  },
  {
    name: 'getSummary with refresh',
    call: (id) => ({ api: (c) => c.conversations.getSummary(id, { refresh: true }), object: (c) => c.getSummary({ refresh: true }) }),
    method: 'GET',
    path: '/summary',
    query: { refresh: 'true' },
    answer: ex.summary,
  },
  {
    name: 'getFormattedTranscript (markdown)',
    call: (id) => {
      const params = {
        contentType: 'text/markdown',
        createParagraphs: true,
        phrases: { highlightAllKeyPhrases: true },
        showSpeakerSeparation: true,
      } as const
      return { api: (c) => c.conversations.getFormattedTranscript(id, params), object: (c) => c.getFormattedTranscript(params) }
    },
    method: 'POST',
    path: '/transcript',
    body: { contentType: 'text/markdown', createParagraphs: true, phrases: { highlightAllKeyPhrases: true }, showSpeakerSeparation: true },
    answer: ex.markdownTranscript,
  },
  {
    name: 'getFormattedTranscript (srt, object payload)',
    call: (id) => ({
      api: (c) => c.conversations.getFormattedTranscript(id, { contentType: 'text/srt' }),
      object: (c) => c.getFormattedTranscript({ contentType: 'text/srt' }),
    }),
    method: 'POST',
    path: '/transcript',
    body: { contentType: 'text/srt' },
    answer: ex.srtTranscriptObject,
  },
  {
    name: 'putMembers',
    call: (id) => ({
      api: (c) => c.conversations.putMembers(id, MEMBER, { name: 'John', email: 'john@example.com' }),
      object: (c) => c.putMembers(MEMBER, { name: 'John', email: 'john@example.com' }),
    }),
    method: 'PUT',
    path: `/members/${MEMBER}`,
    body: { id: MEMBER, name: 'John', email: 'john@example.com' },
    answer: ex.memberUpdated,
  },
  {
    name: 'putSpeakersEvents',
    call: (id) => ({
      api: (c) => c.conversations.putSpeakersEvents(id, ex.speakerEvents),
      object: (c) => c.putSpeakersEvents(ex.speakerEvents),
    }),
    method: 'PUT',
    path: '/speakers',
    body: ex.speakerEvents,
    answer: ex.speakersUpdated,
  },
  {
    name: 'delete',
    call: (id) => ({ api: (c) => c.conversations.delete(id), object: (c) => c.delete() }),
    method: 'DELETE',
    path: '',
    answer: ex.deleted,
  },
  {
    name: 'putMetadata',
    call: (id) => ({
      api: (c) => c.conversations.putMetadata(id, { label: 'Business' }),
      object: (c) => c.putMetadata({ label: 'Business' }),
    }),
    method: 'PUT',
    path: '',
    body: { metadata: { label: 'Business' } },
    answer: { id: ID, metadata: { label: 'Business' } },
  },
]

describe.each(cases)('$name', ({ call, method, path, query, body, answer }) => {
  it.each(['symbl.conversations', 'the Conversation object'])('via %s: exact request, parsed answer', async (via) => {
    const seen = route(answer)
    const c = client()
    const calls = call(ID)
    const result = via === 'symbl.conversations' ? await calls.api(c) : await calls.object(new Conversation(c, { conversationId: ID }))
    expect(result).toEqual(answer)
    expect(seen).toHaveLength(1)
    expect(seen[0].method).toBe(method)
    expect(seen[0].path).toBe(`/v1/conversations/${ID}${path}`)
    expect(seen[0].query).toEqual(query ?? {})
    expect(seen[0].headers.authorization).toBe('Bearer t')
    expect(seen[0].headers['x-api-key']).toBe('t')
    expect(seen[0].headers.accept).toBe('application/json')
    if (body === undefined) {
      expect(seen[0].text).toBe('')
    } else {
      expect(seen[0].headers['content-type']).toBe('application/json')
      expect(seen[0].json).toEqual(body)
    }
  })

  it('validates and encodes the conversationId', async () => {
    const seen = route(answer)
    await call('../oauth2').api(client())
    expect(seen[0].path).toBe(`/v1/conversations/..%2Foauth2${path}`)
    for (const bad of ['', '..', '.', undefined, 5815170693595136, 'a\nb']) {
      const error = await call(bad as never)
        .api(client())
        .catch((e: unknown) => e)
      expect(error, String(bad)).toBeInstanceOf(ValidationError)
      expect((error as Error).message).toMatch(/conversationId/)
    }
    expect(seen).toHaveLength(1)
  })
})

describe('errors are real', () => {
  it('404 → NotFoundError with the server message', async () => {
    route(ex.unknownConversation, 404)
    const error = await client()
      .conversations.getMessages(ID)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect((error as NotFoundError).serverMessage).toBe(ex.unknownConversation.message)
  })

  it('401 → AuthError after one token refresh', async () => {
    const seen = route({ message: 'Token validation failed for provided token.' }, 401)
    const error = await client()
      .conversations.getTopics(ID)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(seen).toHaveLength(2)
    expect(JSON.stringify(error)).not.toMatch(/Bearer t\b/)
  })

  it('429 → RateLimitError with the server message (after the retries)', async () => {
    route(ex.rateLimited, 429)
    const error = await client({ retry: 1 })
      .conversations.getAnalytics(ID)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).serverMessage).toBe(ex.rateLimited.message)
    expect((error as Error).message).toContain('concurrent jobs per account')
  })

  it('500 → HttpError after the retries (a PUT of the same member is idempotent)', async () => {
    const seen = route({ message: 'boom' }, 500)
    const error = await client({ retry: 2 })
      .conversations.putMembers(ID, MEMBER, { name: 'John' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(500)
    expect((error as HttpError).serverMessage).toBe('boom')
    expect(seen).toHaveLength(3)
  })

  it('delete of an unknown id answered with 400 and the documented text → NotFoundError', async () => {
    route(ex.unknownConversation, 400)
    await expect(client().conversations.delete(ID)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('summary before the job finished: NotFoundError (contract 4.13)', async () => {
    route({ message: 'Summary not found' }, 404)
    await expect(new Conversation(client(), { conversationId: ID }).getSummary()).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('bad arguments are refused before sending', () => {
  it.each([
    [
      'getTopics with sentiment and parentRefs',
      (c: ReturnType<typeof client>) => c.conversations.getTopics(ID, { sentiment: true, parentRefs: true }),
      /cannot be combined/,
    ],
    [
      'getMessages with params that are not an object',
      (c: ReturnType<typeof client>) => c.conversations.getMessages(ID, 'verbose' as never),
      /params must be an object/,
    ],
    [
      'getFormattedTranscript without contentType',
      (c: ReturnType<typeof client>) => c.conversations.getFormattedTranscript(ID, {} as never),
      /contentType 'text\/markdown' or 'text\/srt'/,
    ],
    [
      'getFormattedTranscript with text/plain',
      (c: ReturnType<typeof client>) => c.conversations.getFormattedTranscript(ID, { contentType: 'text/plain' } as never),
      /got the string "text\/plain"/,
    ],
    [
      'getFormattedTranscript srt with phrases',
      (c: ReturnType<typeof client>) =>
        c.conversations.getFormattedTranscript(ID, { contentType: 'text/srt', phrases: { highlightAllKeyPhrases: true } }),
      /markdown only/,
    ],
    ['putMembers without name', (c: ReturnType<typeof client>) => c.conversations.putMembers(ID, MEMBER, {} as never), /params.name/],
    [
      'putMembers with a mismatched id',
      (c: ReturnType<typeof client>) => c.conversations.putMembers(ID, MEMBER, { id: 'other', name: 'x' }),
      /differs from memberId/,
    ],
    [
      'putMembers with memberId ..',
      (c: ReturnType<typeof client>) => c.conversations.putMembers(ID, '..', { name: 'x' }),
      /memberId ".." is not a valid id/,
    ],
    [
      'putMembers with a numeric memberId',
      (c: ReturnType<typeof client>) => c.conversations.putMembers(ID, 12 as never, { name: 'x' }),
      /memberId must be a string/,
    ],
    [
      'putSpeakersEvents with no events',
      (c: ReturnType<typeof client>) => c.conversations.putSpeakersEvents(ID, { speakerEvents: [] }),
      /non-empty array/,
    ],
    [
      'putSpeakersEvents with nanos over a second',
      (c: ReturnType<typeof client>) =>
        c.conversations.putSpeakersEvents(ID, {
          speakerEvents: [{ type: 'started_speaking', user: { name: 'D' }, offset: { seconds: 0, nanos: 5_000_000_000 } }],
        }),
      /speakerEvents\[0\].*nanos 0–999999999/,
    ],
  ])('%s', async (_name, run, message) => {
    const error = await run(client()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
  })

  it('encodes a memberId such as ../../oauth2', async () => {
    const seen = route(ex.memberUpdated)
    await client().conversations.putMembers(ID, '../../oauth2', { name: 'x' })
    expect(seen[0].path).toBe(`/v1/conversations/${ID}/members/..%2F..%2Foauth2`)
    expect(seen[0].json).toEqual({ id: '../../oauth2', name: 'x' })
  })
})

describe('list and putMetadata', () => {
  it('list sends its filters in the query string and parses the list', async () => {
    const seen: Seen[] = []
    server.use(
      http.get(
        `${BASE}/v1/conversations`,
        async ({ request }) => (seen.push(await capture(request)), HttpResponse.json({ conversations: [ex.conversation] })),
      ),
    )
    const result = await client().conversations.list({ limit: 5, offset: 10, order: 'desc', filter: 'name==Weekly*' })
    expect(result.conversations).toEqual([ex.conversation])
    expect(seen[0].method).toBe('GET')
    expect(seen[0].path).toBe('/v1/conversations')
    expect(seen[0].query).toEqual({ limit: '5', offset: '10', order: 'desc', filter: 'name==Weekly*' })
  })

  it.each([
    [{ limit: 0 }, /list: params\.limit must be a positive integer/],
    [{ offset: -1 }, /list: params\.offset must be an integer of 0 or more/],
    [{ order: 'up' }, /list: params\.order must be 'asc' or 'desc'/],
  ])('list refuses %j', async (params, message) => {
    await expect(client().conversations.list(params as never)).rejects.toThrow(message)
  })

  it('putMetadata refuses anything but an object, and Conversation has no list()', async () => {
    await expect(client().conversations.putMetadata(ID, [] as never)).rejects.toThrow(/putMetadata: metadata must be an object/)
    expect('list' in new Conversation(client(), { conversationId: ID })).toBe(false)
  })
})
