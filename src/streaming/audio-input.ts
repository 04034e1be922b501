// Audio sources for a streaming connection: WAV files (through the runtime's file reader) and raw
// PCM byte streams, converted to the connection's LINEAR16 rate and sent either at real time or as
// fast as the connection's backpressure allows. Core code: no Node or DOM imports, so it runs in
// both runtimes. The connection loads it on first use (it brings the resampler and the WAV reader).
import { abortable, sleep } from '../utils/async.js'
import { abortReason, ValidationError } from '../errors.js'
import type { SampleFormat } from '../audio/pcm.js'
import { checkSampleRate, pcmToLinear16, type ByteSource } from '../audio/pcm-stream.js'
import { describe, invalid, isObject } from '../http/check.js'
import { openWav } from '../audio/wav.js'
import type { AudioByteSource, SendAudioFromMicOptions, SendAudioOptions, SendAudioStreamOptions, SendAudioSummary } from './types.js'

export type { AudioByteSource, SendAudioFromMicOptions, SendAudioOptions, SendAudioStreamOptions, SendAudioSummary }

/** The part of a connection the sources use. */
export interface AudioSink {
  readonly format: Readonly<{ encoding: string; sampleRateHertz: number }>
  sendAudio(audio: Uint8Array): Promise<void>
}

/** Time for real-time pacing; injectable so tests can check the schedule without waiting. */
export interface PaceClock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: PaceClock = {
  now: () => performance.now(),
  sleep,
}

const FORMATS: readonly SampleFormat[] = ['s16le', 'u8', 's24le', 's32le', 'f32le', 'f64le']

/** Checks what every source needs before anything is opened; returns the connection's rate. */
export function checkSend(sink: AudioSink, method: string, options: SendAudioOptions): number {
  if (!isObject(options)) invalid(`${method}: options`, 'an object such as { realtime: true }', options)
  const { encoding, sampleRateHertz } = sink.format
  if (encoding !== 'LINEAR16') {
    throw new ValidationError(
      `${method} sends LINEAR16 audio, but this connection was started with encoding ${encoding}: start it with config.speechRecognition.encoding 'LINEAR16' (the default)`,
    )
  }
  if (options.realtime !== undefined && typeof options.realtime !== 'boolean')
    invalid(`${method}: realtime`, 'a boolean (true or false)', options.realtime)
  const ms = options.chunkMs
  if (ms !== undefined && !(typeof ms === 'number' && ms >= 10 && ms <= 1000))
    invalid(`${method}: chunkMs`, 'a number of milliseconds from 10 to 1000', ms)
  const signal = options.signal
  if (signal !== undefined && !(signal && typeof signal.addEventListener === 'function'))
    invalid(`${method}: signal`, 'an AbortSignal', signal)
  if (signal?.aborted) throw abortReason(signal)
  return sampleRateHertz
}

/** Sends a WAV file's audio, resampled to the connection's rate. `open` is the runtime's file reader. */
export async function sendWavFile(
  sink: AudioSink,
  open: (path: string) => Promise<AsyncIterable<Uint8Array>>,
  path: string,
  options: SendAudioOptions = {},
  clock: PaceClock = realClock,
): Promise<SendAudioSummary> {
  const rate = checkSend(sink, 'sendAudioFromFile', options)
  const wav = await openWav(await open(path))
  return send(sink, wav.linear16({ targetSampleRate: rate, chunkMs: options.chunkMs ?? 100 }), rate, options, clock)
}

/** Sends raw PCM bytes (any encoding, rate and channel count), resampled to the connection's rate. */
export async function sendPcmStream(
  sink: AudioSink,
  source: AudioByteSource,
  options: SendAudioStreamOptions,
  clock: PaceClock = realClock,
): Promise<SendAudioSummary> {
  if (!isObject(options))
    throw new ValidationError(
      `sendAudioStream needs options with the source format, e.g. { sampleRate: 16000, format: "s16le", channels: 1 }, got ${describe(options)}`,
    )
  const rate = checkSend(sink, 'sendAudioStream', options)
  // All checked here, before the first chunk is read: `?? default` would have taken an explicit null.
  checkSampleRate('sendAudioStream: sampleRate', options.sampleRate)
  const format = options.format === undefined ? 's16le' : options.format
  if (!FORMATS.includes(format)) invalid('sendAudioStream: format', `one of ${FORMATS.join(', ')}`, format)
  const channels = options.channels === undefined ? 1 : options.channels
  if (!(Number.isInteger(channels) && channels >= 1 && channels <= 64))
    invalid('sendAudioStream: channels', 'the number of interleaved channels, a whole number from 1 to 64', channels)
  const chunks = pcmToLinear16(byteChunks(source), {
    encoding: format,
    sampleRate: options.sampleRate,
    channels,
    targetSampleRate: rate,
    chunkMs: options.chunkMs ?? 100,
  })
  return send(sink, chunks, rate, options, clock)
}

/**
 * The send loop. Real time: chunk k goes out at start + (audio before it), measured from one start
 * time, so late timers never add up to drift (a late wake-up sends the next chunk sooner). Otherwise
 * each `sendAudio` is awaited, which is the connection's backpressure.
 */
async function send(
  sink: AudioSink,
  chunks: AsyncIterable<Uint8Array>,
  rate: number,
  options: SendAudioOptions,
  clock: PaceClock,
): Promise<SendAudioSummary> {
  const { signal, realtime = false } = options
  const bytesPerMs = (rate * 2) / 1000
  const start = clock.now()
  let bytesSent = 0
  // Leaving the loop early (error, abort) returns the iterator, which closes the file or stream.
  for await (const chunk of chunks) {
    if (signal?.aborted) throw abortReason(signal)
    if (realtime) {
      const wait = start + bytesSent / bytesPerMs - clock.now()
      if (wait > 0) await clock.sleep(wait, signal)
    }
    // The shared helper: it also stops at once on a signal that is already aborted, and handles a
    // later failure of the send it stopped waiting for (no unhandled rejection). Audio already queued stays queued.
    await abortable(sink.sendAudio(chunk), signal)
    bytesSent += chunk.byteLength
  }
  return { durationMs: bytesSent / bytesPerMs, bytesSent }
}

/** Normalises every accepted source to an async iterable of Uint8Array chunks. */
export function byteChunks(source: AudioByteSource): ByteSource {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return [toUint8(source)]
  if (source && typeof source === 'object') {
    // Web ReadableStreams are async iterable in Node and recent browsers, not in Safari: read them directly.
    const stream = source as unknown as ReadableStream<Uint8Array>
    if (!(Symbol.asyncIterator in source) && typeof stream.getReader === 'function') return readStream(stream)
    if (Symbol.asyncIterator in source || Symbol.iterator in source) return mapChunks(source as AsyncIterable<unknown>)
  }
  throw new ValidationError(
    `sendAudioStream takes an async iterable of bytes (a Node Readable, a web ReadableStream, an async generator) or a buffer, got ${source === null ? 'null' : typeof source}`,
  )
}

async function* mapChunks(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield toUint8(chunk)
}

async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield toUint8(value)
    }
  } finally {
    // Stopped early: cancel, so the producer (a fetch body, a file) is released.
    await reader.cancel().catch(() => {})
    reader.releaseLock()
  }
}

function toUint8(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  if (typeof chunk === 'string') {
    throw new ValidationError('sendAudioStream got a text chunk: read the source as bytes (a Node stream must not have an encoding set)')
  }
  throw new ValidationError(
    `sendAudioStream got a chunk that is not bytes (${chunk === null ? 'null' : typeof chunk}); it needs Uint8Array, Buffer or ArrayBuffer chunks`,
  )
}
