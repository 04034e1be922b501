// The Conversation API end to end: every method of `Conversation` and of `symbl.conversations`,
// checked against what the written conversation actually says.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../../src/conversations/conversation.js'
import { speakerSentiment } from '../../../src/conversations/sentiment-series.js'
import { NotFoundError, ValidationError } from '../../../src/errors.js'
import { ANA, BEN, fast, QUESTION, TEXT_LINES, textMessages, useEmulator } from './helpers.js'

const env = useEmulator()
let conversation: Conversation

beforeAll(async () => {
  conversation = await env.symbl.text.process(
    {
      messages: textMessages(),
      name: 'Campaign planning',
      detectEntities: true,
      detectPhrases: true,
      enableSummary: true,
      trackers: [{ name: 'Budget', vocabulary: ['budget', 'fifty thousand dollars'] }],
    },
    fast,
  )
})

describe('Conversation methods', () => {
  it('putMetadata, then list finds the conversation by name with its metadata', async () => {
    expect(await conversation.putMetadata({ label: 'Business' })).toEqual({
      id: conversation.conversationId,
      metadata: { label: 'Business' },
    })
    const { conversations } = await env.symbl.conversations.list({ filter: 'name==Campaign*', order: 'desc' })
    const found = conversations.find((c) => c.id === conversation.conversationId)
    expect(found?.metadata).toEqual({ label: 'Business' })
  })

  it('getConversation: id, name, members and the span of the messages', async () => {
    const info = await conversation.getConversation()
    expect(info.id).toBe(conversation.conversationId)
    expect(info.name).toBe('Campaign planning')
    expect(info.startTime).toBe('2024-03-04T10:00:00.000Z')
    expect(Date.parse(info.endTime!)).toBeGreaterThan(Date.parse(info.startTime!))
    expect(info.members!.map((m) => m.name).sort()).toEqual([ANA.name, BEN.name])
  })

  it('getMessages plain, with sentiment and verbose', async () => {
    const plain = await conversation.getMessages()
    expect(plain.messages).toHaveLength(TEXT_LINES.length)
    expect(plain.messages[0].sentiment).toBeUndefined()
    expect(plain.messages[0].words).toBeUndefined()
    const { messages } = await conversation.getMessages({ sentiment: true, verbose: true })
    const happy = messages.find((m) => m.text.includes('I love how'))!
    const sad = messages.find((m) => m.text.includes('terrible news'))!
    expect(happy.sentiment!.polarity.score).toBeGreaterThan(0)
    expect(sad.sentiment!.polarity.score).toBeLessThan(0)
    const question = messages.find((m) => m.text === QUESTION)!
    expect(question.words!.map((w) => w.word).join(' ')).toMatch(/^What is the budget for the marketing campaign/)
    for (const w of question.words!) expect(Date.parse(w.startTime)).toBeGreaterThanOrEqual(Date.parse(question.startTime))
  })

  it('speakerSentiment gives one series per speaker, in order of first appearance', async () => {
    const { messages } = await conversation.getMessages({ sentiment: true })
    const series = speakerSentiment(messages)
    expect(series.map((s) => s.speaker)).toEqual([ANA.name, BEN.name])
    expect(series[0].points).toHaveLength(TEXT_LINES.filter(([who]) => who === ANA).length)
    expect(series[1].points).toHaveLength(TEXT_LINES.filter(([who]) => who === BEN).length)
    expect(series[0].points[0].time).toBe(0)
    expect(series[0].points.at(-1)!.polarity).toBeLessThan(0) // "terrible news"
  })

  it('getMembers', async () => {
    const { members } = await conversation.getMembers()
    expect(members).toHaveLength(2)
    expect(members.find((m) => m.name === ANA.name)).toMatchObject({ userId: ANA.userId, email: ANA.userId })
  })

  it('getQuestions has the question that was asked, from its speaker', async () => {
    const { questions } = await conversation.getQuestions()
    expect(questions.map((q) => q.text)).toEqual([QUESTION])
    expect(questions[0].from?.name).toBe(ANA.name)
    const { messages } = await conversation.getMessages()
    expect(questions[0].messageIds).toEqual([messages[2].id])
  })

  it('getActionItems has the request, assigned to the other speaker, due Friday', async () => {
    const { actionItems } = await conversation.getActionItems()
    const report = actionItems.find((a) => /campaign report/.test(a.text))
    expect(report, JSON.stringify(actionItems)).toBeDefined()
    expect(report!.assignee?.name).toBe(BEN.name)
    expect(report!.dueBy).toBeDefined()
    expect(new Date(report!.dueBy!).getUTCDay()).toBe(5) // a Friday
  })

  it('getFollowUps has the call back, not listed as an action item too', async () => {
    const { followUps } = await conversation.getFollowUps()
    expect(followUps.map((f) => f.text)).toEqual([expect.stringMatching(/call you back/)])
    expect(followUps[0].from?.name).toBe(BEN.name)
    const { actionItems } = await conversation.getActionItems()
    expect(actionItems.some((a) => /call you back/.test(a.text))).toBe(false)
  })

  it('getTopics with parentRefs and with sentiment (never both)', async () => {
    const plain = await conversation.getTopics()
    expect(plain.topics.length).toBeGreaterThan(0)
    expect(plain.topics.some((t) => /campaign/i.test(t.text))).toBe(true)
    const withParents = await conversation.getTopics({ parentRefs: true })
    for (const t of withParents.topics) expect(Array.isArray(t.parentRefs)).toBe(true)
    const withSentiment = await conversation.getTopics({ sentiment: true })
    for (const t of withSentiment.topics) expect(typeof t.sentiment?.polarity.score).toBe('number')
    expect(withSentiment.topics.map((t) => t.text)).toEqual(plain.topics.map((t) => t.text))
    await expect(conversation.getTopics({ parentRefs: true, sentiment: true })).rejects.toBeInstanceOf(ValidationError)
  })

  it('getEntities finds the people, the money and the date', async () => {
    const { entities } = await conversation.getEntities()
    const types = new Set(entities.map((e) => e.type))
    expect(types.has('person')).toBe(true)
    expect(types.has('date')).toBe(true)
    const texts = entities.map((e) => ('text' in e ? e.text : '')?.toLowerCase())
    expect(texts.some((t) => t?.includes('friday'))).toBe(true)
    expect(texts.some((t) => t?.includes('ben'))).toBe(true)
  })

  it('getTrackers matches the tracker vocabulary in the messages', async () => {
    const trackers = await conversation.getTrackers()
    expect(Array.isArray(trackers)).toBe(true)
    const budget = trackers.find((t) => t.name === 'Budget')
    expect(budget, JSON.stringify(trackers)).toBeDefined()
    const values = budget!.matches.map((m) => m.value.toLowerCase())
    expect(values).toContain('budget')
    const { messages } = await conversation.getMessages()
    const refs = budget!.matches.flatMap((m) => m.messageRefs.map((r) => r.id))
    expect(refs).toContain(messages[2].id)
  })

  it('getAnalytics: talk and silence add to 100 %, member talk times add up to the total', async () => {
    const { metrics, members } = await conversation.getAnalytics()
    const metric = (type: string) => metrics.find((m) => m.type === type)!
    expect(metric('total_talk_time').percent + metric('total_silence').percent).toBeCloseTo(100, 6)
    expect(members).toHaveLength(2)
    const talk = members.reduce((s, m) => s + m.talkTime!.seconds, 0)
    expect(talk).toBeCloseTo(metric('total_talk_time').seconds, 2) // the messages do not overlap
    expect(members.reduce((s, m) => s + m.talkTime!.percentage, 0)).toBeCloseTo(100, 6)
    // The written conversation: 0.4 s per word, 0.5 s gaps.
    const words = TEXT_LINES.reduce((s, [, t]) => s + t.split(/\s+/).length, 0)
    expect(metric('total_talk_time').seconds).toBeCloseTo(words * 0.4, 2)
    expect(metric('total_silence').seconds).toBeCloseTo((TEXT_LINES.length - 1) * 0.5, 2)
    for (const m of members) expect(m.pace!.wpm).toBe(150)
  })

  it('getSummary returns extractive sentences from the conversation', async () => {
    const { summary } = await conversation.getSummary()
    expect(summary.length).toBeGreaterThanOrEqual(1)
    const all = TEXT_LINES.map(([, t]) => t).join(' ')
    for (const s of summary) expect(all).toContain(s.text.replace(/\s+$/, ''))
  })

  it('getFormattedTranscript as markdown and SRT', async () => {
    const md = await conversation.getFormattedTranscript({ contentType: 'text/markdown' })
    expect(md.transcript.contentType).toBe('text/markdown')
    expect(md.transcript.payload).toContain(`${ANA.name}: ${TEXT_LINES[0][1]}`)
    const srt = await conversation.getFormattedTranscript({ contentType: 'text/srt' })
    const text = srt.transcript.payload as string
    expect(text.startsWith('1\n00:00:00,000 --> 00:00:')).toBe(true)
    expect(text).toContain(`${ANA.name}: ${QUESTION}`)
    expect(text.match(/-->/g)).toHaveLength(TEXT_LINES.length)
    await expect(conversation.getFormattedTranscript({ contentType: 'text/html' as never })).rejects.toBeInstanceOf(ValidationError)
  })

  it('putMembers renames a member everywhere', async () => {
    const { members } = await conversation.getMembers()
    const ben = members.find((m) => m.name === BEN.name)!
    const answer = await conversation.putMembers(ben.id, { name: 'Benjamin Carter', email: 'ben@example.com' })
    expect(answer.message).toMatch(/updated successfully/)
    const { messages } = await conversation.getMessages()
    expect(messages[1].from?.name).toBe('Benjamin Carter')
    const { followUps } = await conversation.getFollowUps()
    expect(followUps[0].from?.name).toBe('Benjamin Carter')
    await expect(conversation.putMembers('no-such-member', { name: 'X' })).rejects.toBeInstanceOf(NotFoundError)
    await conversation.putMembers(ben.id, { name: BEN.name })
  })

  it('putSpeakersEvents is accepted; bad events are refused before sending', async () => {
    const { members } = await conversation.getMembers()
    const answer = await conversation.putSpeakersEvents({
      speakerEvents: [
        { type: 'started_speaking', user: { id: members[0].id, name: members[0].name }, offset: { seconds: 0, nanos: 0 } },
        { type: 'stopped_speaking', user: { id: members[0].id, name: members[0].name }, offset: { seconds: 2, nanos: 500_000_000 } },
      ],
    })
    expect(answer.message).toMatch(/successfully/)
    await expect(conversation.putSpeakersEvents({ speakerEvents: [] })).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('symbl.conversations (by id) and delete', () => {
  it('every call by conversationId answers the same as the Conversation method', async () => {
    const api = env.symbl.conversations
    const id = conversation.conversationId
    expect(await api.getMessages(id, { sentiment: true })).toEqual(await conversation.getMessages({ sentiment: true }))
    expect(await api.getMembers(id)).toEqual(await conversation.getMembers())
    expect(await api.getQuestions(id)).toEqual(await conversation.getQuestions())
    expect(await api.getActionItems(id)).toEqual(await conversation.getActionItems())
    expect(await api.getFollowUps(id)).toEqual(await conversation.getFollowUps())
    expect(await api.getTopics(id, { parentRefs: true })).toEqual(await conversation.getTopics({ parentRefs: true }))
    expect(await api.getConversation(id)).toEqual(await conversation.getConversation())
    expect(await api.getEntities(id)).toEqual(await conversation.getEntities())
    expect(await api.getTrackers(id)).toEqual(await conversation.getTrackers())
    expect(await api.getAnalytics(id)).toEqual(await conversation.getAnalytics())
    expect(await api.getSummary(id)).toEqual(await conversation.getSummary())
    expect(await api.getFormattedTranscript(id, { contentType: 'text/srt' })).toEqual(
      await conversation.getFormattedTranscript({ contentType: 'text/srt' }),
    )
    const { members } = await api.getMembers(id)
    expect((await api.putMembers(id, members[0].id, { name: members[0].name! })).message).toMatch(/updated/)
    expect(
      (
        await api.putSpeakersEvents(id, {
          speakerEvents: [{ type: 'started_speaking', user: { id: members[0].id }, offset: { seconds: 1, nanos: 0 } }],
        })
      ).message,
    ).toMatch(/successfully/)
  })

  it('entities are empty without detectEntities; the summary is 404 while a job is unfinished', async () => {
    const plain = await env.symbl.text.process({ messages: textMessages() }, { ...fast, wait: false })
    await expect(plain.getSummary()).rejects.toBeInstanceOf(NotFoundError)
    await plain.wait()
    expect((await plain.getEntities()).entities).toEqual([])
    expect((await plain.getSummary()).summary.length).toBeGreaterThan(0)
  })

  it('delete, then every call is a NotFoundError (and so is a second delete)', async () => {
    const doomed = await env.symbl.text.process({ messages: textMessages().slice(0, 2) }, fast)
    const answer = await doomed.delete()
    expect(answer.message).toMatch(/deleted/)
    await expect(doomed.getMessages()).rejects.toBeInstanceOf(NotFoundError)
    await expect(env.symbl.conversations.getAnalytics(doomed.conversationId)).rejects.toBeInstanceOf(NotFoundError)
    await expect(doomed.delete()).rejects.toBeInstanceOf(NotFoundError)
  })

  it('ids are validated and encoded', async () => {
    await expect(env.symbl.conversations.getMessages('')).rejects.toBeInstanceOf(ValidationError)
    await expect(env.symbl.conversations.getMessages(123 as never)).rejects.toBeInstanceOf(ValidationError)
    // An id with a slash stays one path segment: the emulator answers 404 for that conversation, not another route.
    await expect(env.symbl.conversations.getMessages('1/../../v1/job')).rejects.toBeInstanceOf(NotFoundError)
  })
})
