// Speakers from audio (issue 16): an upload with `enableSpeakerDiarization` and
// `diarizationSpeakerCount: N` gets its speech segments assigned to N speakers by their voices. The
// recordings are spoken at run time by espeak-ng in two (and three) different voices, joined by sox;
// the share of speech time labelled with the right speaker must be >= 90 % for two voices, and the
// analytics' talk time per speaker must follow the labels.

import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { conversationWav, hasVoiceTools, speakerAccuracy } from './diarization-audio.js'
import { api, token, waitJob } from './helpers.js'

let emu: RunningEmulator
let tok: string
beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 5 })
  tok = await token(emu)
})
afterAll(() => emu?.close())

async function upload(wav: Uint8Array, query: string) {
  const r = await api(emu, tok, 'POST', `/v1/process/audio?${query}`, wav)
  expect(r.status).toBe(201)
  expect(await waitJob(emu, tok, r.body.jobId)).toContain('completed')
  const id = r.body.conversationId as string
  const messages = (await api(emu, tok, 'GET', `/v1/conversations/${id}/messages`)).body.messages as any[]
  return { id, messages }
}

const labelled = (messages: any[]) =>
  messages.map((m) => ({ start: m.timeOffset as number, end: (m.timeOffset + m.duration) as number, label: m.from.name as string }))

describe.skipIf(!hasVoiceTools)('diarization by voice (espeak-ng voices)', () => {
  it('two voices: >= 90 % of speech time on the right speaker, talk time per speaker follows', async () => {
    const { wav, turns } = conversationWav(2)
    const { id, messages } = await upload(wav, 'enableSpeakerDiarization=true&diarizationSpeakerCount=2')
    expect(new Set(messages.map((m) => m.from.name))).toEqual(new Set(['Speaker 1', 'Speaker 2']))
    expect(messages[0].from.name).toBe('Speaker 1') // numbered by first speech
    const { accuracy } = speakerAccuracy(labelled(messages), turns)
    expect(accuracy).toBeGreaterThanOrEqual(0.9)

    const analytics = (await api(emu, tok, 'GET', `/v1/conversations/${id}/analytics`)).body
    for (const name of ['Speaker 1', 'Speaker 2']) {
      const member = analytics.members.find((m: any) => m.name === name)
      const talked = messages.filter((m) => m.from.name === name).reduce((s, m) => s + m.duration, 0)
      expect(member.talkTime.seconds).toBeCloseTo(talked, 1)
      expect(member.talkTime.seconds).toBeGreaterThan(5)
    }
  })

  it('two voices when one speaks several turns before the other is heard: still >= 90 %', async () => {
    const { wav, turns } = conversationWav(2, { order: [0, 0, 0, 1, 0, 1, 1, 0] })
    const { messages } = await upload(wav, 'enableSpeakerDiarization=true&diarizationSpeakerCount=2')
    expect(speakerAccuracy(labelled(messages), turns).accuracy).toBeGreaterThanOrEqual(0.9)
  })

  it('three voices with diarizationSpeakerCount 3: three speakers, most speech on the right one', async () => {
    const { wav, turns } = conversationWav(3)
    const { messages } = await upload(wav, 'enableSpeakerDiarization=true&diarizationSpeakerCount=3')
    expect(new Set(messages.map((m) => m.from.name)).size).toBe(3)
    expect(speakerAccuracy(labelled(messages), turns).accuracy).toBeGreaterThanOrEqual(0.8)
  })

  it('two sox-synthesised voices at different pitches: >= 90 % on the right speaker', async () => {
    const { wav, turns } = conversationWav(2, { synth: true })
    const { messages } = await upload(wav, 'enableSpeakerDiarization=true&diarizationSpeakerCount=2')
    expect(speakerAccuracy(labelled(messages), turns).accuracy).toBeGreaterThanOrEqual(0.9)
  })

  it('a URL job (loopback media) is diarized from the query parameters too', async () => {
    const { wav, turns } = conversationWav(2)
    const media = createServer((_req, res) => res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav))
    await new Promise<void>((r) => media.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(media.address() as { port: number }).port}/call.wav`
      const r = await api(emu, tok, 'POST', '/v1/process/audio/url?enableSpeakerDiarization=true&diarizationSpeakerCount=2', { url })
      expect(r.status).toBe(201)
      expect(await waitJob(emu, tok, r.body.jobId)).toContain('completed')
      const messages = (await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/messages`)).body.messages as any[]
      expect(speakerAccuracy(labelled(messages), turns).accuracy).toBeGreaterThanOrEqual(0.9)
    } finally {
      media.close()
    }
  })

  it('without diarization every segment is one speaker; with a count of 1 as well', async () => {
    const { wav } = conversationWav(2)
    for (const query of ['name=plain.wav', 'enableSpeakerDiarization=true&diarizationSpeakerCount=1']) {
      const { messages } = await upload(wav, query)
      expect(messages.length).toBeGreaterThan(4)
      expect(new Set(messages.map((m) => m.from.name))).toEqual(new Set(['Speaker 1']))
    }
  })
})
