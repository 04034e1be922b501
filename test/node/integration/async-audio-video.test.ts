// The Async API for audio and video, end to end over real sockets: every input kind of
// processFile, processUrl with a loopback media server, appends, waiting (wait true/false,
// callbacks before and after completion, onStatus), upload progress, a failing job, a wait timeout.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobError, ValidationError } from '../../../src/errors.js'
import type { Conversation } from '../../../src/conversations/conversation.js'
import type { JobStatus } from '../../../src/async/job-waiter.js'
import type { UploadInput } from '../../../src/async/upload.js'
import { fast, mp4Bytes, twoBurstWav, useEmulator } from './helpers.js'

const env = useEmulator()
const WAV = twoBurstWav()
const LINES = [
  { text: 'Hello everyone, welcome to the weekly sync.', speaker: { name: 'Ana', userId: 'ana@example.com' } },
  { text: 'Can you share the quarterly numbers today?', speaker: { name: 'Ben', userId: 'ben@example.com' } },
]
let dir: string
let media: Server
let mediaUrl: string
let mediaHits = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-int-'))
  await writeFile(join(dir, 'call.wav'), WAV)
  await writeFile(join(dir, 'clip.mp4'), mp4Bytes())
  media = createServer((req, res) => {
    mediaHits++
    if (req.url === '/call.wav') return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(WAV)
    if (req.url === '/clip.mp4') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(mp4Bytes())
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => media.listen(0, '127.0.0.1', r))
  mediaUrl = `http://127.0.0.1:${(media.address() as { port: number }).port}`
})
afterAll(async () => {
  await new Promise<void>((r) => media.close(() => r()))
  await rm(dir, { recursive: true, force: true })
})

let n = 0
/** A unique conversation name with the two-line transcript preloaded for it. */
function named(): string {
  const name = `call-${++n}-${Date.now()}`
  env.emu.core.preloadTranscript(name, LINES)
  return name
}

async function expectTranscribed(conversation: Conversation, lines = LINES): Promise<void> {
  const { messages } = await conversation.getMessages()
  expect(messages.map((m) => m.text)).toEqual(lines.map((l) => l.text))
  expect(messages.map((m) => m.from?.name)).toEqual(lines.map((l) => l.speaker.name))
  // Laid on the two detected bursts of the WAV (0.3–1.3 s and 1.9–2.7 s), in order, not overlapping.
  expect(messages[0].timeOffset).toBeGreaterThanOrEqual(0.2)
  expect(messages[0].timeOffset).toBeLessThan(0.5)
  expect(messages[1].timeOffset).toBeGreaterThan(1.7)
  expect(messages[1].timeOffset! + messages[1].duration!).toBeLessThan(3.1)
}

describe('audio.processFile with every input kind', () => {
  const inputs: Array<[string, () => UploadInput | Promise<UploadInput>, object]> = [
    ['a path', () => join(dir, 'call.wav'), {}],
    ['a Buffer', () => Buffer.from(WAV), { contentType: 'audio/wav' }],
    ['a Blob', () => new Blob([WAV], { type: 'audio/wav' }), {}],
    [
      'a Node Readable',
      () => Readable.from([WAV.subarray(0, 1000), WAV.subarray(1000)]) as unknown as UploadInput,
      { contentType: 'audio/wav' },
    ],
    [
      'a web ReadableStream',
      () =>
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(WAV.slice(0, 5000))
            c.enqueue(WAV.slice(5000))
            c.close()
          },
        }),
      { contentType: 'audio/wav' },
    ],
  ]
  it.each(inputs)('%s: waits for the job and the preloaded lines land on the detected speech', async (_what, make, extra) => {
    const name = named()
    const statuses: JobStatus[] = []
    const conversation = await env.symbl.audio.processFile(await make(), {
      ...fast,
      ...extra,
      parameters: { name },
      onStatus: (s) => statuses.push(s),
    })
    expect(conversation.conversationId).toMatch(/^\d+$/)
    expect(conversation.jobId).toMatch(/^[0-9a-f-]{36}$/)
    expect(conversation.status).toBe('completed')
    expect(statuses.at(-1)).toBe('completed')
    await expectTranscribed(conversation)
    const info = await conversation.getConversation()
    expect(info.name).toBe(name)
  })

  it('without a preload, the speech bursts become unrecognised-speech messages with real times', async () => {
    const conversation = await env.symbl.audio.processFile(Buffer.from(WAV), { ...fast, contentType: 'audio/wav' })
    const { messages } = await conversation.getMessages()
    expect(messages).toHaveLength(2)
    for (const m of messages) expect(m.text).toBe('[unrecognised speech]')
    const analytics = await conversation.getAnalytics()
    const talk = analytics.metrics.find((m) => m.type === 'total_talk_time')!
    expect(talk.seconds).toBeGreaterThan(1.5)
    expect(talk.seconds).toBeLessThan(2.3)
  })

  it('reports upload progress up to fraction 1 for a sized input', async () => {
    const progress: Array<{ sentBytes: number; fraction?: number }> = []
    await env.symbl.audio.processFile(join(dir, 'call.wav'), { wait: false, onUploadProgress: (p) => progress.push(p) })
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)).toMatchObject({ sentBytes: WAV.byteLength, totalBytes: WAV.byteLength, fraction: 1 })
    for (let i = 1; i < progress.length; i++) expect(progress[i].sentBytes).toBeGreaterThan(progress[i - 1].sentBytes)
  })

  it('refuses a file whose format cannot be told, before sending anything', async () => {
    await expect(env.symbl.audio.processFile(Buffer.from(WAV))).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('waiting', () => {
  it('wait: false resolves at submission; onComplete before and after completion, onStatus, wait()', async () => {
    const name = named()
    const statuses: JobStatus[] = []
    const conversation = await env.symbl.audio.processFile(join(dir, 'call.wav'), {
      ...fast,
      wait: false,
      parameters: { name },
      onStatus: (s) => statuses.push(s),
    })
    expect(conversation.status).toBeUndefined()
    const early = new Promise<Conversation>((resolve) => conversation.onComplete(resolve))
    let errors = 0
    conversation.onError(() => errors++)
    expect(await early).toBe(conversation)
    expect(statuses.at(-1)).toBe('completed')
    expect(statuses).toContain('completed')
    // Registered after the end: fires once, asynchronously.
    const late = await new Promise<Conversation>((resolve) => conversation.onComplete(resolve))
    expect(late).toBe(conversation)
    expect(await conversation.wait()).toBe(conversation)
    expect(await conversation.getJobStatus()).toBe('completed')
    expect(errors).toBe(0)
    await expectTranscribed(conversation)
  })

  it('a URL the emulator cannot fetch ends in JobError job_failed with both ids, for wait and onError (early and late)', async () => {
    const url = 'https://media.example.invalid/missing.mp3'
    const conversation = await env.symbl.audio.processUrl({ url }, { ...fast, wait: false })
    const early = new Promise<unknown>((resolve) => conversation.onError(resolve))
    let completes = 0
    conversation.onComplete(() => completes++)
    const error = (await early) as JobError
    expect(error).toBeInstanceOf(JobError)
    expect(error.code).toBe('job_failed')
    expect(error.jobId).toBe(conversation.jobId)
    expect(error.conversationId).toBe(conversation.conversationId)
    await expect(conversation.wait()).rejects.toBe(error)
    const late = await new Promise<unknown>((resolve) => conversation.onError(resolve))
    expect(late).toBe(error)
    expect(completes).toBe(0)
    expect(conversation.status).toBe('failed')
    // wait: true rejects the same way.
    await expect(env.symbl.audio.processUrl({ url }, fast)).rejects.toMatchObject({ code: 'job_failed' })
  })

  it('a waitTimeout that expires rejects with job_timeout carrying the ids and the last status', async () => {
    env.emu.core.jobs.delayMs = 300
    try {
      const error = (await env.symbl.audio
        .processFile(Buffer.from(WAV), { ...fast, contentType: 'audio/wav', waitTimeout: 30 })
        .catch((e: unknown) => e)) as JobError
      expect(error).toBeInstanceOf(JobError)
      expect(error.code).toBe('job_timeout')
      expect(error.jobId).toMatch(/^[0-9a-f-]{36}$/)
      expect(['scheduled', 'in_progress']).toContain(error.status)
    } finally {
      env.emu.core.jobs.delayMs = 15
    }
  })

  it('a timed-out wait can be resumed on the same conversation', async () => {
    env.emu.core.jobs.delayMs = 150
    try {
      const conversation = await env.symbl.audio.processFile(Buffer.from(WAV), { contentType: 'audio/wav', wait: false })
      await expect(conversation.wait({ ...fast, waitTimeout: 20 })).rejects.toMatchObject({ code: 'job_timeout' })
      expect(await conversation.wait({ ...fast, waitTimeout: 5000 })).toBe(conversation)
      expect(conversation.status).toBe('completed')
    } finally {
      env.emu.core.jobs.delayMs = 15
    }
  })
})

describe('processUrl, appendFile, appendUrl', () => {
  it('processUrl fetches a loopback URL; the URL itself is a preload key', async () => {
    const url = `${mediaUrl}/call.wav`
    env.emu.core.preloadTranscript(url, LINES, { once: true })
    const hits = mediaHits
    const conversation = await env.symbl.audio.processUrl({ url }, fast)
    expect(mediaHits).toBe(hits + 1)
    await expectTranscribed(conversation)
  })

  it('appendFile and appendUrl add to the same conversation, after the audio so far', async () => {
    const first = await env.symbl.audio.processFile(join(dir, 'call.wav'), { ...fast, parameters: { name: named() } })
    const appended = await env.symbl.audio.appendFile(Buffer.from(WAV), first.conversationId, { ...fast, contentType: 'audio/wav' })
    expect(appended.conversationId).toBe(first.conversationId)
    expect(appended.jobId).not.toBe(first.jobId)
    const url = `${mediaUrl}/call.wav`
    const viaUrl = await env.symbl.audio.appendUrl({ url }, first.conversationId, fast)
    expect(viaUrl.conversationId).toBe(first.conversationId)
    const { messages } = await first.getMessages()
    // 2 preloaded lines from the first file, then 2 unrecognised bursts per appended copy, 3 s later each.
    expect(messages).toHaveLength(6)
    expect(messages.slice(0, 2).map((m) => m.text)).toEqual(LINES.map((l) => l.text))
    expect(messages[2].timeOffset).toBeGreaterThan(3)
    expect(messages[4].timeOffset).toBeGreaterThan(6)
    for (let i = 1; i < messages.length; i++) expect(messages[i].timeOffset!).toBeGreaterThan(messages[i - 1].timeOffset!)
  })

  it('appending to an unknown conversation is a NotFoundError', async () => {
    await expect(env.symbl.audio.appendFile(Buffer.from(WAV), '99999999999', { contentType: 'audio/wav' })).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
    })
  })
})

describe('video', () => {
  it('processFile (path and bytes), processUrl, appendFile and appendUrl with an mp4', async () => {
    const fromPath = await env.symbl.video.processFile(join(dir, 'clip.mp4'), fast)
    expect(fromPath.status).toBe('completed')
    const fromBytes = await env.symbl.video.processFile(new Blob([mp4Bytes()], { type: 'video/mp4' }), fast)
    expect(fromBytes.status).toBe('completed')
    const url = `${mediaUrl}/clip.mp4`
    env.emu.core.preloadTranscript(url, LINES, { once: true })
    const fromUrl = await env.symbl.video.processUrl({ url }, fast)
    const { messages } = await fromUrl.getMessages()
    expect(messages.map((m) => m.text)).toEqual(LINES.map((l) => l.text))
    const appended = await env.symbl.video.appendFile(join(dir, 'clip.mp4'), fromUrl.conversationId, fast)
    expect(appended.conversationId).toBe(fromUrl.conversationId)
    const appendedUrl = await env.symbl.video.appendUrl({ url }, fromUrl.conversationId, fast)
    expect(appendedUrl.status).toBe('completed')
  })

  it('the emulator refuses a video that is not mp4 (checked by magic bytes): an HttpError 400', async () => {
    const error = await env.symbl.video.processFile(Buffer.from(WAV), { contentType: 'video/mp4' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'http', status: 400 })
    expect((error as Error).message).toMatch(/mp4/)
  })

  it('a .wav file name is not a video', async () => {
    await expect(env.symbl.video.processFile(join(dir, 'call.wav'))).rejects.toBeInstanceOf(ValidationError)
  })
})
