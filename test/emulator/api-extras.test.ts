// REST additions: conversation list paging/sort/filter, refresh, call score and insights status,
// insights UI/Experience URLs and their pages, metadata, token refresh/revoke, 405s, webhooks in
// order, and the account trackers behind enableAllTrackers.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, token, waitJob } from './helpers.js'

let emu: RunningEmulator
let tok: string

beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0, accountTrackers: [{ name: 'Pricing', vocabulary: ['price', 'how much does it cost'] }] })
  tok = await token(emu)
})
afterAll(() => emu.close())

const at = (minute: number, second = 0): string => new Date(Date.UTC(2024, 4, 6, 10, minute, second)).toISOString()
const line = (content: string, name: string, start: string, end: string): unknown => ({
  payload: { content },
  from: { name, userId: `${name.toLowerCase()}@example.com` },
  duration: { startTime: start, endTime: end },
})

async function submit(body: Record<string, unknown>): Promise<string> {
  const r = await api(emu, tok, 'POST', '/v1/process/text', body)
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  await waitJob(emu, tok, r.body.jobId)
  return r.body.conversationId
}

describe('GET /v1/conversations (list)', () => {
  const ids: Record<string, string> = {}
  let list: RunningEmulator
  let t: string
  const names = (r: { body: any }): string[] => r.body.conversations.map((c: any) => c.name)

  beforeAll(async () => {
    list = await startEmulator({ jobDelayMs: 0 })
    t = await token(list)
    // 23 conversations, one a minute from 10:00; three with distinct names.
    for (let i = 0; i < 23; i++) {
      const name = i === 0 ? 'Alpha sync' : i === 1 ? 'Beta review' : i === 2 ? 'alpha retro' : `Call ${String(i).padStart(2, '0')}`
      const r = await api(list, t, 'POST', '/v1/process/text', { name, messages: [line('Hello there.', 'Ann', at(i), at(i, 30))] })
      ids[name] = r.body.conversationId
    }
    await list.core.idle()
  })
  afterAll(() => list.close())

  const get = (q: string): Promise<{ status: number; body: any }> => api(list, t, 'GET', `/v1/conversations${q}`)

  it('pages with limit (default 20) and offset, newest first by default, asc on request', async () => {
    const first = await get('')
    expect(first.body.conversations).toHaveLength(20)
    expect(names(first)[0]).toBe('Call 22')
    expect((await get('?offset=20')).body.conversations).toHaveLength(3)
    expect(names(await get('?order=asc&limit=3'))).toEqual(['Alpha sync', 'Beta review', 'alpha retro'])
    expect(names(await get('?order=asc&limit=2&offset=1'))).toEqual(['Beta review', 'alpha retro'])
    expect(names(await get('?sort=conversation.name&order=asc&limit=3'))).toEqual(['alpha retro', 'Alpha sync', 'Beta review'])
    expect(names(await get('?sort=endTime&order=desc&limit=1'))).toEqual(['Call 22'])
  })

  it('filters by startTime/endTime and by RSQL clauses', async () => {
    expect(names(await get(`?startTime=${at(20)}&order=asc`))).toEqual(['Call 20', 'Call 21', 'Call 22'])
    expect(names(await get(`?endTime=${at(1, 30)}&order=asc`))).toEqual(['Alpha sync', 'Beta review'])
    expect(names(await get(`?startTime=${at(5)}&endTime=${at(6, 30)}&order=asc`))).toEqual(['Call 05', 'Call 06'])
    const filter = (f: string): Promise<{ status: number; body: any }> => get(`?order=asc&filter=${encodeURIComponent(f)}`)
    expect(names(await filter('name==alpha*'))).toEqual(['Alpha sync', 'alpha retro'])
    expect(names(await filter(`name=="Alpha sync"`))).toEqual(['Alpha sync'])
    expect(names(await filter(`name!=Call*;startTime=gt=${at(0)}`))).toEqual(['Beta review', 'alpha retro'])
    expect(names(await filter(`conversation.startTime=ge=${at(21)}`))).toEqual(['Call 21', 'Call 22'])
    expect(names(await filter(`startTime=lt=${at(1)}`))).toEqual(['Alpha sync'])
    expect(names(await filter(`endTime=le=${at(0, 30)}`))).toEqual(['Alpha sync'])
    expect(names(await filter(`startTime==${at(3)}`))).toEqual(['Call 03'])
    expect((await filter('type==meeting')).body.conversations).toHaveLength(20)
    expect((await filter('type!=meeting')).body.conversations).toHaveLength(0)
  })

  it('answers 400 with a clear message for anything it does not support', async () => {
    const cases: Array<[string, RegExp]> = [
      ['?limit=abc', /"limit" must be an integer/],
      ['?limit=-1', /"limit" must be greater than or equal to 0/],
      ['?offset=1.5', /"offset" must be an integer/],
      ['?order=up', /"order" must be one of \[asc, desc\]/],
      ['?sort=conversation.score', /"sort" must be one of/],
      ['?startTime=yesterday', /"startTime" must be a valid ISO 8601 date/],
      [`?startTime=${at(5)}&endTime=${at(1)}`, /"endTime" must be greater/],
      [`?filter=${encodeURIComponent('name==a;name==b;name==c')}`, /at most 2 clauses/],
      [`?filter=${encodeURIComponent('name==a,name==b')}`, /does not support OR/],
      [`?filter=${encodeURIComponent('score=gt=3')}`, /field "score" must be one of \[name, startTime, endTime, type\]/],
      [`?filter=${encodeURIComponent('name=in=(a,b)')}`, /does not support OR|operator/],
      [`?filter=${encodeURIComponent('name=like=a')}`, /operator "=like=" must be one of/],
      [`?filter=${encodeURIComponent('name=gt=a')}`, /only allowed on startTime and endTime/],
      [`?filter=${encodeURIComponent('startTime=gt=soon')}`, /"filter startTime" must be a valid ISO 8601 date/],
      [`?filter=${encodeURIComponent('name')}`, /must look like field==value/],
      [`?filter=${encodeURIComponent("name=='open")}`, /unterminated quote/],
      ['?filter=', /not allowed to be empty/],
    ]
    for (const [q, message] of cases) {
      const r = await get(q)
      expect(r.status, q).toBe(400)
      expect(r.body.message, q).toMatch(message)
    }
  })
})

describe('conversation extras', () => {
  const CALL = [
    line('Hi Mark, thanks for joining. How much does the premium plan cost?', 'Jane', at(0, 0), at(0, 4)),
    line('It is 70 dollars a month, and I think you will love it.', 'Mark', at(0, 5), at(0, 9)),
    line('Great. Can you send me the contract by Friday?', 'Jane', at(0, 10), at(0, 13)),
    line('Sure, I will send it tomorrow.', 'Mark', at(0, 14), at(0, 16)),
  ]

  it('scores a call from measured features, consistent with the analytics and insights', async () => {
    const id = await submit({
      name: 'Scored call',
      messages: CALL,
      features: { featureList: ['insights', 'callScore'] },
      metadata: { salesStage: 'demo' },
    })
    const score = await api(emu, tok, 'GET', `/v1/conversations/${id}/callscore`)
    expect(score.status).toBe(200)
    const names = score.body.criteria.map((c: any) => c.name)
    expect(names).toEqual(['Communication', 'Question Handling', 'Sentiment', 'Next Steps'])
    for (const c of score.body.criteria) {
      expect(c.score).toBeGreaterThanOrEqual(0)
      expect(c.score).toBeLessThanOrEqual(100)
      expect(typeof c.feedback.positive.summary).toBe('string')
      expect(typeof c.feedback.negative.summary).toBe('string')
    }
    const crit = Object.fromEntries(score.body.criteria.map((c: any) => [c.name, c]))
    // Communication follows the analytics' talk shares.
    const analytics = (await api(emu, tok, 'GET', `/v1/conversations/${id}/analytics`)).body
    const top = Math.max(...analytics.members.map((m: any) => m.talkTime.percentage))
    expect(crit.Communication.score).toBe(Math.round(100 - 2 * Math.max(0, top - 50)))
    // Both of Jane's questions were answered by Mark in the next message.
    const questions = (await api(emu, tok, 'GET', `/v1/conversations/${id}/questions`)).body.questions
    expect(crit['Question Handling'].summary).toContain(`${questions.length} question(s)`)
    const actions = (await api(emu, tok, 'GET', `/v1/conversations/${id}/action-items`)).body.actionItems
    expect(actions.length).toBeGreaterThan(0)
    expect(crit['Next Steps'].score).toBeGreaterThan(60)
    expect(score.body.score).toBe(Math.round(score.body.criteria.reduce((s: number, c: any) => s + c.score, 0) / 4))
    expect(score.body.summary).toMatch(/heuristic/)
    // The submission's metadata is the conversation's.
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}`)).body.metadata).toEqual({ salesStage: 'demo' })

    // A monologue scores 0 on communication; with no words only talk time is scored.
    const solo = await submit({ messages: [line('I will present the roadmap. It is a great plan.', 'Jane', at(1), at(1, 5))] })
    const soloScore = (await api(emu, tok, 'GET', `/v1/conversations/${solo}/callscore`)).body
    expect(soloScore.criteria[0]).toMatchObject({ name: 'Communication', score: 0 })
  })

  it('reports callscore / lm-insights status from the conversation job, and 404 before it is done', async () => {
    const slow = await startEmulator({ jobDelayMs: 100 })
    try {
      const t = await token(slow)
      const r = await api(slow, t, 'POST', '/v1/process/text', { messages: CALL })
      const id = r.body.conversationId
      const during = await api(slow, t, 'GET', `/v1/conversations/${id}/callscore/status`)
      expect(during.body.jobId).toBe(r.body.jobId)
      expect(['scheduled', 'in_progress']).toContain(during.body.status)
      expect((await api(slow, t, 'GET', `/v1/conversations/${id}/callscore`)).status).toBe(404)
      await slow.core.idle()
      expect((await api(slow, t, 'GET', `/v1/conversations/${id}/callscore/status`)).body).toEqual({
        jobId: r.body.jobId,
        status: 'completed',
      })
      expect((await api(slow, t, 'GET', `/v1/conversations/${id}/lm-insights/status`)).body).toEqual({
        jobId: r.body.jobId,
        status: 'completed',
      })
      expect((await api(slow, t, 'GET', `/v1/conversations/${id}/callscore`)).status).toBe(200)
      expect((await api(slow, t, 'GET', '/v1/conversations/1234567890123456/callscore/status')).status).toBe(404)
    } finally {
      await slow.close()
    }
  })

  it('serves insights UI and Experience URLs that open loopback pages', async () => {
    const id = await submit({ name: 'Pricing <call>', messages: CALL })
    const list = await api(emu, tok, 'GET', '/v1/conversations/experiences/insights/list?includeCallScore=true')
    // Keyed links (core/pages.ts): the key is the page's only access control.
    expect(list.body.url).toMatch(new RegExp(`^${emu.url}/insights/list\\?key=[0-9a-f]{32}&includeCallScore=true$`))
    const listPage = await fetch(list.body.url)
    expect(listPage.headers.get('content-type')).toMatch(/text\/html/)
    expect(await listPage.text()).toContain('Pricing &#60;call&#62;')
    const details = await api(emu, tok, 'GET', `/v1/conversations/experiences/insights/details/${id}?includeCallScore=true`)
    expect(details.body.url).toMatch(new RegExp(`^${emu.url}/insights/details/${id}\\?key=[0-9a-f]{32}&includeCallScore=true$`))
    const html = await (await fetch(details.body.url)).text()
    expect(html).toContain('Can you send me the contract by Friday?')
    expect(html).toMatch(/Call score: \d+/)
    expect((await api(emu, tok, 'GET', '/v1/conversations/experiences/insights/details/1234567890123456')).status).toBe(404)
    expect((await api(emu, tok, 'GET', '/v1/conversations/experiences/insights/list?includeCallScore=maybe')).status).toBe(400)
    const exp = await api(emu, tok, 'POST', `/v1/conversations/${id}/experiences`, { name: 'verbose-text-summary' })
    expect(exp.body).toEqual({
      name: 'verbose-text-summary',
      url: expect.stringMatching(new RegExp(`^${emu.url}/meeting/${id}\\?key=[0-9a-f]{32}$`)),
    })
    expect((await fetch(exp.body.url)).status).toBe(200)
    expect((await api(emu, tok, 'POST', `/v1/conversations/${id}/experiences`, { name: 'video-summary' })).body.message).toMatch(/videoUrl/)
    expect((await api(emu, tok, 'POST', `/v1/conversations/${id}/experiences`, { name: 'poster' })).status).toBe(400)
  })

  it('updates metadata with PUT, serves the combined insights list, and regenerates on refresh=true', async () => {
    const id = await submit({ messages: CALL })
    const put = await api(emu, tok, 'PUT', `/v1/conversations/${id}`, { metadata: { label: 'Business' } })
    expect(put).toEqual({ status: 200, body: { id, metadata: { label: 'Business' } } })
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}`)).body.metadata).toEqual({ label: 'Business' })
    expect((await api(emu, tok, 'PUT', `/v1/conversations/${id}`, { metadata: 'x' })).status).toBe(400)
    expect((await api(emu, tok, 'PUT', '/v1/conversations/1234567890123456', { metadata: {} })).status).toBe(404)

    const insights = (await api(emu, tok, 'GET', `/v1/conversations/${id}/insights`)).body.insights
    expect(new Set(insights.map((i: any) => i.type))).toEqual(new Set(['question', 'action_item']))

    // A change the cache does not know about (no revision bump) shows only after refresh=true.
    const topicsOf = async (q = ''): Promise<string[]> =>
      (await api(emu, tok, 'GET', `/v1/conversations/${id}/topics${q}`)).body.topics.map((t: any) => t.text)
    const before = await topicsOf()
    const c = emu.core.store.get(id)!
    c.messages.push({ ...c.messages[0], id: '9999999999999999', text: 'The zebra sanctuary budget and the zebra sanctuary roadmap.' })
    expect(await topicsOf()).toEqual(before)
    expect((await topicsOf('?refresh=true')).join(' ')).toMatch(/zebra sanctuary/)
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}/summary?refresh=true`)).status).toBe(200)
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}/topics?refresh=maybe`)).status).toBe(400)
  })

  it('uses the account trackers only when enableAllTrackers is set, next to the request trackers', async () => {
    const all = await submit({ messages: CALL, enableAllTrackers: true, trackers: [{ name: 'Contract', vocabulary: ['contract'] }] })
    const found = (await api(emu, tok, 'GET', `/v1/conversations/${all}/trackers-detected`)).body
    expect(found.map((t: any) => t.name).sort()).toEqual(['Contract', 'Pricing'])
    const pricing = found.find((t: any) => t.name === 'Pricing')
    expect(pricing.matches[0].messageRefs[0].text).toContain('How much does the premium plan cost?')
    const none = await submit({ messages: CALL })
    expect((await api(emu, tok, 'GET', `/v1/conversations/${none}/trackers`)).body).toEqual([])
  })

  it('validates the newer and per-channel options', async () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ mode: 'loud' }, /"mode" must be one of \[phone, default\]/],
      [{ channelMetadata: [{ channel: 1, speaker: { name: 'A' } }] }, /only allowed with "enableSeparateRecognitionPerChannel"/],
      [{ enableSeparateRecognitionPerChannel: true, channelMetadata: [{ speaker: {} }] }, /channelMetadata\[0\].channel/],
      [{ features: ['callScore'] }, /"features" must be an object/],
      [{ features: { featureList: [1] } }, /featureList/],
      [{ metadata: 'x' }, /"metadata" must be an object/],
    ]
    for (const [options, message] of bad) {
      const r = await api(emu, tok, 'POST', '/v1/process/text', { messages: CALL, ...options })
      expect(r.status, JSON.stringify(options)).toBe(400)
      expect(r.body.message).toMatch(message)
    }
  })
})

describe('tokens, methods, webhooks', () => {
  it('refreshes (a new token, both valid) and revokes (every token of the app is then refused)', async () => {
    const strict = await startEmulator({ credentials: { appId: 'id', appSecret: 'sec' } })
    try {
      const first = await token(strict, 'id', 'sec')
      const refreshed = await api(strict, undefined, 'POST', '/oauth2/token:refresh', {
        appId: 'id',
        appSecret: 'sec',
        refreshToken: 'whatever',
      })
      expect(refreshed.status).toBe(200)
      expect(refreshed.body.accessToken).not.toBe(first)
      expect(refreshed.body.expiresIn).toBe(86400)
      const second = refreshed.body.accessToken
      expect((await api(strict, first, 'GET', '/v1/conversations')).status).toBe(200)
      expect((await api(strict, second, 'GET', '/v1/conversations')).status).toBe(200)
      // token:generate now returns the newest token.
      expect(await token(strict, 'id', 'sec')).toBe(second)
      expect((await api(strict, undefined, 'POST', '/oauth2/token:refresh', { appId: 'id', appSecret: 'nope' })).status).toBe(401)
      expect((await api(strict, undefined, 'POST', '/oauth2/token:refresh', { appId: 'id' })).body.message).toMatch(
        /"appSecret" is required/,
      )

      expect((await api(strict, undefined, 'DELETE', '/oauth2/token:revoke', { appId: 'id', appSecret: 'nope' })).status).toBe(401)
      expect((await api(strict, second, 'GET', '/v1/conversations')).status).toBe(200)
      const revoked = await api(strict, undefined, 'DELETE', '/oauth2/token:revoke', { appId: 'id', appSecret: 'sec' })
      expect(revoked.status).toBe(200)
      expect((await api(strict, first, 'GET', '/v1/conversations')).status).toBe(401)
      expect((await api(strict, second, 'GET', '/v1/conversations')).status).toBe(401)
      const fresh = await token(strict, 'id', 'sec')
      expect(fresh).not.toBe(second)
      expect((await api(strict, fresh, 'GET', '/v1/conversations')).status).toBe(200)
    } finally {
      await strict.close()
    }
  })

  it('answers 405 for a wrong method on a known path and 404 for an unknown path', async () => {
    const cases: Array<[string, string]> = [
      ['PATCH', '/v1/conversations/1234567890123456'],
      ['GET', '/v1/process/text'],
      ['DELETE', '/v1/job/00000000-0000-0000-0000-000000000000'],
      ['GET', '/oauth2/token:generate'],
      ['POST', '/v1/conversations/1234567890123456/callscore'],
      ['GET', '/v1/endpoint:connect'],
    ]
    for (const [method, path] of cases) {
      const r = await api(emu, tok, method, path)
      expect(r.status, `${method} ${path}`).toBe(405)
      expect(r.body.message).toContain(`Method ${method} is not allowed`)
    }
    expect((await api(emu, tok, 'GET', '/v1/nothing/here')).status).toBe(404)
  })

  it('POSTs {jobId, status} to a loopback webhookUrl for each status change, in order', async () => {
    const received: Array<{ jobId: string; status: string; contentType?: string }> = []
    const unanswered = new Map<string, number>()
    const overlaps: string[] = []
    let arrived: () => void = () => undefined
    const receiver: Server = createServer((req, res) => {
      let text = ''
      req.on('data', (c: Buffer) => (text += c.toString()))
      req.on('end', () => {
        const hook = JSON.parse(text) as { jobId: string; status: string }
        // One job's POSTs are sequential: none arrives while the previous one is unanswered.
        if (unanswered.get(hook.jobId)) overlaps.push(hook.status)
        unanswered.set(hook.jobId, (unanswered.get(hook.jobId) ?? 0) + 1)
        received.push({ ...hook, contentType: req.headers['content-type'] })
        // Answer the first POST of each job late, which leaves room for an overlap.
        setTimeout(
          () => {
            unanswered.set(hook.jobId, unanswered.get(hook.jobId)! - 1)
            res.end('ok')
          },
          hook.status === 'scheduled' ? 30 : 0,
        )
        arrived()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    try {
      const waitFor = (n: number): Promise<void> =>
        new Promise((resolve) => {
          arrived = () => received.length >= n && resolve()
          arrived()
        })
      const ok = await api(emu, tok, 'POST', '/v1/process/text', { messages: [{ payload: { content: 'Hello.' } }], webhookUrl: hook })
      // A URL job the emulator cannot fetch (no preload, not loopback) fails.
      const bad = await api(emu, tok, 'POST', '/v1/process/audio/url', { url: 'https://example.com/missing.mp3', webhookUrl: hook })
      await waitFor(6)
      const of = (jobId: string): string[] => received.filter((r) => r.jobId === jobId).map((r) => r.status)
      expect(of(ok.body.jobId)).toEqual(['scheduled', 'in_progress', 'completed'])
      expect(of(bad.body.jobId)).toEqual(['scheduled', 'in_progress', 'failed'])
      expect(received.every((r) => r.contentType === 'application/json')).toBe(true)
      expect(overlaps).toEqual([])
    } finally {
      receiver.closeAllConnections()
      await new Promise<void>((r) => receiver.close(() => r()))
    }
  })
})
