// The Telephony API end to end: PSTN and SIP calls that play a preloaded transcript to the
// subscribe socket, speaker events, stop with summaryInfo, and bad arguments.
import { describe, expect, it } from 'vitest'
import { NotFoundError, ValidationError } from '../../../src/errors.js'
import type { TelephonyConnection } from '../../../src/telephony/telephony-connection.js'
import type { TelephonyEvents } from '../../../src/telephony/types.js'
import { until, useEmulator } from './helpers.js'

const env = useEmulator()

// Wall-clock playback after connect: the first line starts late enough for the subscription to be open.
const LINES = [
  { text: 'Hello, thanks for calling the support line.', speaker: { name: 'Agent', userId: 'agent@example.com' }, start: 0.3, end: 0.4 },
  { text: 'What is the status of my refund?', speaker: { name: 'Caller', userId: 'caller@example.com' }, start: 0.45, end: 0.55 },
  { text: 'I will call you back tomorrow with an update.', speaker: { name: 'Agent', userId: 'agent@example.com' }, start: 0.6, end: 0.7 },
]

function record(call: TelephonyConnection) {
  const events: Array<{ name: keyof TelephonyEvents; arg: any }> = []
  const names: Array<keyof TelephonyEvents> = [
    'transcript_response',
    'message_response',
    'insight_response',
    'topic_response',
    'error',
    'open',
    'close',
  ]
  for (const name of names) call.on(name, ((arg: unknown) => events.push({ name, arg })) as never)
  return { events, of: (name: keyof TelephonyEvents) => events.filter((e) => e.name === name).map((e) => e.arg) }
}

let numbers = 0
const phone = () => `1408555${String(1000 + ++numbers).padStart(4, '0')}`

describe('PSTN', () => {
  it('startPstn, live events from the call, pushSpeakerEvent, stop with summaryInfo, then the Conversation API', async () => {
    const phoneNumber = phone()
    env.emu.core.preloadTranscript(phoneNumber, LINES)
    const call = await env.symbl.telephony.startPstn({
      phoneNumber,
      dtmf: ',,123#',
      data: { session: { name: 'Support call' } },
      languages: 'en-US',
      timezone: 'US/Pacific',
    })
    expect(call.connectionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(call.conversationId).toMatch(/^\d+$/)
    expect(call.eventUrl).toBe(`${env.emu.url}/v1/event/${call.connectionId}`)
    expect(call.resultWebSocketUrl).toBe(`${env.emu.wsUrl}/events/${call.connectionId}`)
    const seen = record(call)
    await until(() => seen.of('message_response').length === LINES.length, 'every line of the call')

    expect(seen.of('open')).toHaveLength(1)
    const transcripts = seen.of('transcript_response')
    expect(transcripts.filter((t) => t.isFinal).map((t) => t.payload.content)).toEqual(LINES.map((l) => l.text))
    expect(transcripts.filter((t) => !t.isFinal)).toHaveLength(LINES.length)
    const messages = seen.of('message_response').flatMap((f) => f.messages)
    expect(messages.map((m: any) => m.from.name)).toEqual(LINES.map((l) => l.speaker.name))
    const insights = seen.of('insight_response').flatMap((f) => f.insights)
    expect(insights.map((i: any) => i.type).sort()).toEqual(['follow_up', 'question'])
    expect(seen.of('topic_response').length).toBeGreaterThan(0)

    const answer = await call.pushSpeakerEvent({ type: 'started_speaking', user: { userId: 'caller@example.com', name: 'Caller' } })
    expect(answer).toEqual({ message: 'Speaker event received.' })
    const stored = env.emu.core.telephony.calls.get(call.connectionId)!.speakerEvents as any[]
    expect(stored).toEqual([
      expect.objectContaining({
        topic: 'speaker',
        type: 'started_speaking',
        user: { userId: 'caller@example.com', name: 'Caller' },
        timestamp: expect.any(String),
      }),
    ])

    const stopped = await call.stop()
    expect(stopped).toMatchObject({ connectionId: call.connectionId, conversationId: call.conversationId })
    // The emulator's page links carry an unguessable key (src/emulator/core/pages.ts).
    expect(stopped.summaryInfo).toEqual([
      expect.objectContaining({
        url: expect.stringMatching(new RegExp(`^${env.emu.url}/meeting/${call.conversationId}\\?key=[0-9a-f]{32}$`)),
      }),
    ])
    expect(stopped.summaryInfo![0].user).toMatchObject({ name: 'Agent', role: 'organizer' })
    expect(await call.stop()).toBe(stopped) // once
    await until(() => seen.of('close').length === 1, 'the subscription to close')
    expect(seen.of('error')).toEqual([])

    const conversation = call.conversation!
    expect((await conversation.getMessages()).messages.map((m) => m.text)).toEqual(LINES.map((l) => l.text))
    expect((await conversation.getQuestions()).questions.map((q) => q.text)).toEqual([LINES[1].text])
    expect((await conversation.getConversation()).name).toBe('Support call')
  })

  it('stop through the API by connectionId; a stopped call plays nothing more', async () => {
    const phoneNumber = phone()
    env.emu.core.preloadTranscript(phoneNumber, [{ text: 'This is never heard.', start: 5, end: 6 }])
    const call = await env.symbl.telephony.startPstn({ phoneNumber })
    const stopped = await env.symbl.telephony.stop(call.connectionId)
    expect(stopped.connectionId).toBe(call.connectionId)
    expect(stopped.summaryInfo).toEqual([])
    expect((await call.conversation!.getMessages()).messages).toEqual([])
  })
})

describe('SIP', () => {
  it('startSip plays the transcript keyed by the SIP URI', async () => {
    const uri = `sip:room-${Date.now()}@sip.example.com`
    env.emu.core.preloadTranscript(uri, LINES.slice(0, 1))
    const call = await env.symbl.telephony.startSip({ uri, audioConfig: { encoding: 'PCMU', sampleRate: 8000 } })
    const seen = record(call)
    await until(() => seen.of('message_response').length === 1, 'the line')
    expect(seen.of('message_response')[0].messages[0].payload.content).toBe(LINES[0].text)
    const stopped = await call.stop()
    expect(stopped.summaryInfo![0].user).toMatchObject({ name: 'Agent' })
  })
})

describe('bad arguments and unknown calls', () => {
  it('are refused before anything is sent', async () => {
    const mark = env.requests.length
    await expect(env.symbl.telephony.startPstn({ phoneNumber: 'call me' })).rejects.toBeInstanceOf(ValidationError)
    await expect(env.symbl.telephony.startPstn({ phoneNumber: '14085551234', dtmf: 'x' })).rejects.toBeInstanceOf(ValidationError)
    await expect(env.symbl.telephony.startPstn(undefined as never)).rejects.toBeInstanceOf(ValidationError)
    await expect(env.symbl.telephony.startSip({ uri: 'https://example.com' })).rejects.toBeInstanceOf(ValidationError)
    await expect(env.symbl.telephony.startSip({ uri: 'sip:a@b', audioConfig: { sampleRate: 8000.5 } })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(
      env.symbl.telephony.startPstn({ phoneNumber: '14085551234', actions: [{ invokeOn: 'later' as never, name: 'x' }] }),
    ).rejects.toBeInstanceOf(ValidationError)
    await expect(env.symbl.telephony.pushSpeakerEvent('abc-123', { type: 'shouting' as never, user: {} })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(env.symbl.telephony.stop('')).rejects.toBeInstanceOf(ValidationError)
    expect(env.requests.length).toBe(mark)
  })

  it('an unknown connection is a NotFoundError for stop and for speaker events', async () => {
    await expect(env.symbl.telephony.stop('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      env.symbl.telephony.pushSpeakerEvent('00000000-0000-0000-0000-000000000000', { type: 'joined', user: { name: 'X' } }),
    ).rejects.toBeInstanceOf(NotFoundError)
  })
})
