// Streaming and subscribe sockets over real WebSockets (the `ws` package against startEmulator).

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, lifecycle, pcm, token, type Client } from './helpers.js'

let emu: RunningEmulator
let tok: string
const RATE = 16000
// 0.3 s silence, 1 s tone, 0.6 s silence
const AUDIO = pcm(RATE, [
  [0.3, 0],
  [1, 0.3],
  [0.6, 0],
])

beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0 })
  tok = await token(emu)
})
afterAll(() => emu.close())

const START = {
  type: 'start_request',
  insightTypes: ['question', 'action_item'],
  config: { sentiment: true, speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: RATE } },
  speaker: { userId: 'jane@example.com', name: 'Jane' },
}

function sendAudio(c: Client, samples: Int16Array): void {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)
  for (let i = 0; i < bytes.length; i += 8192) c.ws.send(bytes.subarray(i, i + 8192))
}

async function stop(c: Client): Promise<number> {
  c.send({ type: 'stop_request' })
  return (await c.closed).code
}

describe('emulator streaming', () => {
  it('runs the lifecycle of 6.5 and the stop order of 6.8, with the token as echoed subprotocol', async () => {
    const c = await connect(`${emu.wsUrl}/v1/streaming/conn-lifecycle-1`, { protocols: [tok] })
    expect(c.ws.protocol).toBe(tok)
    c.send(START)
    await c.next((f) => lifecycle(f) === 'recognition_started')
    c.send(START) // repeated start_request: ignored
    c.ws.send('__PING__')
    await c.next((f) => f === '__PONG__')
    sendAudio(c, AUDIO)
    const msg = await c.next((f) => f.type === 'message_response')
    expect(msg.messages[0].payload.content).toBe('[unrecognised speech]')
    expect(msg.messages[0].metadata.unrecognised).toBe(true)
    expect(msg.messages[0].duration.timeOffset).toBeCloseTo(0.3, 1)
    expect(await stop(c)).toBe(1000)
    const names = c.frames.map(lifecycle)
    expect(names.slice(0, 3)).toEqual(['conversation_created', 'started_listening', 'recognition_started'])
    expect(names.filter((n) => n === 'conversation_created')).toHaveLength(1)
    expect(names.slice(-2)).toEqual(['conversation_completed', 'recognition_stopped'])
    const done = c.frames.find((f) => lifecycle(f) === 'conversation_completed')
    const id = c.frames[0].message.data.conversationId
    expect(done.message.conversationId).toBe(id)
    expect(done.message.data.conversationId).toBe(id)
    const rest = await api(emu, tok, 'GET', `/v1/conversations/${id}/messages`)
    expect(rest.body.messages).toHaveLength(1)
  })

  it('plays a preloaded transcript relative to the audio received, at the declared sample rate', async () => {
    emu.core.preloadTranscript('conn-preload-1', [
      {
        text: 'Can you send me the quarterly report by Friday?',
        speaker: { name: 'Jane', userId: 'jane@example.com' },
        start: 0.2,
        end: 1.2,
      },
    ])
    const c = await connect(`${emu.wsUrl}/v1/realtime/insights/conn-preload-1?access_token=${tok}`)
    const rate = 8000
    c.send({ ...START, config: { ...START.config, speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: rate } } })
    await c.next((f) => lifecycle(f) === 'recognition_started')
    // 1.0 s at 8 kHz: past the start (interim) but not the end (no final yet).
    sendAudio(c, pcm(rate, [[1.0, 0.2]]))
    const interim = await c.next((f) => lifecycle(f) === 'recognition_result' && !f.message.isFinal)
    expect(interim.message.punctuated.transcript).toBe('Can you send me the')
    await new Promise((r) => setTimeout(r, 50))
    expect(c.frames.some((f) => f.type === 'message_response')).toBe(false)
    sendAudio(c, pcm(rate, [[0.5, 0.2]]))
    const final = await c.next((f) => lifecycle(f) === 'recognition_result' && f.message.isFinal)
    expect(final.message.payload.raw.alternatives[0].transcript).toBe('Can you send me the quarterly report by Friday?')
    const insight = await c.next((f) => f.type === 'insight_response')
    expect(insight.insights[0]).toMatchObject({
      type: 'action_item',
      text: 'Can you send me the quarterly report by Friday?',
      payload: { content: 'Can you send me the quarterly report by Friday?' },
    })
    expect((await c.next((f) => f.type === 'message_response')).messages[0].sentiment).toBeDefined()
    await c.next((f) => f.type === 'topic_response')
    expect(await stop(c)).toBe(1000)
  })

  it('continues the same conversation after a dropped socket (fault: drop after N bytes)', async () => {
    emu.faults.dropSocketAfterBytes(4000, { path: '/v1/streaming/:id' })
    const a = await connect(`${emu.wsUrl}/v1/streaming/conn-reconnect-1`, { headers: { 'X-API-KEY': tok } })
    a.send(START)
    const created = await a.next((f) => lifecycle(f) === 'conversation_created')
    sendAudio(a, pcm(RATE, [[0.5, 0]]))
    expect((await a.closed).code).toBe(1006)
    const b = await connect(`${emu.wsUrl}/v1/streaming/conn-reconnect-1`, { headers: { 'X-API-KEY': tok } })
    b.send(START)
    const again = await b.next((f) => lifecycle(f) === 'conversation_created')
    expect(again.message.data.conversationId).toBe(created.message.data.conversationId)
    expect(await stop(b)).toBe(1000)
  })

  it('answers modify_request with session_modified and reports errors in the wrapped form', async () => {
    const c = await connect(`${emu.wsUrl}/v1/streaming/conn-modify-1?access_token=${tok}`)
    c.send(START)
    await c.next((f) => lifecycle(f) === 'recognition_started')
    c.send({ type: 'modify_request', speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 8000 } })
    const modified = await c.next((f) => lifecycle(f) === 'session_modified')
    expect(modified.message.data.speechRecognition.sampleRateHertz).toBe(8000)
    c.ws.send('not json')
    const err = await c.next((f) => lifecycle(f) === 'error')
    expect(err.message.message).toBe('Invalid JSON')
    c.send({ type: 'modify_request', speechRecognition: { sampleRateHertz: 99 } })
    await c.next((f) => lifecycle(f) === 'error' && /out of range/.test(f.message.details))
    expect(await stop(c)).toBe(1000)
  })

  it('refuses handshakes without a valid token or when a fault is armed', async () => {
    await expect(connect(`${emu.wsUrl}/v1/streaming/conn-noauth-1`)).rejects.toMatchObject({ status: 401 })
    emu.faults.refuseHandshakes(1, 503)
    await expect(connect(`${emu.wsUrl}/v1/streaming/conn-refused-1?access_token=${tok}`)).rejects.toMatchObject({ status: 503 })
    const ok = await connect(`${emu.wsUrl}/v1/streaming/conn-refused-1?access_token=${tok}`)
    ok.ws.close()
  })

  it('sends malformed frames when asked', async () => {
    emu.faults.sendMalformedFrames(1)
    const c = await connect(`${emu.wsUrl}/v1/streaming/conn-malformed-1?access_token=${tok}`)
    c.send(START)
    await c.next((f) => lifecycle(f) === 'recognition_started')
    expect(c.frames[0].malformed).toBeDefined()
    expect(lifecycle(c.frames[1])).toBe('started_listening')
    await stop(c)
  })

  it('relays the stream to /v1/subscribe subscribers, who get pong and a clean close', async () => {
    const sub = await connect(`${emu.wsUrl}/v1/subscribe/conn-sub-1?access_token=${tok}`)
    sub.ws.send('__PING__')
    await sub.next((f) => f === '__PONG__')
    const c = await connect(`${emu.wsUrl}/v1/streaming/conn-sub-1?access_token=${tok}`)
    c.send(START)
    sendAudio(c, AUDIO)
    await sub.next((f) => f.type === 'message_response')
    await stop(c)
    await sub.next((f) => lifecycle(f) === 'conversation_completed')
    expect((await sub.closed).code).toBe(1000)
  })
})

describe('emulator telephony', () => {
  it('connects, plays a preloaded call to subscribers, takes speaker events, and stops', async () => {
    emu.core.preloadTranscript('14085551234', [
      { text: 'Hello, this is Ann. I will email the invoice today.', speaker: { name: 'Ann' }, start: 0, end: 0.05 },
    ])
    const start = await api(emu, tok, 'POST', '/v1/endpoint:connect', {
      operation: 'start',
      endpoint: { type: 'pstn', phoneNumber: '14085551234' },
      data: { session: { name: 'Call' } },
      languages: ['en-US'],
    })
    expect(start.status).toBe(201)
    const { connectionId, conversationId, eventUrl, resultWebSocketUrl } = start.body
    expect(resultWebSocketUrl).toBe(`${emu.wsUrl}/events/${connectionId}`)
    expect(eventUrl).toBe(`${emu.url}/v1/event/${connectionId}`)
    const sub = await connect(`${emu.wsUrl}/session/subscribe/${connectionId}`, { headers: { 'x-api-key': tok } })
    const msg = await sub.next((f) => f.type === 'message_response')
    expect(msg.messages[0].payload.content).toContain('I will email the invoice today.')
    const ev = await api(emu, tok, 'POST', `/v1/event/${connectionId}`, {
      topic: 'speaker',
      type: 'started_speaking',
      user: { userId: 'a@example.com', name: 'Ann' },
      timestamp: new Date().toISOString(),
    })
    expect(ev.status).toBe(200)
    expect((await api(emu, tok, 'POST', `/v1/event/${connectionId}`, { topic: 'speaker', type: 'dancing' })).status).toBe(400)
    const events = await connect(resultWebSocketUrl, { protocols: [tok] })
    events.send({ topic: 'speaker', type: 'stopped_speaking', user: { name: 'Ann' } })
    const stop = await api(emu, tok, 'POST', '/v1/endpoint:connect', { operation: 'stop', connectionId })
    expect(stop.body).toMatchObject({ connectionId, conversationId })
    expect(Array.isArray(stop.body.summaryInfo)).toBe(true)
    expect((await sub.closed).code).toBe(1000)
    expect(emu.core.store.get(conversationId)!.speakerEvents).toHaveLength(2)
    events.ws.close()
    expect((await api(emu, tok, 'POST', '/v1/endpoint:connect', { operation: 'start', endpoint: { type: 'sip' } })).status).toBe(400)
    const pstn = { operation: 'start', endpoint: { type: 'pstn', phoneNumber: '15550009999' } }
    expect(
      (
        await api(emu, tok, 'POST', '/v1/endpoint:connect', {
          ...pstn,
          languages: [{ code: 'es-US' }],
          actions: [{ invokeOn: 'stop', name: 'sendSummaryEmail', parameters: { emails: ['a@example.com'] } }],
        })
      ).status,
    ).toBe(201)
    expect((await api(emu, tok, 'POST', '/v1/endpoint:connect', { ...pstn, languages: [5] })).body.message).toMatch(/languages\[0\]/)
    expect(
      (await api(emu, tok, 'POST', '/v1/endpoint:connect', { ...pstn, actions: [{ invokeOn: 'later', name: 'x' }] })).body.message,
    ).toMatch(/invokeOn/)
  })
})
