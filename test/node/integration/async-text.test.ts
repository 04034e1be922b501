// The Async Text API end to end: process and append a written two-speaker conversation, with
// wait true and false, callbacks and status listeners, and the options that reach the analysis.
import { describe, expect, it } from 'vitest'
import { JobError, NotFoundError, ValidationError } from '../../../src/errors.js'
import type { JobStatus } from '../../../src/async/job-waiter.js'
import { ANA, BEN, fast, QUESTION, TEXT_LINES, textMessages, useEmulator } from './helpers.js'

const env = useEmulator()

describe('text.process', () => {
  it('wait: true resolves once completed, through scheduled and in_progress, with the messages in order', async () => {
    const statuses: JobStatus[] = []
    const conversation = await env.symbl.text.process(
      { messages: textMessages(), name: 'Planning call' },
      { ...fast, onStatus: (s) => statuses.push(s) },
    )
    expect(conversation.status).toBe('completed')
    expect(statuses.at(-1)).toBe('completed')
    expect(new Set(statuses).size).toBe(statuses.length) // each status reported once
    const { messages } = await conversation.getMessages()
    expect(messages.map((m) => m.text)).toEqual(TEXT_LINES.map(([, text]) => text))
    expect(messages.map((m) => m.from?.name)).toEqual(TEXT_LINES.map(([who]) => who.name))
    expect(messages[0].startTime).toBe('2024-03-04T10:00:00.000Z')
    expect(messages[0].timeOffset).toBe(0)
    const info = await conversation.getConversation()
    expect(info).toMatchObject({ id: conversation.conversationId, name: 'Planning call' })
  })

  it('wait: false with onComplete and onStatus registered before the end, and onComplete after it', async () => {
    const statuses: JobStatus[] = []
    const conversation = await env.symbl.text.process(
      { messages: textMessages() },
      { ...fast, wait: false, onStatus: (s) => statuses.push(s) },
    )
    expect(conversation.status).toBeUndefined()
    const done = await new Promise((resolve) => conversation.onComplete(resolve))
    expect(done).toBe(conversation)
    expect(statuses).toContain('completed')
    let late = 0
    conversation.onComplete(() => late++)
    conversation.onError(() => (late += 100))
    await new Promise((r) => setTimeout(r, 10))
    expect(late).toBe(1)
    const { questions } = await conversation.getQuestions()
    expect(questions.map((q) => q.text)).toContain(QUESTION)
  })

  it('messages without times are laid back to back', async () => {
    const conversation = await env.symbl.text.process(
      {
        messages: [
          { payload: { content: 'One two three four five.' }, from: ANA },
          { payload: { content: 'Six seven.' }, from: BEN },
        ],
      },
      fast,
    )
    const { messages } = await conversation.getMessages()
    expect(messages[0].duration).toBeCloseTo(2, 1) // 5 words at 150 words/min
    expect(messages[1].timeOffset).toBeCloseTo(2, 1)
  })

  it('a bad payload is refused by the server with its message (HttpError 400), not retried', async () => {
    const mark = env.requests.length
    const duration = { startTime: '2024-03-04T10:00:05Z', endTime: '2024-03-04T10:00:01Z' }
    const error = await env.symbl.text.process({ messages: [{ payload: { content: 'Hello.' }, duration }] }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'http', status: 400 })
    expect((error as { serverMessage: string }).serverMessage).toMatch(/messages\[0\]\.duration\.endTime/)
    expect(env.requests.slice(mark).filter((r) => r.path === '/v1/process/text')).toHaveLength(1)
  })

  it('refuses a payload that is not an object with messages, or empty content, before sending', async () => {
    const mark = env.requests.length
    await expect(env.symbl.text.process(undefined as never)).rejects.toBeInstanceOf(ValidationError)
    await expect(env.symbl.text.process({ messages: [{ payload: { content: '  ' } }] })).rejects.toBeInstanceOf(ValidationError)
    expect(env.requests.length).toBe(mark)
  })
})

describe('text.append', () => {
  it('adds messages after the existing ones, in the same conversation; analysis sees both parts', async () => {
    const first = await env.symbl.text.process({ messages: textMessages().slice(0, 2) }, fast)
    expect((await first.getQuestions()).questions).toHaveLength(0)
    const appended = await env.symbl.text.append({ messages: [{ payload: { content: QUESTION }, from: ANA }] }, first.conversationId, fast)
    expect(appended.conversationId).toBe(first.conversationId)
    expect(appended.jobId).not.toBe(first.jobId)
    const { messages } = await first.getMessages()
    expect(messages).toHaveLength(3)
    expect(messages[2].text).toBe(QUESTION)
    expect(Date.parse(messages[2].startTime)).toBeGreaterThanOrEqual(Date.parse(messages[1].endTime))
    expect((await first.getQuestions()).questions.map((q) => q.text)).toEqual([QUESTION])
    expect((await first.getMembers()).members.map((m) => m.name).sort()).toEqual([ANA.name, BEN.name])
  })

  it('wait: false then wait() on an append', async () => {
    const first = await env.symbl.text.process({ messages: textMessages().slice(0, 1) }, fast)
    const appended = await env.symbl.text.append({ messages: textMessages().slice(1, 2) }, first.conversationId, { ...fast, wait: false })
    expect(await appended.wait()).toBe(appended)
    expect((await appended.getMessages()).messages).toHaveLength(2)
  })

  it('appending to an unknown conversation is a NotFoundError; a bad id never leaves the SDK', async () => {
    await expect(env.symbl.text.append({ messages: textMessages().slice(0, 1) }, '12345678901')).rejects.toBeInstanceOf(NotFoundError)
    await expect(env.symbl.text.append({ messages: textMessages().slice(0, 1) }, '..')).rejects.toBeInstanceOf(ValidationError)
  })

  it('a JobError is never raised for a completed text job', async () => {
    const conversation = await env.symbl.text.process({ messages: textMessages() }, { ...fast, wait: false })
    const outcome = await conversation.wait().then(
      () => 'completed',
      (e: unknown) => (e instanceof JobError ? e.code : String(e)),
    )
    expect(outcome).toBe('completed')
  })
})
