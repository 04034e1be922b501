import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../../src/errors.js'
import { JOB, asyncRoutes, client, fast, useServer } from '../api-support.js'

useServer()

const url = 'https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav'

describe('processUrl / appendUrl (contract 3.1): JSON body with the options', () => {
  it.each([
    ['audio', 'processUrl', 'POST', '/v1/process/audio/url'],
    ['audio', 'appendUrl', 'PUT', `/v1/process/audio/url/${JOB.conversationId}`],
    ['video', 'processUrl', 'POST', '/v1/process/video/url'],
    ['video', 'appendUrl', 'PUT', `/v1/process/video/url/${JOB.conversationId}`],
  ] as const)('%s.%s → %s %s', async (kind, method, verb, path) => {
    const { seen } = asyncRoutes()
    const api = client()[kind]
    const payload = { url, name: 'Sales call', customVocabulary: ['Symbl'], detectPhrases: true }
    const options = { ...fast, parameters: { languageCode: 'en-US', name: 'overridden by the payload' } }
    const conversation =
      method === 'processUrl' ? await api.processUrl(payload, options) : await api.appendUrl(payload, JOB.conversationId, options)
    expect(conversation.conversationId).toBe(JOB.conversationId)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: verb, path, query: {} })
    expect(seen[0].headers['content-type']).toBe('application/json')
    expect(seen[0].headers.authorization).toBe('Bearer t')
    expect(seen[0].json).toEqual({ url, name: 'Sales call', customVocabulary: ['Symbl'], detectPhrases: true, languageCode: 'en-US' })
  })

  it('sends the diarization options in the body and in the query string (sources disagree, contract 3.2)', async () => {
    const { seen } = asyncRoutes()
    await client().video.processUrl({ url, enableSpeakerDiarization: true, diarizationSpeakerCount: 2 }, { wait: false })
    expect(seen[0].query).toEqual({ enableSpeakerDiarization: 'true', diarizationSpeakerCount: '2' })
    expect(seen[0].json).toEqual({ url, enableSpeakerDiarization: true, diarizationSpeakerCount: 2 })
  })

  it.each([
    [{}, /payload.url is required/],
    [{ url: '' }, /payload.url is required/],
    [{ url: 'file:///tmp/a.wav' }, /must be a public http\(s\) URL/],
    [url, /payload must be an object such as \{ url: /],
    [undefined, /payload.url is required/],
  ])('refuses the payload %j without sending', async (payload, message) => {
    const error = await client()
      .audio.processUrl(payload as never)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
  })

  it('refuses a bad conversationId for appendUrl', async () => {
    await expect(client().audio.appendUrl({ url }, '..')).rejects.toThrow(/conversationId ".." is not a valid id/)
    await expect(client().audio.appendUrl({ url }, undefined as never)).rejects.toThrow(/conversationId is required/)
  })
})

const messages = [
  {
    payload: { content: 'Hi Anthony, I saw your complaint about call drops. What happens exactly?' },
    from: { userId: 'surbhi@example.com', name: 'Surbhi' },
    duration: { startTime: '2020-07-21T16:02:19.01Z', endTime: '2020-07-21T16:02:25.99Z' },
  },
  {
    payload: { content: "Every time I pick up there is white noise and I can't hear anything." },
    from: { userId: 'anthony@example.com', name: 'Anthony' },
  },
]

describe('text.process / text.append (contract 3.3)', () => {
  it('POSTs the contract example as JSON', async () => {
    const { seen } = asyncRoutes()
    const payload = { name: 'Support call', confidenceThreshold: 0.6, detectPhrases: true, messages }
    const conversation = await client().text.process(payload, fast)
    expect(conversation.jobId).toBe(JOB.jobId)
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/process/text', query: {}, json: payload })
    expect(seen[0].headers['content-type']).toBe('application/json')
  })

  it('PUTs an append with options from `parameters` merged into the body', async () => {
    const { seen } = asyncRoutes()
    await client().text.append({ messages }, JOB.conversationId, {
      wait: false,
      parameters: { detectEntities: true, trackers: [{ name: 'Drops', vocabulary: ['call drops'] }] },
    })
    expect(seen[0]).toMatchObject({ method: 'PUT', path: `/v1/process/text/${JOB.conversationId}` })
    expect(seen[0].json).toEqual({ detectEntities: true, trackers: [{ name: 'Drops', vocabulary: ['call drops'] }], messages })
  })

  it.each([
    [{ messages: [] }, /payload.messages must be a non-empty array/],
    [{}, /payload.messages must be a non-empty array/],
    [{ messages: 'hello' }, /payload.messages must be a non-empty array/],
    [{ messages: [{ payload: { content: '' } }] }, /messages\[0\].payload.content must be non-empty text/],
    [{ messages: [messages[0], { text: 'no payload' }] }, /messages\[1\].payload.content/],
    [null, /payload must be an object/],
  ])('refuses %j without sending', async (payload, message) => {
    const error = await client()
      .text.process(payload as never)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
  })
})
