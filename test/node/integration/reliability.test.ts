// Reliability with the emulator's fault injection: which failures are retried (reads: 5xx and
// timeouts; job-creating POSTs: only 429), what the emulator saw, and timeouts from latency.
import { afterEach, describe, expect, it } from 'vitest'
import { AuthError, HttpError, RateLimitError, TimeoutError } from '../../../src/errors.js'
import { fast, seenSince, textMessages, twoBurstWav, useEmulator } from './helpers.js'

const env = useEmulator()
const WAV = twoBurstWav()
afterEach(() => env.emu.faults.clear())

async function conversationId(): Promise<string> {
  return (await env.symbl.text.process({ messages: textMessages().slice(0, 2) }, fast)).conversationId
}

describe('reads (GET, PUT, DELETE) retry on server errors', () => {
  it('a 503 on a GET is retried and succeeds', async () => {
    const id = await conversationId()
    env.emu.faults.failNext({ method: 'GET', path: '/v1/conversations/:id/messages', status: 503 })
    const mark = env.requests.length
    const { messages } = await env.symbl.conversations.getMessages(id)
    expect(messages).toHaveLength(2)
    expect(seenSince(env, mark, 'GET', /\/messages$/)).toBe(2)
  })

  it('more 503s than retries: an HttpError 503 with the server message after 1 + limit attempts', async () => {
    const id = await conversationId()
    env.emu.faults.failNext({ method: 'GET', path: '/v1/conversations/:id/analytics', status: 503, times: 5 })
    const mark = env.requests.length
    const error = (await env.symbl.conversations.getAnalytics(id).catch((e: unknown) => e)) as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error.status).toBe(503)
    expect(error.serverMessage).toBe('Injected failure (503).')
    expect(seenSince(env, mark, 'GET', /\/analytics$/)).toBe(3)
  })

  it('a 500 on a PUT is retried (it is idempotent)', async () => {
    const id = await conversationId()
    const { members } = await env.symbl.conversations.getMembers(id)
    env.emu.faults.failNext({ method: 'PUT', path: '/v1/conversations/:id/members/:member', status: 500 })
    const mark = env.requests.length
    await env.symbl.conversations.putMembers(id, members[0].id, { name: 'Renamed' })
    expect(seenSince(env, mark, 'PUT', /\/members\//)).toBe(2)
    expect((await env.symbl.conversations.getMembers(id)).members[0].name).toBe('Renamed')
  })

  it('job polling rides out failing status calls', async () => {
    env.emu.faults.failNext({ method: 'GET', path: '/v1/job/:id', status: 503, times: 4 })
    const mark = env.requests.length
    const conversation = await env.symbl.text.process({ messages: textMessages().slice(0, 1) }, fast)
    expect(conversation.status).toBe('completed')
    expect(seenSince(env, mark, 'GET', /^\/v1\/job\//)).toBeGreaterThanOrEqual(5)
  })

  it('a 401 on a GET: one token refresh and one retry', async () => {
    const id = await conversationId()
    env.emu.faults.failNext({ method: 'GET', path: '/v1/conversations/:id/members', status: 401 })
    const mark = env.requests.length
    expect((await env.symbl.conversations.getMembers(id)).members).toHaveLength(2)
    expect(seenSince(env, mark, 'POST', /^\/oauth2\/token:generate$/)).toBe(1)
    // Two 401s in a row: the second is final.
    env.emu.faults.failNext({ method: 'GET', path: '/v1/conversations/:id/members', status: 401, times: 2 })
    await expect(env.symbl.conversations.getMembers(id)).rejects.toBeInstanceOf(AuthError)
  })
})

describe('job-creating POSTs', () => {
  it('a 503 on POST /v1/process/text is not retried: the emulator saw one request, no job was created', async () => {
    env.emu.faults.failNext({ method: 'POST', path: '/v1/process/text', status: 503 })
    const mark = env.requests.length
    const jobs = env.emu.core.store.jobs.size
    const error = await env.symbl.text.process({ messages: textMessages() }, fast).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(503)
    expect(seenSince(env, mark, 'POST', /^\/v1\/process\/text$/)).toBe(1)
    expect(env.emu.core.store.jobs.size).toBe(jobs)
  })

  it('a 503 on an upload is not re-sent either', async () => {
    env.emu.faults.failNext({ method: 'POST', path: '/v1/process/audio', status: 503 })
    const mark = env.requests.length
    await expect(env.symbl.audio.processFile(Buffer.from(WAV), { contentType: 'audio/wav' })).rejects.toMatchObject({ status: 503 })
    expect(seenSince(env, mark, 'POST', /^\/v1\/process\/audio$/)).toBe(1)
  })

  it('a 503 on a URL submission and on a text append is not retried', async () => {
    const id = await conversationId()
    env.emu.faults.failNext({ path: /^\/v1\/process\//, status: 502, times: 2 })
    const mark = env.requests.length
    await expect(env.symbl.audio.processUrl({ url: 'https://example.com/a.mp3' })).rejects.toMatchObject({ status: 502 })
    await expect(env.symbl.text.append({ messages: textMessages().slice(0, 1) }, id)).rejects.toMatchObject({ status: 502 })
    expect(seenSince(env, mark, 'POST', /^\/v1\/process\//) + seenSince(env, mark, 'PUT', /^\/v1\/process\//)).toBe(2)
  })

  it('a 429 on POST is retried (nothing was created) and succeeds', async () => {
    env.emu.faults.failNext({ method: 'POST', path: '/v1/process/text', status: 429 })
    const mark = env.requests.length
    const conversation = await env.symbl.text.process({ messages: textMessages() }, fast)
    expect(conversation.status).toBe('completed')
    expect(seenSince(env, mark, 'POST', /^\/v1\/process\/text$/)).toBe(2)
  })

  it('a 429 on an upload re-sends the bytes and succeeds', async () => {
    env.emu.faults.failNext({ method: 'POST', path: '/v1/process/audio', status: 429 })
    const mark = env.requests.length
    const conversation = await env.symbl.audio.processFile(Buffer.from(WAV), { ...fast, contentType: 'audio/wav' })
    expect((await conversation.getMessages()).messages).toHaveLength(2)
    expect(seenSince(env, mark, 'POST', /^\/v1\/process\/audio$/)).toBe(2)
  })

  it('429 every time: a RateLimitError with the contract body after 1 + limit attempts', async () => {
    env.emu.faults.failNext({ method: 'POST', path: '/v1/process/text', status: 429, times: 5 })
    const mark = env.requests.length
    const error = (await env.symbl.text.process({ messages: textMessages() }).catch((e: unknown) => e)) as RateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.serverMessage).toMatch(/concurrent/i)
    expect(seenSince(env, mark, 'POST', /^\/v1\/process\/text$/)).toBe(3)
  })
})

describe('latency and the client timeout', () => {
  it('a GET slower than `timeout` is a TimeoutError after the retries', async () => {
    const id = await conversationId()
    env.emu.faults.addLatency({ method: 'GET', path: '/v1/conversations/:id/messages', ms: 400 })
    const symbl = env.client({ timeout: 60 })
    const mark = env.requests.length
    const error = await symbl.conversations.getMessages(id).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as TimeoutError).message).toMatch(/no answer within 60 ms/)
    expect(seenSince(env, mark, 'GET', /\/messages$/)).toBe(3)
  })

  it('a job-creating POST that times out is not retried (it may have created the job)', async () => {
    env.emu.faults.addLatency({ method: 'POST', path: '/v1/process/text', ms: 300 })
    const symbl = env.client({ timeout: 60 })
    const mark = env.requests.length
    await expect(symbl.text.process({ messages: textMessages() })).rejects.toBeInstanceOf(TimeoutError)
    expect(seenSince(env, mark, 'POST', /^\/v1\/process\/text$/)).toBe(1)
  })

  it('latency below the timeout only slows things down', async () => {
    const id = await conversationId()
    env.emu.faults.addLatency(30)
    const symbl = env.client({ timeout: 2000 })
    expect((await symbl.conversations.getMessages(id)).messages).toHaveLength(2)
  })
})
