// Audio uploads: format checks, exact WAV duration, energy-based segments reported as unrecognised
// speech (never invented words), and preloaded transcripts placed on the detected segments.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UNRECOGNISED_TEXT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { api, pcm, token, waitJob, wav } from './helpers.js'

let emu: RunningEmulator
let tok: string
// 0.5 s silence, 1 s tone, 1 s silence, 0.8 s tone, 0.7 s silence = 4 s
const FILE = wav(
  pcm(16000, [
    [0.5, 0],
    [1, 0.3],
    [1, 0],
    [0.8, 0.3],
    [0.7, 0],
  ]),
  16000,
)

beforeAll(async () => {
  emu = await startEmulator({ jobDelayMs: 5, maxUploadBytes: 1_000_000 })
  tok = await token(emu)
})
afterAll(() => emu.close())

async function messagesOf(conversationId: string): Promise<any[]> {
  return (await api(emu, tok, 'GET', `/v1/conversations/${conversationId}/messages`)).body.messages
}

describe('emulator audio', () => {
  it('reports detected speech as unrecognised messages at their real times', async () => {
    const r = await api(emu, tok, 'POST', '/v1/process/audio?name=tones', FILE, { 'content-type': 'audio/wav' })
    expect(r.status).toBe(201)
    expect(await waitJob(emu, tok, r.body.jobId)).toContain('completed')
    const msgs = await messagesOf(r.body.conversationId)
    expect(msgs).toHaveLength(2)
    for (const m of msgs) {
      expect(m.text).toBe(UNRECOGNISED_TEXT)
      expect(m.metadata.unrecognised).toBe(true)
    }
    expect(msgs[0].timeOffset).toBeCloseTo(0.5, 1)
    expect(msgs[0].duration).toBeCloseTo(1, 1)
    expect(msgs[1].timeOffset).toBeCloseTo(2.5, 1)
    expect(msgs[1].duration).toBeCloseTo(0.8, 1)
    const conv = emu.core.store.get(r.body.conversationId)!
    expect(conv.audio[0]).toMatchObject({ format: 'wav', sampleRate: 16000, durationSeconds: 4, durationMethod: 'exact' })
    const analytics = (await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/analytics`)).body
    const talk = analytics.metrics.find((m: any) => m.type === 'total_talk_time')
    expect(talk.seconds).toBeCloseTo(1.8, 1)
    expect((await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/questions`)).body.questions).toEqual([])
  })

  it('places a preloaded transcript on the detected segments', async () => {
    emu.core.preloadTranscript('greeting.wav', [
      { text: 'Hello, can you hear me?', speaker: { name: 'Ann' } },
      { text: 'Yes, I will call you back tomorrow.', speaker: { name: 'Bob' } },
    ])
    const r = await api(emu, tok, 'POST', '/v1/process/audio?name=greeting.wav', FILE)
    await waitJob(emu, tok, r.body.jobId)
    const msgs = await messagesOf(r.body.conversationId)
    expect(msgs.map((m) => [m.text, m.from.name])).toEqual([
      ['Hello, can you hear me?', 'Ann'],
      ['Yes, I will call you back tomorrow.', 'Bob'],
    ])
    expect(msgs[1].timeOffset).toBeCloseTo(2.5, 1)
    const follow = (await api(emu, tok, 'GET', `/v1/conversations/${r.body.conversationId}/follow-ups`)).body.followUps
    expect(follow[0].assignee.name).toBe('Bob')
  })

  it('appends audio after the previous audio on the timeline', async () => {
    const first = await api(emu, tok, 'POST', '/v1/process/audio', FILE)
    const second = await api(emu, tok, 'PUT', `/v1/process/audio/${first.body.conversationId}`, FILE)
    await waitJob(emu, tok, second.body.jobId)
    const msgs = await messagesOf(first.body.conversationId)
    expect(msgs.map((m) => Math.round(m.timeOffset * 10) / 10)).toEqual([0.5, 2.5, 4.5, 6.5])
  })

  it('checks formats by magic bytes and rejects garbage, empty and oversized bodies', async () => {
    const id3 = new Uint8Array(200)
    id3.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x00])
    expect((await api(emu, tok, 'POST', '/v1/process/audio', id3, { 'content-type': 'audio/mpeg' })).status).toBe(201)
    const garbage = await api(emu, tok, 'POST', '/v1/process/audio', new TextEncoder().encode('x'.repeat(500)))
    expect(garbage).toEqual({ status: 400, body: { message: 'Unsupported or unrecognised media format.' } })
    expect((await api(emu, tok, 'POST', '/v1/process/audio', new Uint8Array(0))).status).toBe(400)
    const brokenWav = FILE.slice(0, 100)
    brokenWav.set([0, 0], 34) // bits per sample 0
    expect((await api(emu, tok, 'POST', '/v1/process/audio', brokenWav)).body.message).toMatch(/Invalid WAV/)
    expect((await api(emu, tok, 'POST', '/v1/process/video', FILE)).status).toBe(400)
    const mp4 = new Uint8Array(100)
    mp4.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70], 0)
    expect((await api(emu, tok, 'POST', '/v1/process/video', mp4, { 'content-type': 'video/mp4' })).status).toBe(201)
    expect((await api(emu, tok, 'POST', '/v1/process/audio', new Uint8Array(2_000_000))).status).toBe(413)
  })

  it('fails URL jobs it cannot fetch, and serves preloaded URLs', async () => {
    const failing = await api(emu, tok, 'POST', '/v1/process/audio/url', { url: 'https://example.com/a.mp3' })
    expect(await waitJob(emu, tok, failing.body.jobId)).toContain('failed')
    emu.core.preloadTranscript('https://example.com/b.mp3', [{ text: 'Preloaded words.' }])
    const ok = await api(emu, tok, 'POST', '/v1/process/audio/url', {
      url: 'https://example.com/b.mp3',
      enableSpeakerDiarization: 'true',
      diarizationSpeakerCount: '2',
    })
    expect(await waitJob(emu, tok, ok.body.jobId)).toContain('completed')
    expect((await messagesOf(ok.body.conversationId))[0].text).toBe('Preloaded words.')
    expect((await api(emu, tok, 'POST', '/v1/process/audio/url', { url: 'not a url' })).status).toBe(400)
    expect(
      (await api(emu, tok, 'POST', '/v1/process/audio/url?enableSpeakerDiarization=true', { url: 'https://example.com/b.mp3' })).status,
    ).toBe(400)
  })
})
