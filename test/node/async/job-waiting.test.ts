import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HttpError, JobError, NotFoundError, ValidationError } from '../../../src/errors.js'
import type { Conversation, JobStatus } from '../../../src/index.js'
import { BASE, JOB, asyncRoutes, client, fast, server, useServer } from '../api-support.js'

useServer()
afterEach(() => vi.restoreAllMocks())

const payload = { messages: [{ payload: { content: 'Hello there' } }] }
const onceSettled = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => e,
  )

describe('wait: true (the default)', () => {
  it('resolves once GET /v1/job/{jobId} says completed, reporting each status change', async () => {
    const { state } = asyncRoutes(['scheduled', 'in_progress', 'in_progress', 'completed'])
    const statuses: JobStatus[] = []
    const conversation = await client().text.process(payload, { ...fast, onStatus: (s) => statuses.push(s) })
    expect(state.statusCalls).toBe(4)
    expect(statuses).toEqual(['scheduled', 'in_progress', 'completed'])
    expect(conversation.status).toBe('completed')
  })

  it('asks for the job by its id, with auth', async () => {
    const seen: string[] = []
    asyncRoutes()
    server.use(
      http.get(
        `${BASE}/v1/job/:id`,
        ({ request, params }) => (
          seen.push(`${params.id} ${request.headers.get('authorization')}`), HttpResponse.json({ id: params.id, status: 'completed' })
        ),
      ),
    )
    await client().text.process(payload, fast)
    expect(seen).toEqual([`${JOB.jobId} Bearer t`])
  })

  it('rejects with a JobError carrying both ids when the job fails', async () => {
    asyncRoutes(['in_progress', 'failed'])
    const error = await client()
      .text.process(payload, fast)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobError)
    expect(error).toMatchObject({ code: 'job_failed', jobId: JOB.jobId, conversationId: JOB.conversationId, status: 'failed' })
    expect((error as Error).message).toMatch(/Job 9b1deb4d.* of conversation 5815170693595136 failed/)
  })

  it('gives up on a job that never ends with a job_timeout error naming the option', async () => {
    const { state } = asyncRoutes(['in_progress'])
    const error = await client()
      .text.process(payload, { ...fast, waitTimeout: 60 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobError)
    expect(error).toMatchObject({ code: 'job_timeout', jobId: JOB.jobId, status: 'in_progress' })
    expect((error as Error).message).toMatch(/did not finish within 60 ms \(last status: in_progress\).*waitTimeout/)
    expect(state.statusCalls).toBeGreaterThan(1)
  })

  it('polls fast first and backs off to the maximum', async () => {
    asyncRoutes(['in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'completed'])
    const spy = vi.spyOn(globalThis, 'setTimeout')
    await client({ timeout: false }).text.process(payload, { pollInterval: { initialMs: 4, maxMs: 20, factor: 2 }, waitTimeout: false })
    const delays = spy.mock.calls.map((c) => c[1]).filter((d) => typeof d === 'number' && d >= 4 && d <= 20)
    expect(delays).toEqual([4, 8, 16, 20, 20, 20])
  })

  it('tolerates transient failures of the status call', async () => {
    asyncRoutes()
    let calls = 0
    server.use(
      http.get(`${BASE}/v1/job/:id`, () => {
        calls++
        if (calls === 1) return HttpResponse.error()
        if (calls <= 3) return HttpResponse.json({ message: 'busy' }, { status: 503 })
        return HttpResponse.json({ id: JOB.jobId, status: 'completed' })
      }),
    )
    const conversation = await client({ retry: 0 }).text.process(payload, fast)
    expect(conversation.status).toBe('completed')
    expect(calls).toBe(4)
  })

  it('gives up after repeated transient failures with the last error', async () => {
    asyncRoutes()
    let calls = 0
    server.use(http.get(`${BASE}/v1/job/:id`, () => (calls++, HttpResponse.json({ message: 'down' }, { status: 502 }))))
    const error = await client({ retry: 0 })
      .text.process(payload, fast)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(502)
    expect(calls).toBe(6)
  })

  it('stops at once on a non-transient failure (unknown job)', async () => {
    asyncRoutes()
    let calls = 0
    server.use(http.get(`${BASE}/v1/job/:id`, () => (calls++, HttpResponse.json({ message: 'Job not found' }, { status: 404 }))))
    await expect(client().text.process(payload, fast)).rejects.toBeInstanceOf(NotFoundError)
    expect(calls).toBe(1)
  })

  it('stops polling when the signal aborts', async () => {
    const { state } = asyncRoutes(['in_progress'])
    const controller = new AbortController()
    const pending = client().text.process(payload, {
      ...fast,
      signal: controller.signal,
      onStatus: () => controller.abort(new Error('enough')),
    })
    await expect(pending).rejects.toThrow('enough')
    const calls = state.statusCalls
    await new Promise((r) => setTimeout(r, 60))
    expect(state.statusCalls).toBe(calls)
  })

  it('refuses bad polling settings', async () => {
    asyncRoutes()
    await expect(client().text.process(payload, { pollInterval: { initialMs: 0 } })).rejects.toThrow(ValidationError)
    await expect(client().text.process(payload, { waitTimeout: -5 })).rejects.toThrow(/waitTimeout must be a positive number/)
  })

  it('refuses bad polling settings before submitting, so no job is created whose ids the error would lose', async () => {
    const { seen, state } = asyncRoutes()
    const url = 'https://example.com/a.wav'
    await expect(client().text.process(payload, { pollInterval: { initialMs: 0 } })).rejects.toThrow(ValidationError)
    await expect(client().audio.processUrl({ url }, { waitTimeout: -5 })).rejects.toThrow(/waitTimeout must be a positive number/)
    // With wait: false the defaults are kept for later wait() calls: refused now, not at the first wait().
    await expect(client().text.append(payload, JOB.conversationId, { wait: false, pollInterval: { factor: 0.5 } })).rejects.toThrow(
      /pollInterval\.factor must be/,
    )
    expect(seen).toHaveLength(0)
    expect(state.statusCalls).toBe(0)
  })
})

describe('wait: false', () => {
  it('resolves right after submission, without polling', async () => {
    const { state } = asyncRoutes(['in_progress', 'completed'])
    const conversation = await client().text.process(payload, { wait: false })
    expect(conversation.conversationId).toBe(JOB.conversationId)
    expect(conversation.status).toBeUndefined()
    expect(state.statusCalls).toBe(0)
    expect(await conversation.getJobStatus()).toBe('in_progress')
    expect(conversation.status).toBe('in_progress')
  })

  it('wait() resolves with the conversation; concurrent waits share one polling loop', async () => {
    const { state } = asyncRoutes(['scheduled', 'in_progress', 'completed'])
    const conversation = await client().text.process(payload, { ...fast, wait: false })
    const seen: JobStatus[] = []
    conversation.onStatus((s) => seen.push(s))
    const [a, b] = await Promise.all([conversation.wait(), conversation.wait()])
    expect(a).toBe(conversation)
    expect(b).toBe(conversation)
    expect(state.statusCalls).toBe(3)
    expect(seen).toEqual(['scheduled', 'in_progress', 'completed'])
    await conversation.wait()
    expect(state.statusCalls).toBe(3)
  })

  it('onComplete fires once, also when registered after the job finished', async () => {
    asyncRoutes(['in_progress', 'completed'])
    const conversation = await client().text.process(payload, { ...fast, wait: false })
    const done = new Promise<Conversation>((resolve) => conversation.onComplete(resolve))
    const failed = vi.fn()
    conversation.onError(failed)
    expect(await done).toBe(conversation)
    const late = await new Promise<Conversation>((resolve) => conversation.onComplete(resolve))
    expect(late).toBe(conversation)
    expect(failed).not.toHaveBeenCalled()
  })

  it('onError fires with the JobError when the job fails, also when registered late; wait() rejects', async () => {
    asyncRoutes(['failed'])
    const conversation = await client().text.process(payload, { ...fast, wait: false })
    const completed = vi.fn()
    conversation.onComplete(completed)
    const error = await new Promise((resolve) => conversation.onError((e, c) => resolve([e, c])))
    expect(error).toEqual([expect.any(JobError), conversation])
    const late = await new Promise((resolve) => conversation.onError(resolve))
    expect(late).toMatchObject({ code: 'job_failed' })
    await expect(conversation.wait()).rejects.toMatchObject({ code: 'job_failed' })
    expect(completed).not.toHaveBeenCalled()
  })

  it('a timeout reaches onError, and a later wait() polls again and can still complete', async () => {
    const { state } = asyncRoutes([
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'completed',
    ])
    const conversation = await client().text.process(payload, { pollInterval: { initialMs: 5, maxMs: 5 }, waitTimeout: 12, wait: false })
    const error = await new Promise((resolve) => conversation.onError(resolve))
    expect(error).toMatchObject({ code: 'job_timeout' })
    await expect(conversation.wait({ waitTimeout: false })).resolves.toBe(conversation)
    expect(state.statusCalls).toBe(9)
  })

  it('a callback that throws does not break polling or other callbacks', async () => {
    asyncRoutes(['completed'])
    const conversation = await client().text.process(payload, { ...fast, wait: false })
    conversation.onComplete(() => {
      throw new Error('app bug')
    })
    await expect(conversation.wait()).resolves.toBe(conversation)
  })

  it('aborting one of two waiters keeps polling for the other; aborting the last stops it', async () => {
    const { state } = asyncRoutes(['in_progress'])
    const conversation = await client().text.process(payload, { ...fast, wait: false, waitTimeout: false })
    const first = new AbortController()
    const second = new AbortController()
    const a = onceSettled(conversation.wait({ signal: first.signal }))
    const b = onceSettled(conversation.wait({ signal: second.signal }))
    first.abort(new Error('a gone'))
    expect(await a).toMatchObject({ message: 'a gone' })
    const before = state.statusCalls
    await vi.waitFor(() => expect(state.statusCalls).toBeGreaterThan(before), { timeout: 5000, interval: 5 })
    second.abort(new Error('b gone'))
    expect(await b).toMatchObject({ message: 'b gone' })
    await new Promise((r) => setTimeout(r, 10))
    const stopped = state.statusCalls
    await new Promise((r) => setTimeout(r, 50))
    expect(state.statusCalls).toBe(stopped)
  })

  it('a wait() that joins a running loop keeps its own waitTimeout, and the loop goes on for the other waiter', async () => {
    const { state } = asyncRoutes(['in_progress'])
    const conversation = await client().text.process(payload, { ...fast, wait: false, waitTimeout: false })
    const forever = new AbortController()
    const first = onceSettled(conversation.wait({ signal: forever.signal }))
    const short = await conversation.wait({ waitTimeout: 30 }).catch((e: unknown) => e)
    expect(short).toBeInstanceOf(JobError)
    expect(short).toMatchObject({ code: 'job_timeout', status: 'in_progress' })
    const before = state.statusCalls
    await vi.waitFor(() => expect(state.statusCalls).toBeGreaterThan(before), { timeout: 5000, interval: 5 })
    forever.abort(new Error('done'))
    expect(await first).toMatchObject({ message: 'done' })
  })

  it('a conversation without a job (streaming) has nothing to wait for', async () => {
    const { Conversation } = await import('../../../src/index.js')
    const conversation = new Conversation(client(), { conversationId: '1' })
    await expect(conversation.wait()).resolves.toBe(conversation)
    expect(await conversation.getJobStatus()).toBeUndefined()
    expect(conversation.getJobId()).toBeUndefined()
  })
})
