// startConnection({ microphone }) (issue 15) against the fake server over real sockets, with a fake
// microphone on the platform: a 20 ms chunk every 20 ms whose 4-byte words count up from 0, so the
// server's counter check proves the audio arrived whole and in order, from the first chunk captured
// (while the handshake was held) to the partial chunk stop() flushed.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MicrophoneError } from '../../../src/audio/errors.js'
import type { MicrophoneHandle, MicrophoneOptions } from '../../../src/audio/types.js'
import { ConfigError, ValidationError } from '../../../src/errors.js'
import type { Symbl } from '../../../src/node.js'
import { StreamingConnection } from '../../../src/streaming/connection.js'
import type { DroppedInfo, StreamingStats } from '../../../src/streaming/types.js'
import { FakeServer } from './fake-server.js'
import { client } from './helpers.js'

let server: FakeServer
afterEach(async () => {
  // A spy left on StreamingConnection.prototype.start by a failed test would wrap itself on the retry.
  vi.restoreAllMocks()
  await server.close()
})

const WORDS_PER_CHUNK = 160 // 20 ms of 16 kHz LINEAR16 = 640 bytes
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A fake microphone: `words` counts every word it delivered; `fail` makes opening it fail. */
function fakeMicrophone(fail?: Error) {
  const mic = { words: 0, opened: 0, stopped: false, firstChunkAt: 0 }
  const capture = async (options: MicrophoneOptions): Promise<MicrophoneHandle> => {
    await sleep(30) // the permission prompt: not audio
    if (fail) throw fail
    mic.opened++
    const chunk = (n: number) => {
      const words = new Uint32Array(n)
      for (let i = 0; i < n; i++) words[i] = mic.words++
      mic.firstChunkAt ||= performance.now()
      options.onChunk(words.buffer)
    }
    const timer = setInterval(() => chunk(WORDS_PER_CHUNK), 20)
    let active = true
    return {
      get active() {
        return active
      },
      track: { stop() {} },
      async stop() {
        if (!active) return
        clearInterval(timer)
        chunk(37) // the worklet's last partial chunk
        active = false
        mic.stopped = true
        options.onEnded?.()
      },
    } as unknown as MicrophoneHandle
  }
  return { mic, capture }
}

function withMicrophone(symbl: Symbl, capture: (options: MicrophoneOptions) => Promise<MicrophoneHandle>): Symbl {
  const c = symbl.streaming.client
  Object.defineProperty(c, 'platform', { value: { ...c.platform, captureMicrophone: capture } })
  return symbl
}

describe('startConnection({ microphone })', () => {
  it('captures from the call through a 1.5 s handshake: everything from the first chunk to stop() arrives, in order', async () => {
    server = await FakeServer.start({ handshakeDelayMs: 1500, captionEveryBytes: 16_000 })
    const { mic, capture } = fakeMicrophone()
    const symbl = withMicrophone(client(server), capture)
    const connection = await symbl.streaming.startConnection({ microphone: true })
    expect(connection.microphone?.active).toBe(true)
    // About 1.5 s was captured before the session started: none of it is lost.
    const early = mic.words
    expect(early).toBeGreaterThan(40 * WORDS_PER_CHUNK)
    await sleep(300)
    await connection.stop()
    expect(mic.stopped).toBe(true)
    const conv = server.conv(connection.connectionId)
    expect(conv.check.problems).toEqual([])
    expect(conv.check.duplicates).toBe(0)
    expect(conv.check.next).toBe(mic.words) // every word, the partial last chunk included
    expect(conv.stopped).toBe(true)
    const stats = connection.stats()
    expect(stats.socketOpenMs).toBeGreaterThanOrEqual(1500)
    expect(stats.startedMs).toBeGreaterThanOrEqual(stats.socketOpenMs!)
    expect(stats.firstAudioSentMs).toBeGreaterThanOrEqual(stats.startedMs!)
    expect(stats.firstFinalMs).toBeGreaterThanOrEqual(stats.firstAudioSentMs!)
    expect(stats.capturedSeconds).toBeCloseTo((mic.words * 4) / 32_000, 6)
    expect(stats.sentSeconds).toBeCloseTo(stats.capturedSeconds, 6)
    expect(stats.droppedSeconds).toBe(0)
    expect(stats.bufferedSeconds).toBe(0)
  })

  it('beyond maxEarlySeconds the oldest audio is dropped, and a `dropped` event says how much', async () => {
    const firstWords: number[] = []
    server = await FakeServer.start({
      handshakeDelayMs: 1500,
      checkCounter: false,
      onAudio: (_s, conv, frame) => {
        if (conv.audioBytes === frame.length) firstWords.push(frame.readUInt32LE(0))
      },
    })
    const { mic, capture } = fakeMicrophone()
    const symbl = withMicrophone(client(server), capture)
    const dropped: DroppedInfo[] = []
    const connection = await symbl.streaming.startConnection({
      microphone: { maxEarlySeconds: 0.5 },
      events: { dropped: (info) => dropped.push(info) },
    })
    await connection.stop()
    expect(dropped.length).toBe(1)
    expect(dropped[0].reason).toBe('early-buffer-full')
    expect(dropped[0].keptMs).toBe(500)
    expect(dropped[0].droppedMs).toBeGreaterThan(500)
    const conv = server.conv(connection.connectionId)
    // What arrived is what was captured less what was dropped, and it starts with the oldest kept word.
    expect(conv.audioBytes).toBe(mic.words * 4 - dropped[0].droppedMs * 32)
    expect(firstWords).toEqual([(dropped[0].droppedMs * 32) / 4])
    expect(connection.stats().droppedSeconds).toBeCloseTo(dropped[0].droppedMs / 1000, 6)
  })

  it('a microphone that cannot be opened fails the start with its MicrophoneError and closes the connection', async () => {
    server = await FakeServer.start({ handshakeDelayMs: 300 })
    const denied = new MicrophoneError('permission-denied', 'Microphone permission was denied')
    const { capture } = fakeMicrophone(denied)
    const symbl = withMicrophone(client(server), capture)
    await expect(symbl.streaming.startConnection({ microphone: true })).rejects.toBe(denied)
    await sleep(400)
    expect(server.sockets.every((s) => s.ws.readyState !== 1)).toBe(true)
  })

  it('stop() during the start (from the open listener): the early audio goes out first, then the stop_request', async () => {
    let bytesAtStop = -1
    server = await FakeServer.start({
      handshakeDelayMs: 500,
      onText: (socket, message) => {
        if (message.type === 'stop_request') bytesAtStop = socket.audioBytes
        return false
      },
    })
    const { mic, capture } = fakeMicrophone()
    const symbl = withMicrophone(client(server), capture)
    // The connection object, before startConnection resolves (as a listener would hold it).
    let connection: StreamingConnection | undefined
    const start = StreamingConnection.prototype.start
    vi.spyOn(StreamingConnection.prototype, 'start').mockImplementation(function (this: StreamingConnection) {
      connection = this
      return start.call(this)
    })
    let stopping: Promise<unknown> | undefined
    const started = await symbl.streaming.startConnection({ microphone: true, events: { open: () => (stopping = connection!.stop()) } })
    expect(started).toBe(connection)
    await stopping
    expect(mic.stopped).toBe(true)
    const conv = server.conv(started.connectionId)
    expect(conv.check.problems).toEqual([])
    expect(conv.check.next).toBe(mic.words) // all of it, the flushed partial chunk included
    // Everything was captured before the socket opened (the stop came from the open listener): early audio.
    // How much depends on how often a loaded machine runs the fake's 20 ms timer, so only "several chunks".
    expect(mic.words).toBeGreaterThan(2 * WORDS_PER_CHUNK)
    // The stop_request came after the last audio frame.
    expect(bytesAtStop).toBe(mic.words * 4)
    const texts = server.last.texts.map((t) => (t as { type?: string }).type)
    expect(texts).toEqual(['start_request', 'stop_request'])
    expect(conv.stopped).toBe(true)
  })

  it('stats every statsIntervalMs, off by default', async () => {
    server = await FakeServer.start()
    const { capture } = fakeMicrophone()
    const symbl = withMicrophone(client(server), capture)
    const seen: StreamingStats[] = []
    const connection = await symbl.streaming.startConnection({
      microphone: true,
      statsIntervalMs: 100,
      events: { stats: (s) => seen.push(s) },
    })
    await sleep(450)
    await connection.stop()
    const n = seen.length
    expect(n).toBeGreaterThanOrEqual(2)
    expect(seen.at(-1)!.sentSeconds).toBeGreaterThan(0)
    await sleep(250)
    expect(seen.length).toBe(n) // stopped with the connection
    const quiet = await withMicrophone(client(server), fakeMicrophone().capture).streaming.startConnection({
      events: { stats: (s) => seen.push(s) },
    })
    await sleep(250)
    quiet.close()
    expect(seen.length).toBe(n)
  })

  it('a server frame named like one of these events (dropped, capture, stats) is reported, not emitted as that event', async () => {
    server = await FakeServer.start()
    const connection = await client(server).streaming.startConnection()
    const errors: Error[] = []
    const emitted: string[] = []
    connection.on('error', (e) => errors.push(e))
    for (const name of ['dropped', 'capture', 'stats'] as const) connection.on(name, () => emitted.push(name))
    for (const type of ['dropped', 'capture', 'stats']) server.send(server.last, { type, droppedMs: 1 })
    server.send(server.last, { type: 'message_response', messages: [] })
    await new Promise((resolve) => connection.once('message_response', resolve))
    expect(emitted).toEqual([])
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/a frame of type "dropped", the name of an SDK event/),
      expect.stringMatching(/"capture"/),
      expect.stringMatching(/"stats"/),
    ])
    await connection.stop()
  })

  it('bad options are refused before anything opens; Node has no microphone (ConfigError)', async () => {
    server = await FakeServer.start()
    const symbl = client(server)
    for (const bad of [{ microphone: 'yes' }, { microphone: { maxEarlySeconds: -1 } }, { statsIntervalMs: 5 }]) {
      await expect(symbl.streaming.startConnection(bad as never)).rejects.toBeInstanceOf(ValidationError)
    }
    expect(server.handshakes).toEqual([])
    await expect(symbl.streaming.startConnection({ microphone: true })).rejects.toBeInstanceOf(ConfigError)
  })
})
