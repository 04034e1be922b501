// The Streaming API end to end against the emulator's WebSocket server: live events from a
// preloaded transcript, stop() and the Conversation API afterwards, modify(), and the socket
// faults: a drop mid-stream (reconnect, same conversation, no audio lost), refused handshakes,
// malformed frames, and an expired token on reconnect.
import { describe, expect, it } from 'vitest'
import { ConnectionError } from '../../../src/errors.js'
import { MalformedFrameError } from '../../../src/streaming/errors.js'
import type { StreamingConnection } from '../../../src/streaming/connection.js'
import type { StreamingOptions, StreamingEvents } from '../../../src/streaming/types.js'
import { seenSince, speechPcm, until, useEmulator } from './helpers.js'

const env = useEmulator()
const RATE = 16000
const CHUNK_MS = 100
let ids = 0
const newId = () => `int-stream-${Date.now()}-${++ids}`

const LINES = [
  { text: 'Good morning, this is the weekly marketing review.', speaker: { name: 'Ana', userId: 'ana@example.com' }, start: 0.2, end: 1.0 },
  { text: 'What is the budget for the campaign?', speaker: { name: 'Ben', userId: 'ben@example.com' }, start: 1.2, end: 2.0 },
  { text: 'Can you send me the campaign report by Friday?', speaker: { name: 'Ana', userId: 'ana@example.com' }, start: 2.2, end: 2.9 },
]

const base: StreamingOptions = {
  keepAlive: false,
  reconnect: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 },
  stopTimeoutMs: 5000,
  startTimeoutMs: 5000,
}

/** Records every event of a connection. */
function record(connection: StreamingConnection) {
  const events: Array<{ name: keyof StreamingEvents; arg: any }> = []
  const names: Array<keyof StreamingEvents> = [
    'message',
    'message_response',
    'insight_response',
    'topic_response',
    'tracker_response',
    'error',
    'reconnecting',
    'reconnected',
    'close',
  ]
  for (const name of names) connection.on(name, ((arg: unknown) => events.push({ name, arg })) as never)
  return { events, of: (name: keyof StreamingEvents) => events.filter((e) => e.name === name).map((e) => e.arg) }
}

/** Sends `seconds` of speech-like PCM in 100 ms chunks, as fast as the connection takes it; returns the bytes sent. */
async function sendSpeech(connection: StreamingConnection, seconds: number, rate = RATE, yieldEvery = 3): Promise<number> {
  const pcm = speechPcm(seconds, [[0.1, seconds - 0.1]], rate)
  const step = (rate * CHUNK_MS) / 1000
  let bytes = 0
  for (let i = 0, n = 0; i < pcm.length; i += step, n++) {
    const chunk = pcm.subarray(i, Math.min(i + step, pcm.length))
    await connection.sendAudio(chunk)
    bytes += chunk.byteLength
    if (n % yieldEvery === 0) await new Promise((r) => setImmediate(r))
  }
  return bytes
}

describe('a live conversation', () => {
  it('plays the preloaded transcript as live events, and stop() resolves with a usable Conversation', async () => {
    const id = newId()
    env.emu.core.preloadTranscript(id, LINES)
    const connection = await env.symbl.streaming.startConnection({
      ...base,
      id,
      insightTypes: ['question', 'action_item'],
      trackers: [{ name: 'Budget', vocabulary: ['budget'] }],
      speaker: { userId: 'ana@example.com', name: 'Ana' },
      config: { meetingTitle: 'Weekly review', sentiment: true },
    })
    expect(connection.conversationId).toMatch(/^\d+$/)
    expect(connection.state).toBe('open')
    const seen = record(connection)
    await sendSpeech(connection, 3.2)
    await until(() => seen.of('insight_response').length >= 2, 'the insights')

    const captions = seen.of('message').filter((f) => f.message.type === 'recognition_result')
    const interim = captions.filter((f) => !f.message.isFinal)
    const final = captions.filter((f) => f.message.isFinal)
    expect(final.map((f) => f.message.payload.raw.alternatives[0].transcript)).toEqual(LINES.map((l) => l.text))
    expect(interim.length).toBeGreaterThanOrEqual(LINES.length)
    expect(LINES[0].text.startsWith(interim[0].message.payload.raw.alternatives[0].transcript)).toBe(true)
    expect(final[1].message.user.name).toBe('Ben')

    const messages = seen.of('message_response').flatMap((f) => f.messages)
    expect(messages.map((m: any) => m.payload.content)).toEqual(LINES.map((l) => l.text))
    expect(messages[0].sentiment.polarity.score).toEqual(expect.any(Number))
    const insights = seen.of('insight_response').flatMap((f) => f.insights)
    expect(insights.map((i: any) => i.type).sort()).toEqual(['action_item', 'question'])
    expect(insights.find((i: any) => i.type === 'question').payload.content).toBe(LINES[1].text)
    expect(seen.of('topic_response').flatMap((f) => f.topics).length).toBeGreaterThan(0)
    const trackers = seen.of('tracker_response').flatMap((f) => f.trackers)
    expect(trackers.map((t: any) => t.name)).toEqual(['Budget'])
    for (const e of seen.events) if (e.name !== 'close') expect(e.arg.audioOffsetMs).toBe(0)

    const conversation = await connection.stop()
    expect(conversation.conversationId).toBe(connection.conversationId)
    expect(connection.state).toBe('closed')
    // stats(): the timeline of the session, in order, and the audio sent (3.2 s, nothing captured by a microphone).
    const stats = connection.stats()
    expect(stats.socketOpenMs).toBeGreaterThan(0)
    expect(stats.startedMs).toBeGreaterThanOrEqual(stats.socketOpenMs!)
    expect(stats.firstAudioSentMs).toBeGreaterThanOrEqual(stats.startedMs!)
    expect(stats.firstInterimMs).toBeGreaterThanOrEqual(stats.firstAudioSentMs!)
    expect(stats.firstFinalMs).toBeGreaterThanOrEqual(stats.firstInterimMs!)
    expect(stats.sentSeconds).toBeCloseTo(3.2, 6)
    expect(stats.capturedSeconds).toBe(0)
    expect(stats).toMatchObject({ bufferedSeconds: 0, droppedSeconds: 0, replayedSeconds: 0, reconnects: 0 })
    const completed = seen.of('message').find((f) => f.message.type === 'conversation_completed')
    expect(completed.message.conversationId).toBe(conversation.conversationId)
    expect(seen.of('close')).toEqual([{ code: 1000, reason: expect.any(String) }])
    expect(seen.of('error')).toEqual([])

    const { messages: stored } = await conversation.getMessages()
    expect(stored.map((m) => m.text)).toEqual(LINES.map((l) => l.text))
    expect((await conversation.getQuestions()).questions.map((q) => q.text)).toEqual([LINES[1].text])
    expect((await conversation.getConversation()).name).toBe('Weekly review')
    await expect(connection.sendAudio(new Int16Array(160))).rejects.toBeInstanceOf(ConnectionError)
  })

  it('without a preload, speech bursts arrive as unrecognised speech; stop() flushes the last one', async () => {
    const connection = await env.symbl.streaming.startConnection(base)
    const seen = record(connection)
    const pcm = speechPcm(2, [
      [0.2, 0.8],
      [1.2, 1.9],
    ])
    await connection.sendAudio(pcm)
    const conversation = await connection.stop()
    const finals = seen.of('message').filter((f) => f.message.type === 'recognition_result' && f.message.isFinal)
    expect(finals).toHaveLength(2)
    expect(finals[0].message.payload.raw.alternatives[0].transcript).toBe('[unrecognised speech]')
    const { messages } = await conversation.getMessages()
    expect(messages).toHaveLength(2)
    expect(messages[1].timeOffset).toBeGreaterThan(1)
  })

  it('modify() changes the sample rate mid-stream: the emulator times the following audio at the new rate', async () => {
    const id = newId()
    // One line ends at 1.7 s: reached only if the 8 kHz audio after modify counts at 8 kHz.
    env.emu.core.preloadTranscript(id, [{ text: 'Rate changed fine.', start: 1.2, end: 1.7 }])
    const connection = await env.symbl.streaming.startConnection({ ...base, id })
    const seen = record(connection)
    await sendSpeech(connection, 1)
    await connection.modify({ sampleRateHertz: 8000 })
    expect(connection.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 8000 })
    const modified = seen.of('message').find((f) => f.message.type === 'session_modified')
    expect(modified.message.data.speechRecognition).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 8000 })
    await sendSpeech(connection, 0.8, 8000) // 12 800 bytes: 0.8 s at 8 kHz, only 0.4 s at 16 kHz
    await until(() => seen.of('message_response').length === 1, 'the line after 1.7 s')
    expect(seen.of('message_response')[0].messages[0].payload.content).toBe('Rate changed fine.')
    const live = env.emu.core.liveStreams.get(id)!
    await connection.stop()
    expect(live.audioSeconds).toBeCloseTo(1.8, 2)
    await expect(connection.modify({ sampleRateHertz: 16000 })).rejects.toBeInstanceOf(ConnectionError)
  })

  it('a modify the server refuses: an error event with its message, modify() rejects, the connection goes on', async () => {
    const connection = await env.symbl.streaming.startConnection({ ...base, stopTimeoutMs: 3000 })
    const seen = record(connection)
    // MULAW at 44.1 kHz passes the SDK's checks (8–48 kHz) but not the server's (MULAW is 8 kHz only).
    const outcome = await connection.modify({ encoding: 'MULAW', sampleRateHertz: 44100 }).then(
      () => 'resolved',
      (e: unknown) => e,
    )
    expect(outcome).toBeInstanceOf(ConnectionError)
    expect((outcome as Error).message).toMatch(/out of range for MULAW/)
    const [error] = seen.of('error')
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toMatch(/out of range for MULAW/)
    expect(connection.state).toBe('open')
    expect(connection.format).toEqual({ encoding: 'LINEAR16', sampleRateHertz: 16000 })
    await connection.sendAudio(speechPcm(0.5, [[0.1, 0.4]]))
    const conversation = await connection.stop()
    expect(conversation.conversationId).toBe(connection.conversationId)
  })
})

describe('socket faults', () => {
  it('a drop mid-stream: reconnects to the same conversation, resends the tail, loses no audio, completes', async () => {
    const id = newId()
    env.emu.core.preloadTranscript(id, LINES)
    env.emu.faults.dropSocketAfterBytes(40_000, { path: `/v1/realtime/insights/${id}` })
    const connection = await env.symbl.streaming.startConnection({ ...base, id })
    const conversationId = connection.conversationId
    const seen = record(connection)
    const live = env.emu.core.liveStreams.get(id)!
    const sent = await sendSpeech(connection, 3.2)
    await connection.drain()
    const conversation = await connection.stop()

    expect(seen.of('reconnecting')).toEqual([expect.objectContaining({ attempt: 1, closeCode: 1006 })])
    const [reconnected] = seen.of('reconnected')
    expect(reconnected).toMatchObject({ attempt: 1 })
    expect(reconnected.resentBytes).toBeGreaterThan(0)
    expect(connection.stats().reconnects).toBe(1)
    expect(conversation.conversationId).toBe(conversationId)
    // No gap: the server processed at least every byte once (the resent tail is counted twice).
    expect(live.audioBytes).toBeGreaterThanOrEqual(sent)
    expect(live.audioBytes).toBeLessThanOrEqual(sent + reconnected.resentBytes)
    expect(seen.of('error')).toEqual([])
    const { messages } = await conversation.getMessages()
    expect(new Set(messages.map((m) => m.text))).toEqual(new Set(LINES.map((l) => l.text)))
  })

  it('a refused handshake at start is a ConnectionError that names the status', async () => {
    env.emu.faults.refuseHandshakes(1, 503)
    const error = (await env.symbl.streaming.startConnection(base).catch((e: unknown) => e)) as ConnectionError
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toMatch(/refused the WebSocket handshake with HTTP 503/)
    expect(error.details).toEqual({ status: 503 })
    // The fault was used up: the next start works.
    const connection = await env.symbl.streaming.startConnection(base)
    await connection.stop()
  })

  it('refused handshakes while reconnecting are retried until one succeeds', async () => {
    const id = newId()
    env.emu.faults.dropSocketAfterBytes(20_000, { path: `/v1/realtime/insights/${id}` })
    const connection = await env.symbl.streaming.startConnection({ ...base, id })
    const seen = record(connection)
    env.emu.faults.refuseHandshakes(2, 503, `/v1/realtime/insights/${id}`)
    const sent = await sendSpeech(connection, 1.5)
    await connection.drain()
    const conversation = await connection.stop()
    expect(seen.of('reconnecting').map((r) => r.attempt)).toEqual([1, 2, 3])
    expect(seen.of('reconnecting')[1].reason).toMatch(/503/)
    expect(seen.of('reconnected')).toEqual([expect.objectContaining({ attempt: 3 })])
    expect(conversation.conversationId).toBe(connection.conversationId)
    void sent
  })

  it('malformed frames become error events (MalformedFrameError) and the connection survives', async () => {
    const id = newId()
    env.emu.core.preloadTranscript(id, LINES)
    const connection = await env.symbl.streaming.startConnection({ ...base, id })
    const seen = record(connection)
    env.emu.faults.sendMalformedFrames(2, `/v1/realtime/insights/${id}`)
    await sendSpeech(connection, 3.2)
    const conversation = await connection.stop()
    const errors = seen.of('error')
    expect(errors).toHaveLength(2)
    for (const e of errors) {
      expect(e).toBeInstanceOf(MalformedFrameError)
      expect(e.raw).toMatch(/^\{"type":"message"/)
    }
    expect(seen.of('reconnecting')).toEqual([])
    // Later frames still arrive: every line's message_response (one or two of the first frames were lost).
    expect(seen.of('message_response').length).toBeGreaterThanOrEqual(LINES.length - 1)
    expect((await conversation.getMessages()).messages).toHaveLength(LINES.length)
  })

  it('an expired token on reconnect: the handshake gets a 401, the SDK fetches a new token and reconnects', async () => {
    const id = newId()
    const symbl = env.client()
    env.emu.faults.dropSocketAfterBytes(20_000, { path: `/v1/realtime/insights/${id}` })
    const connection = await symbl.streaming.startConnection({ ...base, id })
    const before = await symbl.tokens.get()
    const seen = record(connection)
    env.emu.faults.expireTokens()
    const mark = env.requests.length
    await sendSpeech(connection, 1.5)
    await connection.drain()
    const conversation = await connection.stop()
    const reasons = seen.of('reconnecting').map((r) => r.reason)
    expect(reasons.length).toBe(2)
    expect(reasons[1]).toMatch(/401/)
    expect(seen.of('reconnected')).toHaveLength(1)
    expect(seenSince(env, mark, 'POST', /^\/oauth2\/token:generate$/)).toBe(1)
    expect(await symbl.tokens.get()).not.toBe(before)
    expect((await conversation.getMessages()).messages.length).toBeGreaterThan(0)
  })

  it('an expired token at start: one retry with a fresh token', async () => {
    const symbl = env.client()
    await symbl.tokens.get()
    env.emu.faults.expireTokens()
    const connection = await symbl.streaming.startConnection(base)
    expect(connection.conversationId).toMatch(/^\d+$/)
    await connection.stop()
  })
})
