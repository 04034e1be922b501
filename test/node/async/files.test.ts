import { createReadStream } from 'node:fs'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { http, HttpResponse } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthError, HttpError, NetworkError, NotFoundError, RateLimitError, TimeoutError, ValidationError } from '../../../src/errors.js'
import type { UploadProgress } from '../../../src/index.js'
import { BASE, JOB, asyncRoutes, capture, client, fast, server, useServer, type Seen } from '../api-support.js'

useServer()

const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251)
let dir: string
let wav: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-upload-'))
  wav = join(dir, 'call.wav')
  await writeFile(wav, bytes)
  await writeFile(join(dir, 'empty.mp3'), new Uint8Array(0))
  await writeFile(join(dir, 'notes.txt'), bytes)
  await writeFile(join(dir, 'clip.mp4'), bytes)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const sameBytes = (body: Uint8Array) =>
  expect(Buffer.from(body.buffer, body.byteOffset, body.byteLength).equals(bytes), 'the body is the file, byte for byte').toBe(true)

function expectUpload(seen: Seen, method: string, path: string, type: string, length: string | undefined) {
  expect(seen.method).toBe(method)
  expect(seen.path).toBe(path)
  expect(seen.headers['content-type']).toBe(type)
  expect(seen.headers['content-length']).toBe(length)
  expect(seen.headers.authorization).toBe('Bearer t')
  expect(seen.headers['x-api-key']).toBe('t')
  sameBytes(seen.body)
}

describe('audio.processFile: every input kind streams the exact bytes (contract 3.1)', () => {
  const webStream = () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, 1000))
        c.enqueue(bytes.subarray(1000))
        c.close()
      },
    })
  it.each([
    ['a path', () => wav, {}, String(bytes.length)],
    ['a Buffer', () => Buffer.from(bytes), { contentType: 'audio/wav' }, String(bytes.length)],
    [
      'a Uint8Array view inside a bigger buffer',
      () => new Uint8Array([9, ...bytes, 9]).subarray(1, -1),
      { contentType: 'audio/wav' },
      String(bytes.length),
    ],
    ['an ArrayBuffer', () => bytes.slice().buffer, { contentType: 'audio/wav' }, String(bytes.length)],
    ['a DataView', () => new DataView(bytes.slice().buffer), { contentType: 'audio/wav' }, String(bytes.length)],
    ['a Blob', () => new Blob([bytes], { type: 'audio/wav' }), {}, String(bytes.length)],
    ['a File', () => new File([bytes], 'call.wav'), {}, String(bytes.length)],
    ['a web ReadableStream (size unknown)', webStream, { contentType: 'audio/wav' }, undefined],
    ['a web ReadableStream with size', webStream, { contentType: 'audio/wav', size: bytes.length }, String(bytes.length)],
    [
      'a Node Readable',
      () => Readable.from([Buffer.from(bytes.subarray(0, 5)), Buffer.from(bytes.subarray(5))]),
      { contentType: 'audio/wav' },
      undefined,
    ],
    [
      'a Node Readable with size',
      () => Readable.from([Buffer.from(bytes)]),
      { contentType: 'audio/wav', size: bytes.length },
      String(bytes.length),
    ],
    ['an fs.ReadStream (name and size known)', () => createReadStream(wav), {}, String(bytes.length)],
    [
      'an async iterable',
      () =>
        (async function* () {
          yield bytes
        })(),
      { contentType: 'audio/wav' },
      undefined,
    ],
  ])('%s', async (_name, make, options, length) => {
    const { seen } = asyncRoutes()
    const conversation = await client().audio.processFile(make() as never, { ...options, ...fast })
    expect(seen).toHaveLength(1)
    expectUpload(seen[0], 'POST', '/v1/process/audio', 'audio/wav', length)
    expect(seen[0].query).toEqual({})
    expect(conversation.conversationId).toBe(JOB.conversationId)
    expect(conversation.getJobId()).toBe(JOB.jobId)
    expect(conversation.status).toBe('completed')
  })
})

describe('content type', () => {
  it.each([
    ['x.wav', 'audio/wav'],
    ['x.WAV', 'audio/wav'],
    ['x.mp3', 'audio/mpeg'],
    ['x.mpeg', 'audio/mpeg'],
    ['x.flac', 'audio/flac'],
    ['x.ogg', 'audio/ogg'],
    ['x.m4a', 'audio/mp4'],
    ['x.opus', 'audio/opus'],
    ['x.aac', 'audio/aac'],
    ['x.amr', 'audio/amr'],
    ['x.aiff', 'audio/aiff'],
    ['x.ac3', 'audio/ac3'],
    ['x.wma', 'audio/x-ms-wma'],
  ])('infers %s as %s', async (name, type) => {
    const { seen } = asyncRoutes()
    await client().audio.processFile(new File([bytes], name), { wait: false })
    expect(seen[0].headers['content-type']).toBe(type)
  })

  it('uses File.type when the name has no known extension, and the option over both', async () => {
    const { seen } = asyncRoutes()
    await client().audio.processFile(new Blob([bytes], { type: 'audio/x-wav' }), { wait: false })
    await client().audio.processFile(new File([bytes], 'x.wav'), { wait: false, contentType: 'audio/mp3' })
    expect(seen.map((s) => s.headers['content-type'])).toEqual(['audio/wav', 'audio/mp3'])
  })

  it('sends video/mp4 to the Video API', async () => {
    const { seen } = asyncRoutes()
    await client().video.processFile(join(dir, 'clip.mp4'), { wait: false })
    expectUpload(seen[0], 'POST', '/v1/process/video', 'video/mp4', String(bytes.length))
  })

  it('refuses an unknown extension without contentType, naming the option', async () => {
    asyncRoutes()
    const error = await client()
      .audio.processFile(join(dir, 'notes.txt'))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(/Cannot tell the audio format from the file name "notes.txt".*contentType/)
    await expect(client().video.processFile(new File([bytes], 'x.mov'))).rejects.toThrow(/video format.*contentType/)
    await expect(client().audio.processFile(bytes)).rejects.toThrow(/no name or type.*contentType/)
    await expect(client().audio.processFile(bytes, { contentType: 'wav' })).rejects.toThrow(/contentType must be a media type/)
  })
})

describe('parameters of table 3.2 go in the query string of file endpoints', () => {
  it('encodes booleans as strings and lists/objects as JSON', async () => {
    const { seen } = asyncRoutes()
    await client().audio.processFile(wav, {
      wait: false,
      parameters: {
        name: 'Support call',
        webhookUrl: 'https://hooks.example.com/symbl',
        customVocabulary: ['Platform', 'Discussion'],
        confidenceThreshold: 0.6,
        detectPhrases: true,
        detectEntities: false,
        entities: [{ customType: 'Company Executives', text: 'marketing director' }],
        languageCode: 'en-US',
        mode: 'phone',
        enableSeparateRecognitionPerChannel: true,
        channelMetadata: [{ channel: 1, speaker: { name: 'Robert', email: 'robert@example.com' } }],
        trackers: [{ name: 'Pricing', vocabulary: ['price', 'cost'] }],
        enableAllTrackers: true,
        enableSummary: true,
        enableSpeakerDiarization: true,
        diarizationSpeakerCount: 2,
      },
    })
    expect(seen[0].query).toEqual({
      name: 'Support call',
      webhookUrl: 'https://hooks.example.com/symbl',
      customVocabulary: '["Platform","Discussion"]',
      confidenceThreshold: '0.6',
      detectPhrases: 'true',
      detectEntities: 'false',
      entities: '[{"customType":"Company Executives","text":"marketing director"}]',
      languageCode: 'en-US',
      mode: 'phone',
      enableSeparateRecognitionPerChannel: 'true',
      channelMetadata: '[{"channel":1,"speaker":{"name":"Robert","email":"robert@example.com"}}]',
      trackers: '[{"name":"Pricing","vocabulary":["price","cost"]}]',
      enableAllTrackers: 'true',
      enableSummary: 'true',
      enableSpeakerDiarization: 'true',
      diarizationSpeakerCount: '2',
    })
    sameBytes(seen[0].body)
  })
})

describe('appendFile', () => {
  it('PUTs to /v1/process/{kind}/{conversationId}', async () => {
    const { seen } = asyncRoutes()
    await client().audio.appendFile(wav, JOB.conversationId, { ...fast, parameters: { detectPhrases: true } })
    expectUpload(seen[0], 'PUT', `/v1/process/audio/${JOB.conversationId}`, 'audio/wav', String(bytes.length))
    expect(seen[0].query).toEqual({ detectPhrases: 'true' })
    await client().video.appendFile(join(dir, 'clip.mp4'), JOB.conversationId, { wait: false })
    expectUpload(seen[1], 'PUT', `/v1/process/video/${JOB.conversationId}`, 'video/mp4', String(bytes.length))
  })

  it.each([
    [undefined, /conversationId is required/],
    ['', /conversationId is required/],
    [5815170693595136, /must be a string, got the number/],
    ['..', /is not a valid id/],
  ])('refuses the conversationId %j before sending anything', async (id, message) => {
    await expect(client().audio.appendFile(wav, id as never)).rejects.toThrow(message)
  })

  it('encodes a conversationId such as ../oauth2 so it cannot reach another path', async () => {
    const { seen } = asyncRoutes()
    await client().audio.appendFile(wav, '../oauth2', { wait: false })
    expect(seen[0].path).toBe('/v1/process/audio/..%2Foauth2')
  })
})

describe('bad files', () => {
  it.each([
    ['missing', () => undefined, /file is required/],
    ['null', () => null, /file is required/],
    ['an empty path', () => '', /file is required/],
    ['a path that does not exist', () => join(dir, 'nope.wav'), /No file at ".*nope\.wav": check the path/],
    ['a directory', () => dir, /is a directory; pass the path of an audio or video file/],
    ['an empty file', () => join(dir, 'empty.mp3'), /"empty.mp3" is empty/],
    ['an empty Blob', () => new Blob([]), /is empty/],
    ['an empty Buffer', () => Buffer.alloc(0), /is empty/],
    [
      'a number',
      () => 42,
      /file must be a File\/Blob, ArrayBuffer, typed array or ReadableStream, a file path or a Node Readable; got number 42/,
    ],
    ['a plain object', () => ({ path: 'x.wav' }), /got an object/],
  ])('%s: ValidationError, nothing sent', async (_name, make, message) => {
    // No route: any request would fail the test (onUnhandledRequest: 'error').
    const error = await client()
      .audio.processFile(make() as never, { contentType: 'audio/wav' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
  })

  it('an unreadable file', async () => {
    const path = join(dir, 'secret.wav')
    await writeFile(path, bytes)
    await chmod(path, 0o000)
    if (process.getuid?.() === 0) {
      // root reads anything; a file in an unreadable place is the closest case (stat fails too).
      const error = await client()
        .audio.processFile(join(path, 'inner.wav'))
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as Error).message).toMatch(/Cannot read ".*inner\.wav": ENOTDIR/)
    } else {
      await expect(client().audio.processFile(path)).rejects.toThrow(/Cannot read ".*secret\.wav" \(EACCES\); check its permissions/)
    }
  })

  it.each([
    [{ pollInterval: { initialMs: 0 } }, /pollInterval\.initialMs must be a positive number of milliseconds/],
    [{ pollInterval: 5 }, /pollInterval must be an object/],
    [{ waitTimeout: -1 }, /waitTimeout must be a positive number of milliseconds, at most 2147483647 .*, or false .*, got number -1/],
    [{ waitTimeout: '60s' }, /waitTimeout must be a positive number/],
    [{ onStatus: 'log' }, /onStatus must be a function/],
    [{ signal: { aborted: false } }, /signal must be an AbortSignal/],
    [{ onUploadProgress: true }, /options.onUploadProgress must be a function/],
    [{ size: -5 }, /options.size must be the byte length of the stream/],
    [{ size: '300000' }, /options.size must be the byte length of the stream/],
  ])('refuses %o before anything is uploaded (after the upload the job would exist and its ids be lost)', async (options, message) => {
    const { seen } = asyncRoutes()
    const error = await client()
      .audio.processFile(wav, options as never)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
    expect(seen).toHaveLength(0)
  })

  it('refuses options that are not an object, or a wait that is not boolean', async () => {
    await expect(client().audio.processFile(wav, 'wait' as never)).rejects.toThrow(/options must be an object/)
    await expect(client().audio.processFile(wav, { wait: 'no' as never })).rejects.toThrow(/options.wait must be true or false/)
    await expect(client().audio.processFile(wav, { parameters: [] as never })).rejects.toThrow(/options.parameters must be an object/)
  })
})

describe('upload progress', () => {
  it('reports bytes sent, total and fraction up to 1', async () => {
    asyncRoutes()
    const seen: UploadProgress[] = []
    await client().audio.processFile(wav, { wait: false, onUploadProgress: (p) => seen.push(p) })
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.at(-1)).toEqual({ sentBytes: bytes.length, totalBytes: bytes.length, fraction: 1 })
    for (let i = 1; i < seen.length; i++) expect(seen[i].sentBytes).toBeGreaterThan(seen[i - 1].sentBytes)
  })

  it('reports no fraction when the size is unknown', async () => {
    asyncRoutes()
    const seen: UploadProgress[] = []
    await client().audio.processFile(Readable.from([Buffer.from(bytes)]), {
      wait: false,
      contentType: 'audio/wav',
      onUploadProgress: (p) => seen.push(p),
    })
    expect(seen.at(-1)).toEqual({ sentBytes: bytes.length, totalBytes: undefined, fraction: undefined })
  })
})

describe('server answers', () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const hits: Seen[] = []
    server.use(
      http.post(
        `${BASE}/v1/process/audio`,
        async ({ request }) => (hits.push(await capture(request)), HttpResponse.json(body as never, { status, headers })),
      ),
    )
    return hits
  }

  it.each([
    [400, { message: '"diarizationSpeakerCount" must be a number' }, HttpError],
    [401, { message: 'Token validation failed for provided token.' }, AuthError],
    [404, { message: 'Not found' }, NotFoundError],
    [429, { statusCode: 429, message: 'This API has a limit of maximum of `2` number of concurrent jobs per account.' }, RateLimitError],
    [500, { message: 'Internal error' }, HttpError],
    [503, 'Service Unavailable', HttpError],
  ])('HTTP %i from a one-shot stream: %o, sent once, the server message kept', async (status, body, type) => {
    const hits = answer(status, body)
    const stream = Readable.from([Buffer.from(bytes)])
    const error = await client()
      .audio.processFile(stream, { contentType: 'audio/wav', ...fast })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(type)
    expect((error as HttpError).status).toBe(status)
    expect((error as HttpError).serverMessage).toBe(typeof body === 'string' ? body : body.message)
    expect((error as Error).message).toContain(`POST ${BASE}/v1/process/audio failed with HTTP ${status}`)
    expect(hits).toHaveLength(1)
    expect(JSON.stringify(error)).not.toContain('Bearer')
  })

  it('re-sends a path after a 401 with a fresh token, and after a 429', async () => {
    let tokens = 0
    const c = client({ accessToken: undefined, tokenProvider: () => `tok-${++tokens}` })
    const hits: Seen[] = []
    server.use(
      http.post(`${BASE}/v1/process/audio`, async ({ request }) => {
        hits.push(await capture(request))
        if (hits.length === 1) return HttpResponse.json({ message: 'Token validation failed for provided token.' }, { status: 401 })
        if (hits.length === 2) return HttpResponse.json({ message: 'limit' }, { status: 429 })
        return HttpResponse.json(JOB, { status: 201 })
      }),
    )
    const conversation = await c.audio.processFile(wav, { wait: false })
    expect(conversation.conversationId).toBe(JOB.conversationId)
    expect(hits.map((h) => h.headers['x-api-key'])).toEqual(['tok-1', 'tok-2', 'tok-2'])
    for (const h of hits) sameBytes(h.body)
  })

  it('waits for the Retry-After of a 429 before re-sending (README: retries honour Retry-After)', async () => {
    const times: number[] = []
    server.use(
      http.post(`${BASE}/v1/process/audio`, async ({ request }) => {
        await request.arrayBuffer()
        times.push(Date.now())
        return times.length === 1
          ? HttpResponse.json({ message: 'limit' }, { status: 429, headers: { 'retry-after': '1' } })
          : HttpResponse.json(JOB, { status: 201 })
      }),
    )
    const conversation = await client().audio.processFile(wav, { wait: false })
    expect(conversation.conversationId).toBe(JOB.conversationId)
    expect(times).toHaveLength(2)
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(950)
  })

  it('fails at once on a 429 whose Retry-After is longer than maxRetryAfterMs, keeping it on the error', async () => {
    const hits = answer(429, { message: 'limit' }, { 'retry-after': '120' })
    const started = Date.now()
    const error = await client({ retry: { baseDelayMs: 1, maxRetryAfterMs: 1000 } })
      .audio.processFile(wav)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(120_000)
    expect(hits).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(900)
  })

  it('does not re-send a one-shot stream after a 401 (it cannot be read twice)', async () => {
    let tokens = 0
    const c = client({ accessToken: undefined, tokenProvider: () => `tok-${++tokens}` })
    const hits = answer(401, { message: 'Token validation failed for provided token.' })
    await expect(c.audio.processFile(Readable.from([Buffer.from(bytes)]), { contentType: 'audio/wav' })).rejects.toBeInstanceOf(AuthError)
    expect(hits).toHaveLength(1)
  })

  it('does not retry a 500 even for a path: the job may exist', async () => {
    const hits = answer(500, { message: 'boom' })
    await expect(client().audio.processFile(wav)).rejects.toBeInstanceOf(HttpError)
    expect(hits).toHaveLength(1)
  })

  it('fails with a clear error when the answer lacks the ids', async () => {
    answer(201, { ok: true })
    await expect(client().audio.processFile(wav)).rejects.toThrow(/lacks conversationId or jobId/)
  })

  it('maps an unreachable server to a NetworkError', async () => {
    server.use(http.post(`${BASE}/v1/process/audio`, () => HttpResponse.error()))
    await expect(client().audio.processFile(wav)).rejects.toBeInstanceOf(NetworkError)
  })

  it('stops on the caller signal with its reason', async () => {
    server.use(http.post(`${BASE}/v1/process/audio`, async () => (await new Promise((r) => setTimeout(r, 2000)), HttpResponse.json(JOB))))
    const controller = new AbortController()
    const pending = client().audio.processFile(wav, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user cancelled')), 20)
    await expect(pending).rejects.toThrow('user cancelled')
  })

  it('gives up on a stalled upload after `timeout` ms with a TimeoutError', async () => {
    server.use(http.post(`${BASE}/v1/process/audio`, async () => (await new Promise((r) => setTimeout(r, 2000)), HttpResponse.json(JOB))))
    const error = await client({ timeout: 50 })
      .audio.processFile(wav)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toMatch(/stalled: nothing was sent or received for 50 ms/)
  })
})
