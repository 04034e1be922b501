// Streaming extras: entity_response (detectEntities), interim tracker matches
// (trackers.interimResults), the account trackers behind trackers.enableAllTrackers, the
// disconnectOnStopRequestTimeout, and the insights status of a live conversation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, connect, lifecycle, pcm, token, type Client } from './helpers.js'

let emu: RunningEmulator
let tok: string
const RATE = 16000

beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 0, accountTrackers: [{ name: 'Budget', vocabulary: ['budget'] }] })
  tok = await token(emu)
})
afterAll(() => emu.close())

function sendAudio(c: Client, seconds: number): void {
  const samples = pcm(RATE, [[seconds, 0.2]])
  const bytes = new Uint8Array(samples.buffer)
  for (let i = 0; i < bytes.length; i += 8192) c.ws.send(bytes.subarray(i, i + 8192))
}

const start = (config: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'start_request',
  insightTypes: ['action_item'],
  config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: RATE }, ...config },
  speaker: { name: 'Jane', userId: 'jane@example.com' },
  ...extra,
})

async function stop(c: Client): Promise<void> {
  c.send({ type: 'stop_request' })
  expect((await c.closed).code).toBe(1000)
}

describe('streaming extras', () => {
  it('sends entity_response frames (GO shape) from the same analysis as the REST entities', async () => {
    emu.core.preloadTranscript('x-entities', [
      {
        text: 'Mark will fly to Boston on Friday to meet Acme Corporation.',
        speaker: { name: 'Jane', userId: 'jane@example.com' },
        start: 0.1,
        end: 0.6,
      },
      { text: 'Sounds good.', speaker: { name: 'Mark', userId: 'mark@example.com' }, start: 0.7, end: 0.9 },
    ])
    const c = await connect(`${emu.wsUrl}/v1/streaming/x-entities?access_token=${tok}`)
    c.send(start({ detectEntities: true }))
    const created = await c.next((f) => lifecycle(f) === 'conversation_created')
    sendAudio(c, 1.0)
    const frame = await c.next((f) => f.type === 'entity_response', 'entity_response')
    const message = c.frames.find((f) => f.type === 'message_response').messages[0]
    expect(typeof frame.sequenceNumber).toBe('number')
    for (const e of frame.entities) {
      expect(typeof e.type).toBe('string')
      for (const m of e.matches) {
        expect(typeof m.detectedValue).toBe('string')
        expect(m.messageRefs[0]).toMatchObject({
          id: message.id,
          text: message.payload.content,
          startTime: message.duration.startTime,
          endTime: message.duration.endTime,
        })
        expect(message.payload.content.slice(m.messageRefs[0].offset)).not.toBe('')
      }
    }
    const detected = frame.entities.flatMap((e: any) => e.matches.map((m: any) => `${e.type}:${m.detectedValue}`))
    expect(detected).toEqual(expect.arrayContaining(['location:Boston']))
    expect(detected.some((d: string) => d.startsWith('date:'))).toBe(true)
    await stop(c)
    // Every entity streamed is one the REST endpoint reports for the conversation.
    const rest = (await api(emu, tok, 'GET', `/v1/conversations/${created.message.data.conversationId}/entities`)).body.entities
    const restKeys = new Set(rest.map((e: any) => `${e.type}:${e.value}`))
    for (const d of detected) expect(restKeys.has(d), d).toBe(true)
  })

  it('sends no entity_response without detectEntities', async () => {
    emu.core.preloadTranscript('x-no-entities', [{ text: 'Mark will fly to Boston on Friday.', start: 0.1, end: 0.4 }])
    const c = await connect(`${emu.wsUrl}/v1/streaming/x-no-entities?access_token=${tok}`)
    c.send(start({}))
    sendAudio(c, 0.6)
    await c.next((f) => f.type === 'message_response')
    await stop(c)
    expect(c.frames.some((f) => f.type === 'entity_response')).toBe(false)
  })

  it('sends interim tracker matches (isFinal:false) with trackers.interimResults, then the final ones', async () => {
    const text = 'The quarterly report is late and we need it by Friday.'
    emu.core.preloadTranscript('x-interim', [{ text, start: 0.1, end: 1.0 }])
    const c = await connect(`${emu.wsUrl}/v1/streaming/x-interim?access_token=${tok}`)
    c.send(
      start(
        { trackers: { interimResults: true } },
        {
          trackers: [
            { name: 'Reports', vocabulary: ['quarterly report'] },
            { name: 'Deadline', vocabulary: ['by Friday'] },
          ],
        },
      ),
    )
    await c.next((f) => lifecycle(f) === 'recognition_started')
    sendAudio(c, 0.5) // past the start only: interim
    const interim = await c.next((f) => f.type === 'tracker_response' && f.isFinal === false, 'interim tracker')
    // Only what the interim result says so far: "by Friday" is in the second half of the line.
    expect(interim.trackers.map((t: any) => t.name)).toEqual(['Reports'])
    expect(interim.trackers[0].matches[0].messageRefs[0].text).toBe(
      c.frames.find((f) => lifecycle(f) === 'recognition_result').message.punctuated.transcript,
    )
    expect(c.frames.some((f) => f.type === 'tracker_response' && f.isFinal)).toBe(false)
    sendAudio(c, 0.6)
    const final = await c.next((f) => f.type === 'tracker_response' && f.isFinal === true, 'final tracker')
    expect(final.trackers.map((t: any) => t.name).sort()).toEqual(['Deadline', 'Reports'])
    const message = c.frames.find((f) => f.type === 'message_response').messages[0]
    // The interim refs point at the message the line became.
    expect(interim.trackers[0].matches[0].messageRefs[0].id).toBe(message.id)
    expect(final.trackers[0].matches[0].messageRefs[0]).toMatchObject({ id: message.id, text })
    await stop(c)

    // Without interimResults: final matches only.
    emu.core.preloadTranscript('x-no-interim', [{ text, start: 0.1, end: 1.0 }])
    const d = await connect(`${emu.wsUrl}/v1/streaming/x-no-interim?access_token=${tok}`)
    d.send(start({}, { trackers: [{ name: 'Reports', vocabulary: ['quarterly report'] }] }))
    sendAudio(d, 1.2)
    await d.next((f) => f.type === 'tracker_response')
    await stop(d)
    expect(d.frames.filter((f) => f.type === 'tracker_response').map((f) => f.isFinal)).toEqual([true])
  })

  it('uses the account trackers with trackers.enableAllTrackers, and only then', async () => {
    const text = 'Let us review the budget next week.'
    for (const [id, enableAll] of [
      ['x-all-trackers', true],
      ['x-own-trackers', false],
    ] as const) {
      emu.core.preloadTranscript(id, [{ text, start: 0.1, end: 0.5 }])
      const c = await connect(`${emu.wsUrl}/v1/streaming/${id}?access_token=${tok}`)
      c.send(start({ trackers: { enableAllTrackers: enableAll } }, { trackers: [{ name: 'Review', vocabulary: ['review'] }] }))
      const created = await c.next((f) => lifecycle(f) === 'conversation_created')
      sendAudio(c, 0.7)
      const tr = await c.next((f) => f.type === 'tracker_response')
      await stop(c)
      const expected = enableAll ? ['Budget', 'Review'] : ['Review']
      expect(tr.trackers.map((t: any) => t.name).sort(), id).toEqual(expected)
      const rest = (await api(emu, tok, 'GET', `/v1/conversations/${created.message.data.conversationId}/trackers-detected`)).body
      expect(rest.map((t: any) => t.name).sort(), id).toEqual(expected)
    }
  })

  it('reports the insights status of a live conversation, closes a kept socket after disconnectOnStopRequestTimeout', async () => {
    const c = await connect(`${emu.wsUrl}/v1/streaming/x-status?access_token=${tok}`)
    c.send(start({}, { disconnectOnStopRequest: false, disconnectOnStopRequestTimeout: 0 }))
    const created = await c.next((f) => lifecycle(f) === 'conversation_created')
    const id = created.message.data.conversationId
    const live = await api(emu, tok, 'GET', `/v1/conversations/${id}/lm-insights/status`)
    expect(live.body.status).toBe('in_progress')
    expect(live.body.jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}/callscore`)).status).toBe(404)
    c.send({ type: 'stop_request' })
    await c.next((f) => lifecycle(f) === 'recognition_stopped')
    // Kept open after the stop, then closed cleanly once the (zero) timeout passes.
    expect((await c.closed).code).toBe(1000)
    const done = await api(emu, tok, 'GET', `/v1/conversations/${id}/callscore/status`)
    expect(done.body).toEqual({ jobId: live.body.jobId, status: 'completed' })
    expect((await api(emu, tok, 'GET', `/v1/conversations/${id}/callscore`)).body).toMatchObject({ score: 0, criteria: [] })

    // A kept socket restarted by a new start_request continues the same conversation.
    const k = await connect(`${emu.wsUrl}/v1/streaming/x-kept?access_token=${tok}`)
    k.send(start({}, { disconnectOnStopRequest: false }))
    const first = await k.next((f) => lifecycle(f) === 'conversation_created')
    k.send({ type: 'stop_request' })
    await k.next((f) => lifecycle(f) === 'recognition_stopped')
    k.send(start({}))
    const second = await k.next((f) => lifecycle(f) === 'conversation_created' && f !== first)
    expect(second.message.data.conversationId).toBe(first.message.data.conversationId)
    await stop(k)

    const bad = await connect(`${emu.wsUrl}/v1/streaming/x-status-bad?access_token=${tok}`)
    bad.send(start({}, { disconnectOnStopRequestTimeout: 5000 }))
    const err = await bad.next((f) => lifecycle(f) === 'error')
    expect(err.message.details).toMatch(/disconnectOnStopRequestTimeout" must be between 0 and 1800/)
    bad.send(start({ trackers: { interimResults: 'sometimes' } }))
    await bad.next((f) => lifecycle(f) === 'error' && /interimResults/.test(f.message.details))
    bad.ws.close()
  })
})
