// sendAudioFromFile, sendAudioStream and sendAudioFromMic on Node, against the protocol-speaking
// fake server: what reaches the server is the source resampled to the connection's LINEAR16 rate.
import { spawnSync } from 'node:child_process'
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AudioFormatError } from '../../../src/audio/errors.js'
import type { SampleFormat } from '../../../src/audio/pcm.js'
import { ConfigError, ConnectionError, ValidationError } from '../../../src/errors.js'
import type { StreamingConnection } from '../../../src/streaming/connection.js'
import { sendPcmStream, type AudioSink, type PaceClock } from '../../../src/streaming/audio-input.js'
import { dominantFrequency, toneAmplitude } from '../audio-measure.js'
import { FakeServer } from './fake-server.js'
import { client } from './helpers.js'
import { encodePcm, interleavedTone, linear16Samples, wavFile } from './pcm-files.js'

let server: FakeServer
let dir: string
const received = new Map<string, Buffer[]>()
const open: StreamingConnection[] = []

beforeAll(async () => {
  server = await FakeServer.start({
    checkCounter: false,
    onAudio: (socket, _conv, frame) => {
      const list = received.get(socket.connectionId) ?? []
      list.push(Buffer.from(frame))
      received.set(socket.connectionId, list)
    },
  })
  dir = mkdtempSync(join(tmpdir(), 'symbl-audio-sources-'))
})
afterEach(async () => {
  vi.useRealTimers()
  for (const c of open.splice(0)) if (c.state !== 'closed') c.close()
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

async function connect(sampleRateHertz = 16000, encoding: 'LINEAR16' | 'MULAW' = 'LINEAR16'): Promise<StreamingConnection> {
  const c = await client(server).streaming.startConnection({ config: { speechRecognition: { encoding, sampleRateHertz } } })
  open.push(c)
  return c
}

/** Stops the connection (so every byte has reached the server) and returns what the server got. */
async function stopAndCollect(c: StreamingConnection): Promise<Buffer> {
  await c.stop()
  return Buffer.concat(received.get(c.connectionId) ?? [])
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

/** The received tone's frequency and amplitude, measured away from the resampler's start and end. */
function measure(bytes: Buffer, rate: number): { freq: number; amp: number } {
  const x = linear16Samples(bytes)
  const mid = x.subarray(Math.round(rate * 0.05), x.length - Math.round(rate * 0.05))
  const freq = dominantFrequency(mid, rate, 200, 3800, 10) // the test tones are 1 kHz
  return { freq, amp: toneAmplitude(mid, freq, rate) }
}

describe('sendAudioFromFile', () => {
  const cases: Array<{ format: SampleFormat; rate: number; channels: number }> = [
    { format: 's16le', rate: 16000, channels: 1 },
    { format: 's16le', rate: 8000, channels: 1 },
    { format: 'u8', rate: 22050, channels: 1 },
    { format: 's24le', rate: 44100, channels: 2 },
    { format: 's32le', rate: 32000, channels: 2 },
    { format: 'f32le', rate: 48000, channels: 1 },
    { format: 'f64le', rate: 96000, channels: 2 },
  ]
  it.each(cases)(
    'a $channels-channel $format WAV at $rate Hz reaches the server as 16 kHz LINEAR16 with the same tone',
    async ({ format, rate, channels }) => {
      const seconds = 0.75
      const path = file(
        `tone-${format}-${rate}-${channels}.wav`,
        wavFile(interleavedTone(1000, rate, seconds, 0.5, channels), format, rate, channels),
      )
      const c = await connect()
      const summary = await c.sendAudioFromFile(path)
      const bytes = await stopAndCollect(c)
      expect(summary.bytesSent).toBe(bytes.length)
      expect(summary.durationMs).toBeCloseTo((bytes.length / 32000) * 1000, 6)
      // seconds × 32000 bytes, within one sample of rounding (the resampler's output count is exact).
      expect(Math.abs(bytes.length - seconds * 32000)).toBeLessThanOrEqual(2)
      // Frames never exceed the API's 8192-byte limit (100 ms chunks at 16 kHz are 3200 bytes).
      expect(Math.max(...server.convs.get(c.connectionId)!.sockets.flatMap((s) => s.frameSizes))).toBeLessThanOrEqual(3200)
      const { freq, amp } = measure(bytes, 16000)
      expect(freq).toBe(1000)
      expect(Math.abs(amp - 0.5)).toBeLessThan(format === 'u8' ? 0.01 : 0.002)
    },
  )

  it('resamples to the connection rate (8 kHz and 48 kHz connections)', async () => {
    const path = file('tone-44k1.wav', wavFile(interleavedTone(1000, 44100, 0.5, 0.5), 's16le', 44100))
    for (const rate of [8000, 48000]) {
      const c = await connect(rate)
      const summary = await c.sendAudioFromFile(path, { chunkMs: 20 })
      const bytes = await stopAndCollect(c)
      expect(Math.abs(bytes.length - rate)).toBeLessThanOrEqual(2) // 0.5 s × rate × 2 bytes
      expect(summary.durationMs).toBeCloseTo(500, -1)
      expect(measure(bytes, rate).freq).toBe(1000)
    }
  })

  it.skipIf(spawnSync('sox', ['--version']).status !== 0)(
    'reads a WAV written by sox (WAVE_FORMAT_EXTENSIBLE, 24-bit stereo)',
    async () => {
      const path = join(dir, 'sox.wav')
      const made = spawnSync('sox', [
        '-n',
        '-r',
        '48000',
        '-c',
        '2',
        '-b',
        '24',
        '-e',
        'signed-integer',
        path,
        'synth',
        '0.5',
        'sine',
        '1000',
        'vol',
        '0.5',
      ])
      expect(made.status).toBe(0)
      const c = await connect()
      await c.sendAudioFromFile(path)
      const bytes = await stopAndCollect(c)
      expect(Math.abs(bytes.length - 16000)).toBeLessThanOrEqual(2)
      expect(measure(bytes, 16000).freq).toBe(1000)
    },
  )

  it('bad files fail with a typed error before any audio is sent, and the connection stays usable', async () => {
    const good = wavFile(interleavedTone(1000, 16000, 0.1, 0.5), 's16le', 16000)
    const alaw = wavFile(interleavedTone(1000, 8000, 0.1, 0.5), 'u8', 8000, 1, 6)
    const mp3 = wavFile(interleavedTone(1000, 8000, 0.1, 0.5), 's16le', 8000, 1, 0x55)
    const header = Buffer.from(good.subarray(0, 44))
    header.writeUInt32LE(0, 40)
    const c = await connect()
    const fails = async (path: string) =>
      c.sendAudioFromFile(path).then(
        () => undefined,
        (e: unknown) => e,
      )
    const format = [
      ['text.wav', 'hello, this is not audio', 'not-wav', /Not a WAV file/],
      ['song.aiff', Buffer.concat([Buffer.from('FORM'), Buffer.alloc(60)]), 'not-wav', /AIFF/],
      ['alaw.wav', alaw, 'compressed', /A-law.*convert it to PCM/],
      ['mp3.wav', mp3, 'compressed', /MP3/],
      ['empty.wav', '', 'empty', /empty \(0 bytes\)/],
      ['truncated.wav', good.subarray(0, 30), 'truncated', /header is truncated/],
      ['no-samples.wav', header, 'empty', /no audio samples/],
    ] as const
    for (const [name, bytes, reason, message] of format) {
      const error = await fails(file(name, bytes))
      expect(error, name).toBeInstanceOf(AudioFormatError)
      expect((error as AudioFormatError).reason, name).toBe(reason)
      expect((error as Error).message, name).toMatch(message)
    }
    const missing = await fails(join(dir, 'no-such-file.wav'))
    expect(missing).toBeInstanceOf(ValidationError)
    expect((missing as Error).message).toMatch(/No file at ".*no-such-file\.wav": check the path/)
    mkdirSync(join(dir, 'a-folder.wav'), { recursive: true })
    const folder = await fails(join(dir, 'a-folder.wav'))
    expect(folder).toBeInstanceOf(ValidationError)
    expect((folder as Error).message).toMatch(/is a directory/)
    for (const bad of [undefined, '', 42]) expect(await fails(bad as unknown as string)).toBeInstanceOf(ValidationError)
    expect(await c.sendAudioFromFile(file('ok.wav', good), { chunkMs: 5 }).catch((e) => e)).toBeInstanceOf(ValidationError)

    expect(received.get(c.connectionId)).toBeUndefined() // nothing was sent
    expect(c.state).toBe('open')
    await c.sendAudioFromFile(file('ok.wav', good))
    expect((await stopAndCollect(c)).length).toBe(3200)
  })

  it('an AbortSignal stops the file part-way: rejects with its reason, the connection goes on', async () => {
    const path = file('long.wav', wavFile(interleavedTone(1000, 16000, 5, 0.5), 's16le', 16000))
    const c = await connect()
    const controller = new AbortController()
    const reason = new Error('user pressed cancel')
    const sent = vi.spyOn(c, 'sendAudio')
    const pending = c.sendAudioFromFile(path, { realtime: true, signal: controller.signal })
    await vi.waitFor(() => expect(sent.mock.calls.length).toBeGreaterThanOrEqual(2))
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    const calls = sent.mock.calls.length
    expect(calls).toBeLessThan(50)
    await c.sendAudio(new Uint8Array(640))
    const bytes = await stopAndCollect(c)
    expect(bytes.length).toBe(calls * 3200 + 640) // what was handed over before the abort, plus the call above
    const already = new AbortController()
    already.abort(reason)
    const d = await connect()
    await expect(d.sendAudioFromFile(path, { signal: already.signal })).rejects.toBe(reason)
  })

  it('errors when the connection is stopped or not LINEAR16', async () => {
    const path = file('short.wav', wavFile(interleavedTone(1000, 16000, 0.1, 0.5), 's16le', 16000))
    const mulaw = await connect(8000, 'MULAW')
    await expect(mulaw.sendAudioFromFile(path)).rejects.toThrow(/sends LINEAR16 audio, but this connection was started with encoding MULAW/)
    await expect(mulaw.sendAudioStream([new Uint8Array(4)], { sampleRate: 8000 })).rejects.toThrow(ValidationError)
    const c = await connect()
    await c.stop()
    await expect(c.sendAudioFromFile(path)).rejects.toThrow(ConnectionError)
    await expect(c.sendAudioStream([new Uint8Array(4)], { sampleRate: 16000 })).rejects.toThrow(/after stop\(\)/)
  })
})

describe('realtime pacing', () => {
  /** A sink that records when each chunk was handed over, on a clock whose timers wake up late. */
  function setup(lateMs: (i: number) => number) {
    let now = 1000
    let sleeps = 0
    const clock: PaceClock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms + lateMs(sleeps++)
      },
    }
    const times: number[] = []
    const sink: AudioSink = {
      format: { encoding: 'LINEAR16', sampleRateHertz: 16000 },
      sendAudio: async () => {
        times.push(now)
      },
    }
    return { clock, sink, times, sleeps: () => sleeps }
  }

  it('sends chunk k at start + k × chunk duration: late timers do not add up (no drift)', async () => {
    const s = setup((i) => (i * 7) % 13) // 0–12 ms late, every time
    const pcm = encodePcm(interleavedTone(440, 16000, 10, 0.3), 's16le') // 10 s: 100 chunks of 100 ms
    const summary = await sendPcmStream(s.sink, [pcm], { sampleRate: 16000, realtime: true }, s.clock)
    expect(summary).toEqual({ durationMs: 10_000, bytesSent: 320_000 })
    expect(s.times.length).toBe(100)
    s.times.forEach((t, k) => {
      const due = 1000 + k * 100
      expect(t).toBeGreaterThanOrEqual(due)
      expect(t - due).toBeLessThan(13) // never more than one timer's lateness behind
    })
    expect(s.sleeps()).toBe(99) // the first chunk goes at once
  })

  it('catches up without sleeping after a stall; without realtime it never sleeps', async () => {
    const s = setup((i) => (i === 0 ? 450 : 0)) // the first timer is 450 ms late
    const pcm = encodePcm(interleavedTone(440, 16000, 1, 0.3), 's16le')
    await sendPcmStream(s.sink, [pcm], { sampleRate: 16000, realtime: true }, s.clock)
    expect(s.times.slice(0, 7)).toEqual([1000, 1550, 1550, 1550, 1550, 1550, 1600])
    const fast = setup(() => 0)
    await sendPcmStream(fast.sink, [pcm], { sampleRate: 16000 }, fast.clock)
    expect(fast.sleeps()).toBe(0)
    expect(fast.times.length).toBe(10)
  })

  it('paces a real connection with timers (fake timers: chunks handed over = elapsed / 100 ms + 1)', async () => {
    const c = await connect()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const sent = vi.spyOn(c, 'sendAudio')
    const pcm = encodePcm(interleavedTone(440, 16000, 2, 0.3), 's16le')
    const done = c.sendAudioStream([pcm], { sampleRate: 16000, realtime: true })
    for (let elapsed = 0; elapsed <= 2000; elapsed += 50) {
      await vi.advanceTimersByTimeAsync(elapsed === 0 ? 0 : 50)
      expect(sent.mock.calls.length, `at ${elapsed} ms`).toBe(Math.min(20, Math.floor(elapsed / 100) + 1))
    }
    await expect(done).resolves.toEqual({ durationMs: 2000, bytesSent: 64_000 })
    vi.useRealTimers()
    expect((await stopAndCollect(c)).length).toBe(64_000)
  })
})

describe('sendAudioStream', () => {
  it('from a Node Readable of stereo s16le at 48 kHz', async () => {
    const path = file('stereo-48k.raw', encodePcm(interleavedTone(1000, 48000, 0.6, 0.5, 2), 's16le'))
    const c = await connect()
    const summary = await c.sendAudioStream(createReadStream(path, { highWaterMark: 1001 }), { sampleRate: 48000, channels: 2 })
    const bytes = await stopAndCollect(c)
    expect(summary.bytesSent).toBe(bytes.length)
    expect(Math.abs(bytes.length - 0.6 * 32000)).toBeLessThanOrEqual(2)
    expect(measure(bytes, 16000).freq).toBe(1000)
  })

  it('modify() refuses a new rate while a stream is being sent at the old one, and allows it afterwards', async () => {
    const c = await connect()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    async function* slow() {
      yield new Uint8Array(3200)
      await gate
      yield new Uint8Array(3200)
    }
    const sending = c.sendAudioStream(slow(), { sampleRate: 16000 })
    await new Promise((r) => setTimeout(r, 20))
    await expect(c.modify({ sampleRateHertz: 8000 })).rejects.toThrow(ValidationError)
    await expect(c.modify({ sampleRateHertz: 8000 })).rejects.toThrow(/stop it before modify\(\) changes the rate/)
    expect(c.format.sampleRateHertz).toBe(16000)
    release()
    await sending
    expect(c.format.sampleRateHertz).toBe(16000)
    c.close()
  })

  it('from an async generator of f32le at 44.1 kHz in odd-sized pieces (frames straddle them)', async () => {
    const pcm = encodePcm(interleavedTone(1000, 44100, 0.5, 0.25), 'f32le')
    async function* pieces() {
      for (let o = 0; o < pcm.length; o += 777) yield new Uint8Array(pcm.subarray(o, o + 777))
    }
    const c = await connect()
    await c.sendAudioStream(pieces(), { sampleRate: 44100, format: 'f32le' })
    const bytes = await stopAndCollect(c)
    expect(Math.abs(bytes.length - 16000)).toBeLessThanOrEqual(2)
    const { freq, amp } = measure(bytes, 16000)
    expect(freq).toBe(1000)
    expect(Math.abs(amp - 0.25)).toBeLessThan(0.002)
  })

  it('from a web ReadableStream, a Readable.from of ArrayBuffers, and one Buffer', async () => {
    const pcm = encodePcm(interleavedTone(1000, 16000, 0.25, 0.5), 's16le')
    const sources = [
      () => new ReadableStream<Uint8Array>({ start: (ctl) => (ctl.enqueue(new Uint8Array(pcm)), ctl.close()) }),
      () => Readable.from([pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + 4000), new Uint8Array(pcm.subarray(4000)).buffer]),
      () => pcm,
    ]
    for (const source of sources) {
      const c = await connect()
      await c.sendAudioStream(source() as never, { sampleRate: 16000 })
      expect((await stopAndCollect(c)).equals(pcm)).toBe(true) // 16 kHz s16 in, 16 kHz out: bit-exact
    }
  })

  it('bad sources and options are ValidationErrors', async () => {
    const c = await connect()
    const bad: Array<[unknown, Record<string, unknown>, RegExp]> = [
      [null, { sampleRate: 16000 }, /takes an async iterable of bytes/],
      [42, { sampleRate: 16000 }, /takes an async iterable of bytes/],
      [Readable.from(['text']), { sampleRate: 16000 }, /got a text chunk/],
      [[{}], { sampleRate: 16000 }, /not bytes/],
      [[new Uint8Array(4)], {}, /sampleRate must be an integer/],
      [[new Uint8Array(4)], { sampleRate: 16000, format: 'LINEAR16' }, /format must be one of s16le/],
      [[new Uint8Array(4)], { sampleRate: 16000, channels: 0 }, /channels must be/],
      [[new Uint8Array(4)], { sampleRate: 16000, realtime: 'yes' }, /realtime must be a boolean/],
    ]
    for (const [source, options, message] of bad) {
      const error = await c.sendAudioStream(source as never, options as never).catch((e: unknown) => e)
      expect(error, String(message)).toBeInstanceOf(ValidationError)
      expect((error as Error).message).toMatch(message)
    }
    await expect(c.sendAudioStream([new Uint8Array(4)], undefined as never)).rejects.toThrow(/needs options with the source format/)
    expect(c.state).toBe('open')
  })
})

describe('sendAudioFromMic on Node', () => {
  it('rejects with a ConfigError that points to sendAudioFromFile and sendAudioStream', async () => {
    const c = await connect()
    const error = await c.sendAudioFromMic().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(/sendAudioFromFile\(path\).*sendAudioStream\(source/)
    expect(c.state).toBe('open')
  })
})
