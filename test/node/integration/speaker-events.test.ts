// putSpeakersEvents (contract 4.5) through the SDK against the emulator: the events re-attribute the
// messages ("the update should be reflected in all messages and insights"), the members list and the
// analytics' talk time follow, a later PUT refines an earlier one, and bad events are typed errors.
import { describe, expect, it } from 'vitest'
import type { Conversation } from '../../../src/conversations/conversation.js'
import { HttpError, ValidationError } from '../../../src/errors.js'
import { fast, twoBurstWav, useEmulator } from './helpers.js'

const env = useEmulator()
const DEREK = { id: '4194eb50-357d-4712-a02d-94215ead1064', name: 'Derek', email: 'derek@example.com' }
const MIA = { name: 'Mia', email: 'mia@example.com' }
const at = (s: number) => ({ seconds: Math.floor(s), nanos: Math.round((s % 1) * 1e9) })

/** An upload with two speech bursts (0.3–1.3 s, 1.9–2.7 s): two messages, both "Speaker 1". */
async function twoMessages(): Promise<Conversation> {
  const conversation = await env.symbl.audio.processFile(Buffer.from(twoBurstWav()), { ...fast, contentType: 'audio/wav' })
  const { messages } = await conversation.getMessages()
  expect(messages.map((m) => m.from?.name)).toEqual(['Speaker 1', 'Speaker 1'])
  return conversation
}

describe('putSpeakersEvents applied', () => {
  it('re-attributes each message to the speaker whose turn covers it; members and analytics follow', async () => {
    const conversation = await twoMessages()
    const answer = await conversation.putSpeakersEvents({
      speakerEvents: [
        { type: 'started_speaking', user: DEREK, offset: at(0) },
        { type: 'stopped_speaking', user: DEREK, offset: at(1.6) },
        { type: 'started_speaking', user: MIA, offset: at(1.6) },
        { type: 'stopped_speaking', user: MIA, offset: at(3) },
      ],
    })
    expect(answer.message).toMatch(/Speaker events associated for conversationId: \d+ successfully/)
    const { messages } = await conversation.getMessages()
    expect(messages.map((m) => m.from?.name)).toEqual(['Derek', 'Mia'])
    expect(messages[0]?.from).toMatchObject({ id: DEREK.id, email: DEREK.email })
    // "Speaker 1" lost all its messages to the events: no longer a member.
    const { members } = await conversation.getMembers()
    expect(members.map((m) => m.name).sort()).toEqual(['Derek', 'Mia'])
    const analytics = await conversation.getAnalytics()
    const talk = (name: string) => analytics.members.find((m) => m.name === name)?.talkTime?.seconds ?? 0
    expect(talk('Derek')).toBeCloseTo(1, 1)
    expect(talk('Mia')).toBeCloseTo(0.8, 1)
  })

  it('a turn without a stop ends when another speaker starts; a later PUT refines the earlier one', async () => {
    const conversation = await twoMessages()
    await conversation.putSpeakersEvents({ speakerEvents: [{ type: 'started_speaking', user: DEREK, offset: at(0) }] })
    expect((await conversation.getMessages()).messages.map((m) => m.from?.name)).toEqual(['Derek', 'Derek'])
    await conversation.putSpeakersEvents({ speakerEvents: [{ type: 'started_speaking', user: MIA, offset: at(1.7) }] })
    expect((await conversation.getMessages()).messages.map((m) => m.from?.name)).toEqual(['Derek', 'Mia'])
  })

  it('a message no turn touches keeps its speaker', async () => {
    const conversation = await twoMessages()
    await env.symbl.conversations.putSpeakersEvents(conversation.conversationId, {
      speakerEvents: [
        { type: 'started_speaking', user: MIA, offset: at(1.8) },
        { type: 'stopped_speaking', user: MIA, offset: at(2.8) },
      ],
    })
    const { messages } = await conversation.getMessages()
    expect(messages.map((m) => m.from?.name)).toEqual(['Speaker 1', 'Mia'])
  })

  it('finds existing members by id (an id alone is enough), email or name, without duplicating them', async () => {
    const conversation = await twoMessages()
    const [speaker1] = (await conversation.getMembers()).members
    await conversation.putSpeakersEvents({
      speakerEvents: [
        { type: 'started_speaking', user: { id: speaker1!.id }, offset: at(0) },
        { type: 'started_speaking', user: MIA, offset: at(1.6) },
      ],
    })
    await conversation.putSpeakersEvents({ speakerEvents: [{ type: 'started_speaking', user: { name: 'Mia' }, offset: at(2) }] })
    expect((await conversation.getMessages()).messages.map((m) => m.from?.name)).toEqual(['Speaker 1', 'Mia'])
    const { members } = await conversation.getMembers()
    expect(members.map((m) => m.name)).toEqual(['Speaker 1', 'Mia'])
    const unknown = await env.symbl.conversations
      .putSpeakersEvents(conversation.conversationId, {
        speakerEvents: [{ type: 'started_speaking', user: { id: 'not-a-member' }, offset: at(0) }],
      })
      .catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(HttpError)
    expect((unknown as HttpError).message).toMatch(/user\.id" is not a member of this conversation/)
  })

  it('refuses events without a user or offset: the SDK before sending, the emulator when sent raw', async () => {
    const conversation = await twoMessages()
    const noOffset = { type: 'started_speaking', user: DEREK } as never
    await expect(conversation.putSpeakersEvents({ speakerEvents: [noOffset] })).rejects.toBeInstanceOf(ValidationError)
    const raw = await env.symbl.http
      .request({
        method: 'PUT',
        path: `/v1/conversations/${conversation.conversationId}/speakers`,
        json: { speakerEvents: [{ type: 'started_speaking', user: {}, offset: at(0) }] },
      })
      .catch((e: unknown) => e)
    expect(raw).toBeInstanceOf(HttpError)
    expect((raw as HttpError).status).toBe(400)
    expect((raw as HttpError).message).toMatch(/speakerEvents\[0\]\.user" needs a name or an email/)
    // Nothing was applied.
    expect((await conversation.getMessages()).messages.map((m) => m.from?.name)).toEqual(['Speaker 1', 'Speaker 1'])
  })
})
