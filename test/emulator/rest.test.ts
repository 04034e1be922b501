// REST over real sockets: tokens, auth, job lifecycle, bad input, limits, faults.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, token, waitJob } from './helpers.js'

const MESSAGES = [
  {
    payload: { content: 'Hello Mark. Can you send me the contract by Friday?' },
    from: { userId: 'jane@example.com', name: 'Jane' },
    duration: { startTime: '2024-05-06T10:00:00.000Z', endTime: '2024-05-06T10:00:04.000Z' },
  },
  {
    payload: { content: 'Sure, I will send it tomorrow.' },
    from: { userId: 'mark@example.com', name: 'Mark' },
    duration: { startTime: '2024-05-06T10:00:05.000Z', endTime: '2024-05-06T10:00:07.000Z' },
  },
]

let emu: RunningEmulator
let tok: string

beforeAll(async () => {
  emu = await startEmulator({ port: 0, jobDelayMs: 20, maxJsonBytes: 64 * 1024, maxConversations: 50 })
  tok = await token(emu)
})
afterAll(() => emu.close())

describe('emulator REST', () => {
  it('issues JWT-shaped tokens and returns the same one while valid', async () => {
    const parts = tok.split('.')
    expect(parts).toHaveLength(3)
    for (const p of parts) expect(p).toMatch(/^[A-Za-z0-9_-]+$/)
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString())
    expect(payload.exp - payload.iat).toBe(86400)
    const again = await api(emu, undefined, 'POST', '/oauth2/token:generate', { type: 'application', appId: 'app', appSecret: 'secret' })
    expect(again.body.accessToken).toBe(tok)
    expect(again.body.expiresIn).toBeLessThanOrEqual(86400)
  })

  it('accepts Bearer and x-api-key, rejects missing or unknown tokens with the contract body', async () => {
    expect((await api(emu, tok, 'GET', '/v1/conversations')).status).toBe(200)
    expect((await api(emu, undefined, 'GET', '/v1/conversations', undefined, { 'x-api-key': tok })).status).toBe(200)
    const bad = await api(emu, 'nope', 'GET', '/v1/conversations')
    expect(bad).toEqual({ status: 401, body: { message: 'Token validation failed for provided token.' } })
    expect((await api(emu, undefined, 'GET', '/v1/conversations')).status).toBe(401)
  })

  it('runs a text job scheduled -> in_progress -> completed and serves the conversation', async () => {
    const submit = await api(emu, tok, 'POST', '/v1/process/text', { name: 'Contract call', messages: MESSAGES, detectPhrases: true })
    expect(submit.status).toBe(201)
    expect(submit.body.conversationId).toMatch(/^\d{16}$/)
    expect(submit.body.jobId).toMatch(/^[0-9a-f-]{36}$/)
    const seen = await waitJob(emu, tok, submit.body.jobId)
    expect(seen).toEqual(['scheduled', 'in_progress', 'completed'])
    const id = submit.body.conversationId
    const conv = await api(emu, tok, 'GET', `/v1/conversations/${id}`)
    expect(conv.body).toMatchObject({ id, name: 'Contract call', type: 'meeting', startTime: '2024-05-06T10:00:00.000Z' })
    const msgs = await api(emu, tok, 'GET', `/v1/conversations/${id}/messages?verbose=true&sentiment=true`)
    expect(msgs.body.messages.map((m: any) => m.text)).toEqual(MESSAGES.map((m) => m.payload.content))
    expect(msgs.body.messages[1]).toMatchObject({ timeOffset: 5, duration: 2, from: { name: 'Mark', userId: 'mark@example.com' } })
    expect(msgs.body.messages[0].words[0].word).toBe('Hello')
    const items = await api(emu, tok, 'GET', `/v1/conversations/${id}/action-items`)
    expect(items.body.actionItems.map((i: any) => i.assignee.name)).toEqual(['Mark', 'Mark'])
    const trackersOld = await api(emu, tok, 'GET', `/v1/conversations/${id}/trackers`)
    const trackersNew = await api(emu, tok, 'GET', `/v1/conversations/${id}/trackers-detected`)
    expect(Array.isArray(trackersOld.body) && Array.isArray(trackersNew.body)).toBe(true)
    const summary = await api(emu, tok, 'GET', `/v1/conversations/${id}/summary`)
    expect(summary.status).toBe(200)
    const srt = await api(emu, tok, 'POST', `/v1/conversations/${id}/transcript`, { contentType: 'text/srt' })
    expect(typeof srt.body.transcript.payload).toBe('string')
    expect(srt.body.transcript.payload).toContain('00:00:05,000 --> 00:00:07,000')
    const del = await api(emu, tok, 'DELETE', `/v1/conversations/${id}`)
    expect(del.body).toEqual({ message: 'successfully deleted the conversation' })
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}/messages`)).status).toBe(404)
  })

  it('answers summary with 404 while the job is running, and appends in order', async () => {
    const first = await api(emu, tok, 'POST', '/v1/process/text', { messages: MESSAGES.slice(0, 1) })
    const second = await api(emu, tok, 'PUT', `/v1/process/text/${first.body.conversationId}`, { messages: MESSAGES.slice(1) })
    expect(second.body.conversationId).toBe(first.body.conversationId)
    expect((await api(emu, tok, 'GET', `/v1/conversations/${first.body.conversationId}/summary`)).status).toBe(404)
    await waitJob(emu, tok, second.body.jobId)
    expect((await api(emu, tok, 'GET', `/v1/job/${first.body.jobId}`)).body.status).toBe('completed')
    const msgs = await api(emu, tok, 'GET', `/v1/conversations/${first.body.conversationId}/messages`)
    expect(msgs.body.messages).toHaveLength(2)
  })

  it('accepts stringified booleans and numbers as the Python SDK sends them', async () => {
    const r = await api(emu, tok, 'POST', '/v1/process/text', {
      messages: MESSAGES,
      detectEntities: 'true',
      detectPhrases: 'false',
      confidenceThreshold: '0.6',
      enableSummary: 'True',
    })
    expect(r.status).toBe(201)
    await waitJob(emu, tok, r.body.jobId)
    const ents = await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/entities`)
    expect(ents.body.entities.some((e: any) => e.type === 'person' && e.value === 'Mark')).toBe(true)
  })

  it('rejects bad input with 400 and never crashes', async () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not valid JSON/],
      [[1, 2], /JSON object/],
      [{}, /"messages" is required/],
      [{ messages: 'hi' }, /must be an array/],
      [{ messages: [] }, /at least 1/],
      [{ messages: [{ payload: {} }] }, /payload.content/],
      [{ messages: [{ payload: { content: 5 } }] }, /payload.content/],
      [{ messages: MESSAGES, detectEntities: 'yes' }, /boolean/],
      [{ messages: MESSAGES, confidenceThreshold: 7 }, /confidenceThreshold/],
      [{ messages: [{ payload: { content: 'x' }, duration: { startTime: 'yesterday' } }] }, /ISO 8601/],
      [{ messages: MESSAGES, trackers: [{ vocabulary: ['a'] }] }, /trackers\[0\].name/],
    ]
    for (const [body, message] of cases) {
      const r = await api(emu, tok, 'POST', '/v1/process/text', body, { 'content-type': 'application/json' })
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.body.message).toMatch(message)
    }
    expect((await api(emu, tok, 'GET', '/v1/job/00000000-0000-0000-0000-000000000000')).status).toBe(404)
    const unknown = await api(emu, tok, 'GET', '/v1/conversations/1234567890123456/messages')
    expect(unknown).toEqual({ status: 404, body: { message: 'The conversationId is either invalid or does not exist.' } })
    expect((await api(emu, tok, 'PUT', '/v1/process/text/1234567890123456', { messages: MESSAGES })).status).toBe(404)
    const big = await api(emu, tok, 'POST', '/v1/process/text', { messages: [{ payload: { content: 'x'.repeat(100_000) } }] })
    expect(big.status).toBe(413)
    expect((await api(emu, tok, 'GET', '/v1/conversations')).status).toBe(200) // still alive
  })

  it('fails the next N requests of a route, then recovers', async () => {
    emu.faults.failNext({ method: 'GET', path: '/v1/job/:id', times: 2, status: 503 })
    const job = (await api(emu, tok, 'POST', '/v1/process/text', { messages: MESSAGES })).body.jobId
    expect((await api(emu, tok, 'GET', `/v1/job/${job}`)).status).toBe(503)
    expect((await api(emu, tok, 'GET', `/v1/job/${job}`)).status).toBe(503)
    expect((await api(emu, tok, 'GET', `/v1/job/${job}`)).status).toBe(200)
  })

  it('expires tokens early on demand; a new token is then issued', async () => {
    const own = await token(emu, 'expiring', 's')
    emu.faults.expireTokens()
    expect((await api(emu, own, 'GET', '/v1/conversations')).status).toBe(401)
    const fresh = await token(emu, 'expiring', 's')
    expect(fresh).not.toBe(own)
    expect((await api(emu, fresh, 'GET', '/v1/conversations')).status).toBe(200)
    tok = await token(emu)
  })
})

describe('emulator limits and credentials', () => {
  it('answers 429 with the contract body beyond the concurrent job limit', async () => {
    const small = await startEmulator({ maxConcurrentJobs: 1, jobDelayMs: 200 })
    try {
      const t = await token(small)
      expect((await api(small, t, 'POST', '/v1/process/text', { messages: MESSAGES })).status).toBe(201)
      const r = await api(small, t, 'POST', '/v1/process/text', { messages: MESSAGES })
      expect(r.status).toBe(429)
      expect(r.body.statusCode).toBe(429)
      expect(r.body.message).toContain('maximum of `1` number of concurrent jobs')
    } finally {
      await small.close()
    }
  })

  it('restricts credentials when asked, and evicts the oldest conversations', async () => {
    const strict = await startEmulator({ credentials: { appId: 'id', appSecret: 'sec' }, maxConversations: 2, jobDelayMs: 0 })
    try {
      expect(
        (await api(strict, undefined, 'POST', '/oauth2/token:generate', { type: 'application', appId: 'id', appSecret: 'wrong' })).status,
      ).toBe(401)
      const t = await token(strict, 'id', 'sec')
      const ids: string[] = []
      for (let i = 0; i < 3; i++) ids.push((await api(strict, t, 'POST', '/v1/process/text', { messages: MESSAGES })).body.conversationId)
      await strict.core.idle()
      expect((await api(strict, t, 'GET', `/v1/conversations/${ids[0]}`)).status).toBe(404)
      expect((await api(strict, t, 'GET', `/v1/conversations/${ids[2]}`)).status).toBe(200)
    } finally {
      await strict.close()
    }
  })
})
