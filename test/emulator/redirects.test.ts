// URL jobs and webhooks reach only loopback URLs, on every redirect hop: a loopback server that
// redirects to another host must not take the emulator there. The "other host" is this machine's
// non-loopback address (or 127.0.0.2, outside the emulator's loopback list), so a followed redirect
// would really arrive, and the test server sees whether it did.

import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, pcm, token, wav, waitJob } from './helpers.js'

const external =
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.2'

let emu: RunningEmulator
let tok: string
let media: Server
let port: number
const seen: Array<{ host: string; path: string }> = []
const audio = wav(
  pcm(16000, [
    [0.5, 0],
    [1, 0.5],
    [0.5, 0],
  ]),
)

beforeAll(async () => {
  media = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/'
    seen.push({ host: (req.headers.host ?? '').replace(/:\d+$/, ''), path })
    req.resume()
    const redirect = (status: number, to: string): void => void res.writeHead(status, { location: to }).end()
    if (path === '/media.wav' || path === '/hook-final')
      return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(path === '/media.wav' ? audio : '')
    if (path === '/to-external') return redirect(302, `http://${external}:${port}/media.wav`)
    if (path === '/to-local') return redirect(301, `http://localhost:${port}/media.wav`)
    if (path === '/loop') return redirect(302, '/loop')
    if (path === '/hook') return redirect(307, `http://${external}:${port}/hook-final`)
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => media.listen(0, r)) // every interface: a followed redirect would arrive
  port = (media.address() as AddressInfo).port
  emu = await startEmulator({ jobDelayMs: 0 })
  tok = await token(emu)
})
afterAll(async () => {
  await emu.close()
  media.close()
})

async function urlJob(path: string): Promise<{ status: string; conversationId: string }> {
  const r = await api(emu, tok, 'POST', '/v1/process/audio/url', { url: `http://127.0.0.1:${port}${path}` })
  expect(r.status).toBe(201)
  const statuses = await waitJob(emu, tok, r.body.jobId)
  return { status: statuses.at(-1)!, conversationId: r.body.conversationId }
}

describe('redirects stay on loopback', () => {
  it('a URL job redirected to a non-loopback host fails without fetching it', async () => {
    const job = await urlJob('/to-external')
    expect(job.status).toBe('failed')
    expect(seen.filter((s) => s.path === '/media.wav' && s.host === external)).toEqual([])
  })

  it('a URL job redirected to another loopback URL is followed', async () => {
    const job = await urlJob('/to-local')
    expect(job.status).toBe('completed')
    const messages = await api(emu, tok, 'GET', `/v1/conversations/${job.conversationId}/messages`)
    expect(messages.body.messages.length).toBeGreaterThan(0)
  })

  it('a redirect loop ends the job failed', async () => {
    const before = seen.filter((s) => s.path === '/loop').length
    expect((await urlJob('/loop')).status).toBe('failed')
    expect(seen.filter((s) => s.path === '/loop').length - before).toBe(6) // the request and 5 redirects
  })

  it('a webhook redirected to a non-loopback host is not followed', async () => {
    const r = await api(emu, tok, 'POST', '/v1/process/text', {
      messages: [{ payload: { content: 'Hello.' } }],
      webhookUrl: `http://127.0.0.1:${port}/hook`,
    })
    await waitJob(emu, tok, r.body.jobId)
    // One job's POSTs go out one after the other (each after the previous one, redirects included, ended):
    // once the third reached /hook, the first two redirects would have arrived.
    for (let i = 0; i < 400 && seen.filter((s) => s.path === '/hook').length < 3; i++) await new Promise((res) => setTimeout(res, 5))
    expect(seen.filter((s) => s.path === '/hook')).toHaveLength(3)
    expect(seen.filter((s) => s.path === '/hook-final')).toEqual([])
  })
})
