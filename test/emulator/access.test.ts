// What a web page the developer happens to visit can reach of a running emulator: nothing of
// another app. Host names other than loopback (DNS rebinding) are refused; a token sees only what
// its app pair created (another app's conversation, job, call or stream is a 404); the HTML pages
// open only through the keyed links the API hands out and send no CORS headers; the JSON API keeps
// CORS open for token-bearing browser apps, as the real API does.

import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, token } from './helpers.js'

let emu: RunningEmulator
let a: string
let b: string
let sameIdOtherSecret: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0 })
  a = await token(emu, 'app-a', 'secret-a')
  b = await token(emu, 'app-b', 'secret-b')
  sameIdOtherSecret = await token(emu, 'app-a', 'guessed')
})
afterAll(() => emu.close())

function get(
  port: number,
  path: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers } }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function handshake(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const c = await connect(url, { headers })
    c.ws.close()
    return 101
  } catch (e) {
    return (e as { status?: number }).status ?? -1
  }
}

describe('Host check (DNS rebinding)', () => {
  it('refuses a non-loopback Host name with a 403 naming the fix, for REST and socket handshakes', async () => {
    const bad = await get(emu.port, '/v1/conversations', `evil.example:${emu.port}`, { authorization: `Bearer ${a}` })
    expect(bad.status).toBe(403)
    expect(JSON.parse(bad.body).message).toMatch(/Host "evil\.example" is not served.*allowedHosts.*--allow-host evil\.example/)
    expect(await handshake(`${emu.wsUrl}/v1/streaming/x?access_token=${a}`, { host: 'evil.example' })).toBe(403)
    for (const host of [`localhost:${emu.port}`, `127.0.0.1:${emu.port}`, `[::1]:${emu.port}`, 'LOCALHOST.']) {
      expect((await get(emu.port, '/v1/conversations', host, { authorization: `Bearer ${a}` })).status, host).toBe(200)
    }
  })

  it('answers the names given in allowedHosts', async () => {
    const named = await startEmulator({ allowedHosts: ['emulator.test'] })
    try {
      const t = await token(named)
      expect((await get(named.port, '/v1/conversations', 'emulator.test', { authorization: `Bearer ${t}` })).status).toBe(200)
      expect((await get(named.port, '/v1/conversations', 'other.test', { authorization: `Bearer ${t}` })).status).toBe(403)
    } finally {
      await named.close()
    }
  })
})

describe('tokens are scoped to their app pair', () => {
  it("another app's (or another secret's) token gets 404 for a conversation, its job and its pages' URLs, and does not list it", async () => {
    const made = await api(emu, a, 'POST', '/v1/process/text', {
      name: 'Private A',
      messages: [{ payload: { content: 'Our secret plan.' } }],
    })
    const { conversationId, jobId } = made.body
    await emu.core.idle()
    expect((await api(emu, a, 'GET', `/v1/conversations/${conversationId}`)).status).toBe(200)
    for (const other of [b, sameIdOtherSecret]) {
      for (const path of [
        `/v1/conversations/${conversationId}`,
        `/v1/conversations/${conversationId}/messages`,
        `/v1/job/${jobId}`,
        `/v1/conversations/experiences/insights/details/${conversationId}`,
      ]) {
        expect((await api(emu, other, 'GET', path)).status, path).toBe(404)
      }
      const list = await api(emu, other, 'GET', '/v1/conversations')
      expect(list.body.conversations.map((c: { id: string }) => c.id)).not.toContain(conversationId)
      expect(
        (await api(emu, other, 'PUT', `/v1/process/text/${conversationId}`, { messages: [{ payload: { content: 'Injected.' } }] })).status,
      ).toBe(404)
      expect((await api(emu, other, 'PUT', `/v1/conversations/${conversationId}`, { metadata: { x: 1 } })).status).toBe(404)
      expect((await api(emu, other, 'DELETE', `/v1/conversations/${conversationId}`)).status).toBe(404)
    }
    expect((await api(emu, a, 'GET', '/v1/conversations')).body.conversations.map((c: { id: string }) => c.id)).toContain(conversationId)
    expect((await api(emu, a, 'GET', `/v1/conversations/${conversationId}/messages`)).body.messages).toHaveLength(1)
  })

  it('another app cannot stop, feed or subscribe to a call, nor join a live stream', async () => {
    const call = (
      await api(emu, a, 'POST', '/v1/endpoint:connect', { operation: 'start', endpoint: { type: 'pstn', phoneNumber: '15550002222' } })
    ).body
    expect((await api(emu, b, 'POST', '/v1/endpoint:connect', { operation: 'stop', connectionId: call.connectionId })).status).toBe(404)
    expect((await api(emu, b, 'POST', `/v1/event/${call.connectionId}`, { topic: 'speaker', type: 'joined' })).status).toBe(404)
    expect(await handshake(`${emu.wsUrl}/session/subscribe/${call.connectionId}?access_token=${b}`)).toBe(404)
    expect(await handshake(`${call.resultWebSocketUrl}?access_token=${b}`)).toBe(404)
    expect(await handshake(`${emu.wsUrl}/session/subscribe/${call.connectionId}?access_token=${a}`)).toBe(101)
    expect((await api(emu, a, 'POST', '/v1/endpoint:connect', { operation: 'stop', connectionId: call.connectionId })).status).toBe(200)

    const stream = await connect(`${emu.wsUrl}/v1/streaming/shared-id?access_token=${a}`)
    stream.send({ type: 'start_request', config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 } } })
    await stream.next((f) => f.message?.type === 'recognition_started', 'recognition_started')
    expect(await handshake(`${emu.wsUrl}/v1/streaming/shared-id?access_token=${b}`)).toBe(404)
    expect(await handshake(`${emu.wsUrl}/v1/subscribe/shared-id?access_token=${b}`)).toBe(404)
    stream.send({ type: 'stop_request' })
    await stream.closed
  })
})

describe('HTML pages and CORS', () => {
  it('opens pages only through their keyed links, with no CORS headers; the list shows only its app', async () => {
    const mine = (
      await api(emu, a, 'POST', '/v1/process/text', { name: 'Listed for A', messages: [{ payload: { content: 'Hello from A.' } }] })
    ).body.conversationId
    const theirs = (
      await api(emu, b, 'POST', '/v1/process/text', { name: 'Listed for B', messages: [{ payload: { content: 'Hello from B.' } }] })
    ).body.conversationId
    await emu.core.idle()
    expect((await fetch(`${emu.url}/meeting/${mine}`)).status).toBe(404)
    expect((await fetch(`${emu.url}/insights/details/${mine}?key=${'0'.repeat(32)}`)).status).toBe(404)
    expect((await fetch(`${emu.url}/insights/list`)).status).toBe(404)
    const exp = await api(emu, a, 'POST', `/v1/conversations/${mine}/experiences`, { name: 'verbose-text-summary' })
    const page = await fetch(exp.body.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('access-control-allow-origin')).toBeNull()
    expect(await page.text()).toContain('Hello from A.')
    const listUrl = (await api(emu, a, 'GET', '/v1/conversations/experiences/insights/list')).body.url
    const list = await (await fetch(listUrl)).text()
    expect(list).toContain('Listed for A')
    expect(list).not.toContain('Listed for B')
    expect(theirs).toBeTruthy()
  })

  it('keeps CORS open on the JSON API (token-bearing browser apps) and answers preflights', async () => {
    const r = await fetch(`${emu.url}/v1/conversations`, { headers: { authorization: `Bearer ${a}`, origin: 'https://app.example' } })
    expect(r.headers.get('access-control-allow-origin')).toBe('*')
    expect(r.headers.get('access-control-allow-credentials')).toBeNull()
    const pre = await fetch(`${emu.url}/v1/conversations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/x-api-key/)
    // Without a token there is nothing to read.
    expect((await fetch(`${emu.url}/v1/conversations`, { headers: { origin: 'https://evil.example' } })).status).toBe(401)
  })
})
