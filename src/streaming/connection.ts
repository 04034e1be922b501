// One real-time conversation over a WebSocket (contract 6): start, audio with backpressure, live
// events, modify, stop, and reconnection that loses no audio.
//
// Lifecycle: a *session* is one socket. A session is "ready" once the server has started the
// conversation (`recognition_started` or `started_listening`, with the conversation id known);
// audio flows only to a ready session. When a ready session's socket is lost without a
// `stop_request` (any close code but 1000, or a keep-alive timeout), the connection re-queues the
// audio it sent recently (the resend tail: nothing acknowledges audio), opens a new session with the
// same connection id after a backoff delay, sends `start_request` again and carries on.
//
// Time base: a new session is a new audio stream for the server, whose result times (`timeOffset`,
// word `startTime`/`endTime`, message `duration`) count from that session's first byte. The SDK does
// not rewrite the server's fields (their shapes and units vary and are partly undocumented); it adds
// `audioOffsetMs` to every frame it emits: where the current session's first byte sits in the
// connection's whole audio. `audioOffsetMs + (a time in the frame)` is monotonic across reconnects.
// It is 0 until the first reconnect. Captions of a resent tail are heard twice, once per session.
import type { MicrophoneHandle, MicrophoneOptions } from '../audio/microphone.js'
import type { SymblClient } from '../client.js'
import { Conversation } from '../conversations/conversation.js'
import { abortReason, ConfigError, ConnectionError, SymblError, TimeoutError, ValidationError } from '../errors.js'
import { describe } from '../http/check.js'
import { requestOptions } from '../http/request-options.js'
import type { RequestOptions } from '../http/types.js'
import { redact, redactError } from '../logger.js'
import { abandonSocket } from '../socket/abandon.js'
import { backoffDelay, reconnectPolicy, type ReconnectPolicy } from '../socket/backoff.js'
import { isRecoverableClose, shouldReconnect } from '../socket/close-codes.js'
import { checkFrame, errorFromFrame, type Frame, malformed, PING, parseFrame } from '../socket/frames.js'
import { KeepAlive, keepAlivePolicy, type KeepAlivePolicy } from '../socket/keepalive.js'
import { Opening } from '../socket/open.js'
import { ReplayEmitter } from '../socket/replay-emitter.js'
import { abortable, deferred, noop } from '../utils/async.js'
import { loadPart } from '../utils/load-part.js'
import type { AudioByteSource, SendAudioFromMicOptions, SendAudioOptions, SendAudioStreamOptions, SendAudioSummary } from './audio-input.js'
import { AudioNotDeliveredError } from './errors.js'
import { type AudioFormat, bytesPerSecond, isOpus, modifyRequest, STOP_REQUEST, startRequest, toBytes } from './frames.js'
import { checkFormat, checkOptions, checkQueueBound, queueBound } from './options.js'
import { HalfSample } from './half-sample.js'
import { type Session, startError, startTimeout } from './session.js'
import { type Lifecycle, next, stopRequested } from './lifecycle.js'
import { PendingModifies } from './modifies.js'
import { ResendTail } from './resend-tail.js'
import { EarlyCapture } from './early-capture.js'
import { StatsRecorder, statsEvery } from './stats.js'
import { durationMs, MAX_FRAME, payload, SendQueue } from './send-queue.js'
import type { AudioEncoding, ConnectionState, MessageFrame, StreamingEvents, StreamingOptions, StreamingStats } from './types.js'

const OPEN = 1
/** After `conversation_completed`, how long to wait for `recognition_stopped` or the server's close. */
const CLOSE_GRACE_MS = 2000

type Timer = ReturnType<typeof setTimeout>

/** The connection's own events, which a server frame's `type` must not impersonate (`error` and `message` are handled). */
const SDK_EVENTS = ['open', 'close', 'reconnecting', 'reconnected', 'fallback', 'dropped', 'capture', 'stats']

/** Any failure as a SymblError (the SDK's own pass through). */
const asSymblError = (error: unknown, hidden: string[]): SymblError =>
  error instanceof SymblError
    ? error
    : new ConnectionError(redact(String((error as Error)?.message ?? error), hidden), { cause: redactError(error, hidden) })

export class StreamingConnection extends ReplayEmitter<StreamingEvents> {
  /** The id chosen for this connection (rejoins use it; the Subscribe API takes it too). */
  readonly connectionId: string
  /** Known once the server has started the conversation (always, after `startConnection` resolves). */
  conversationId: string | undefined
  /** Where the current server session starts in the connection's audio, in ms (see the file comment). */
  audioOffsetMs = 0
  /** Where the connection is, as one value (lifecycle.ts); changed only by `#transition`. */
  #life: Lifecycle = { phase: 'connecting' }
  readonly #client: SymblClient
  readonly #options: StreamingOptions
  #format: AudioFormat
  readonly #queue: SendQueue
  readonly #tail: ResendTail
  readonly #reconnect: ReconnectPolicy
  readonly #keepAlive: KeepAlivePolicy
  readonly #highWater: number
  #session: Session | undefined
  /** `stats()`'s counters (stats.ts), updated on paths that run anyway. */
  readonly #stats: StatsRecorder
  /** Stops the opt-in `stats` event. */
  #stopStats: (() => void) | undefined
  /** Microphone audio captured before the first session started (`startConnection({ microphone })`, early-capture.ts). */
  #early: EarlyCapture | undefined
  /** The odd last byte of LINEAR16 audio, held for the next `sendAudio` (see half-sample.ts). */
  readonly #halfSample = new HalfSample()
  #pumpTimer: Timer | undefined
  /** Ends the reconnection backoff early (the connection closed): resolves its wait and clears its timer. */
  #wake: (() => void) | undefined
  #grace: Timer | undefined
  #stop: ReturnType<typeof deferred<Conversation>> | undefined
  /** The stop() that started the stop (the microphone's last chunk included): later calls join it. */
  #stopCall: Promise<Conversation> | undefined
  /** modify() calls the server has not answered, oldest first, with the format before and after each. */
  readonly #modifies = new PendingModifies()
  /** How drain() settles once closed: resolves when undefined, else rejects with it (see drain()). */
  #drainError: unknown
  #failure: SymblError | undefined
  #conversation: Conversation | undefined
  /** The microphone feeding this connection (at most one), and whether one is being opened. */
  #mic: MicrophoneHandle | undefined
  #micOpening = false
  /** Early audio dropped beyond `maxEarlySeconds`, in ms. */
  #earlyDroppedMs = 0
  /** The Opus part (opus.ts), loaded before the start by a connection whose encoding is Opus: all its Opus code. */
  #opus: typeof import('./opus.js') | undefined
  /** File and stream senders in progress: they resample to the rate they started with. */
  #sources = 0
  /** Removes the abort listener from `options.signal`. */
  #detach: (() => void) | undefined
  /** Start errors that may mean the token was refused (a 401, or any refused handshake in a browser): start() retries once. */
  readonly #tokenRefusals = new WeakSet<ConnectionError>()
  /** What errors built from server text must hide: the app secret and the tokens (see frames.ts). */
  readonly #hidden = (): string[] => this.#client.http.hidden()

  /** Use `symbl.streaming.startConnection(options)`, which validates, connects and waits for the start. */
  constructor(client: SymblClient, options: StreamingOptions = {}, calledAt?: number) {
    super()
    this.#stats = new StatsRecorder(calledAt)
    const { id, format } = checkOptions(options)
    this.#client = client
    this.#options = options
    this.connectionId = id
    this.#format = format
    this.#reconnect = reconnectPolicy(options.reconnect)
    this.#keepAlive = keepAlivePolicy(options.keepAlive)
    this.#highWater = options.highWaterMark ?? 256 * 1024
    const bound = queueBound(options, format)
    this.#queue = new SendQueue(bound.bytes, options.onQueueFull ?? 'wait', bound.ms)
    this.#tail = new ResendTail(options.resendTailMs ?? 2000, options.maxResendBytes ?? 8 * 1024 * 1024, this.#keepAlive !== undefined)
    if (options.events) this.subscribe(options.events)
  }

  get state(): ConnectionState {
    return this.#life.phase
  }

  /** The one place the lifecycle changes: along lifecycle.ts's TRANSITIONS, or a LifecycleError (an SDK bug). */
  #transition(to: Lifecycle): void {
    this.#life = next(this.#life, to)
  }

  #closedNow(): boolean {
    return this.#life.phase === 'closed'
  }

  /** The conversation being recorded (Conversation API calls), once its id is known. */
  get conversation(): Conversation | undefined {
    if (!this.conversationId) return undefined
    if (this.#conversation?.conversationId !== this.conversationId) {
      this.#conversation = new Conversation(this.#client, { conversationId: this.conversationId })
    }
    return this.#conversation
  }

  /** The audio format in effect for what `sendAudio` receives now. */
  /** The encoding on the wire now: `LINEAR16` if an Opus connection fell back (`fallback` event, `OpusOptions`). */
  get encoding(): AudioEncoding {
    return this.#format.encoding
  }

  get format(): Readonly<AudioFormat> {
    return this.#format
  }

  /** Audio waiting to be sent (queued, plus what `wait`-policy calls still hold), in seconds. */
  get bufferedSeconds(): number {
    return this.#queue.queuedMs() / 1000
  }

  /** What the connection is doing, as numbers (stats.ts): times from the call, seconds of audio, reconnects. */
  stats(): StreamingStats {
    const queue = this.#queue
    const earlyMs = this.#early?.heldMs ?? 0
    return this.#stats.snapshot({
      bufferedSeconds: this.bufferedSeconds + earlyMs / 1000,
      droppedSeconds: (queue.droppedMs + this.#earlyDroppedMs) / 1000,
      droppedBytes: queue.droppedBytes,
      maxQueuedBytes: queue.maxBytes,
    })
  }

  /** The microphone opened by `startConnection({ microphone })` or `sendAudioFromMic`, while it captures. */
  get microphone(): MicrophoneHandle | undefined {
    return this.#mic
  }

  /** Python SDK parity. */
  getConversationId(): string | undefined {
    return this.conversationId
  }

  /**
   * Queues audio (raw bytes in the connection's format; LINEAR16 is 16-bit little-endian mono) and
   * sends it in frames of at most 8192 bytes as fast as the socket takes it. On an Opus connection
   * each call is one raw Opus packet (RFC 6716, no Ogg), sent whole as one binary message; a buffer
   * that is not one (empty, a frame over 1275 bytes, over 8192 bytes) rejects with a ValidationError. The bytes are copied,
   * so the buffer may be reused at once. The promise settles per `onQueueFull`: with `wait` (the
   * default) it resolves when the audio is in the queue, so `await`ing each call keeps at most
   * `maxQueueSeconds` buffered; `drop-oldest` resolves at once; `error` rejects with
   * `QueueFullError` when it does not fit. While the socket is down (reconnecting), audio waits
   * in the same queue and goes out, in order, after the reconnect.
   */
  sendAudio(audio: ArrayBuffer | ArrayBufferView): Promise<void> {
    let bytes: Uint8Array
    let ms: number | undefined
    try {
      this.#check('sendAudio')
      bytes = this.#whole(toBytes(audio, this.#format))
      // Opus: one call is one packet (RFC 6716, checked), queued whole with its duration.
      ms = this.#opus?.packetMs(bytes, this.#format, MAX_FRAME)
    } catch (error) {
      return Promise.reject(error)
    }
    if (!bytes.length) return Promise.resolve()
    const queued = this.#queue.offer(bytes, this.#format, ms)
    this.#pump()
    return queued
  }

  /** LINEAR16 audio as whole samples (see half-sample.ts); other encodings as they come. */
  #whole(bytes: Uint8Array): Uint8Array {
    return this.#format.encoding === 'LINEAR16' ? this.#halfSample.whole(bytes) : bytes
  }

  /** The audio ended (stop) or changed format (modify) in the middle of a LINEAR16 sample: says so, as an `error` event. */
  #dropHalfSample(when: string): void {
    if (!this.#halfSample.drop()) return
    const error = new ValidationError(
      `The LINEAR16 audio given to sendAudio had an odd number of bytes in all when ${when}: its last byte, half a 16-bit sample, was dropped. Send whole samples (2 bytes each)`,
    )
    this.#client.log('warn', error.message)
    this.deliver('error', error)
  }

  /**
   * Resolves once every byte given to `sendAudio` so far has been handed to the socket. It always
   * settles when the connection closes, whether `drain()` was called before or after the close:
   * - resolves if no audio was left unsent: a completed `stop()`, or a close (the server's or a
   *   failure) with all audio handed to a socket. A control frame still queued (a `modify_request`
   *   whose `modify()` was rejected by the close) does not count: it is not audio;
   * - resolves after `close()` or an abort through `signal`: the app discarded the queued audio on purpose;
   * - otherwise (audio still queued or waiting when the connection failed) rejects with the
   *   connection's failure, an `AudioNotDeliveredError` that tells how much was lost.
   *
   * `signal` and `timeout` bound the wait only: an abort rejects with the signal's reason, a
   * timeout with a `TimeoutError` saying how much audio is still to send; either way the audio
   * stays queued and is sent as before (to discard it, `close()`). No timeout by default.
   */
  drain(options?: RequestOptions): Promise<void> {
    let request: RequestOptions
    try {
      request = requestOptions('drain: options', options)
    } catch (error) {
      return Promise.reject(error)
    }
    const { signal, timeout } = request
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    if (this.#closedNow()) return this.#drainError === undefined ? Promise.resolve() : Promise.reject(this.#drainError)
    const drained = within(this.#queue.drained(), timeout, (ms) => {
      const bytes = this.#queue.bytes + this.#queue.waitingBytes
      return new TimeoutError(`drain() timed out after ${ms} ms with ${bytes} bytes of audio still to send (they stay queued)`)
    })
    return abortable(drained, signal)
  }

  /**
   * Changes the audio format mid-stream (`modify_request`), in order with the audio: what
   * `sendAudio` receives after this call is taken to be in the new format. Resolves on the server's
   * `session_modified`; rejects with the server's error (a `ConnectionError`, the format staying as
   * it was) if it refuses the change, and with a `TimeoutError` after `timeout` (default
   * `stopTimeoutMs`; `false` for none) without an answer.
   *
   * `signal` aborted before the call: it rejects with the signal's reason and nothing changes (no
   * `modify_request`, the same format). Aborted later: the call rejects with the reason, but the
   * change is not withdrawn: the `modify_request` is queued in order with the audio, what
   * `sendAudio` receives after the call is in the new format, and a refusal by the server still
   * goes back to the previous one (reported as an `error` event). A timeout is the same.
   *
   * If the socket drops after the `modify_request` went out but before `session_modified` came, the
   * answer is lost with the socket. The reconnect's `start_request` then declares the format of the
   * audio that follows, which is this new format (or that of a later modify), so the change is in
   * effect on the new session: the promise resolves once that session has started. (A
   * `modify_request` still queued, or resent in the resend tail, is sent on the new session and
   * answered there as usual.) Rejects with a `ValidationError` for a format whose `drop-oldest`
   * bound would be under one frame (see `checkQueueBound`).
   */
  modify(change: { sampleRateHertz?: number; encoding?: AudioEncoding }, options?: RequestOptions): Promise<void> {
    const previous = this.#format
    let format: AudioFormat
    let request: RequestOptions
    try {
      request = requestOptions('modify: options', options)
      this.#check('modify', true)
      if (!change || typeof change !== 'object' || (change.sampleRateHertz === undefined && change.encoding === undefined)) {
        throw new ValidationError('modify takes { sampleRateHertz, encoding } with at least one of them')
      }
      const unknown = Object.keys(change).find((key) => key !== 'sampleRateHertz' && key !== 'encoding')
      if (unknown) throw new ValidationError(`modify takes { sampleRateHertz, encoding }, not ${JSON.stringify(unknown)}`)
      // Only undefined means "unchanged": a null must fail the format check below, not keep the old value silently.
      format = {
        encoding: change.encoding === undefined ? previous.encoding : change.encoding,
        sampleRateHertz: change.sampleRateHertz === undefined ? previous.sampleRateHertz : change.sampleRateHertz,
      }
      checkFormat(format, 'modify')
      checkQueueBound(this.#options, format, 'modify')
      if (isOpus(format) && !this.#opus)
        throw new ValidationError(`modify() cannot switch to Opus: start the connection with encoding ${format.encoding}`)
      this.#opus?.checkOpusRate(format, 'modify')
      this.#opus?.checkOpusQueue(this.#options, format, 'modify')
      const changed = format.sampleRateHertz !== previous.sampleRateHertz || format.encoding !== previous.encoding
      if (changed && (this.#mic || this.#micOpening || this.#sources > 0)) {
        // The microphone and file/stream senders resample (and encode) to the format they started
        // with; changing the declared format under them would mislabel their audio.
        throw new ValidationError(
          `Audio is being sent at ${previous.sampleRateHertz} Hz (${previous.encoding}) by sendAudioFromMic/sendAudioFromFile/sendAudioStream: stop it before modify() changes the rate or the encoding, then start it again`,
        )
      }
    } catch (error) {
      return Promise.reject(error)
    }
    const { signal, timeout } = request
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    this.#dropHalfSample('modify() changed the format')
    const { record, done } = this.#modifies.add(previous, format, timeout ?? this.#options.stopTimeoutMs ?? 30_000)
    this.#queue.offerText(modifyRequest(format), previous, record)
    this.#format = format
    this.#rebound()
    this.#pump()
    return abortable(done, signal)
  }

  /**
   * Sends the queued audio, then a JSON `stop_request`; resolves with the conversation once the
   * server has sent `conversation_completed` (and `recognition_stopped` or its close, in either
   * order), or closed the socket normally, and the socket is closed. Rejects after `timeout`
   * (default `stopTimeoutMs`; `false` for none), or if the connection fails (then the error tells
   * how much audio was not delivered); either way the connection is then closed.
   *
   * `signal` aborted before the call: it rejects with the signal's reason and nothing happens (no
   * `stop_request`; the connection stays open). Aborted while the stop is under way: the stop is
   * given up and the connection closed at once, as `close()` does (queued audio discarded; a
   * `close` event, no `error` event); the call rejects with the reason. The server keeps what it
   * received: if the `stop_request` went out, the conversation is processed as usual, and its id
   * (`conversationId`) still works with the Conversation API.
   *
   * A `stop()` made while another is under way joins it (no second `stop_request`): its own
   * `signal` only abandons its own wait, and its `timeout` does not apply.
   */
  stop(options?: RequestOptions): Promise<Conversation> {
    let request: RequestOptions
    try {
      request = requestOptions('stop: options', options)
    } catch (error) {
      return Promise.reject(error)
    }
    const { signal, timeout } = request
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    if (this.#stopCall) return abortable(this.#stopCall, signal)
    if (this.#closedNow()) return Promise.reject(this.#failure ?? new ConnectionError('stop() was called after the connection closed'))
    const stopping = (this.#stopCall = this.#stopping(timeout))
    if (!signal) return stopping
    const onAbort = () => this.#end(1000, 'stop aborted', abortReason(signal), false, true)
    signal.addEventListener('abort', onAbort, { once: true })
    const detach = () => signal.removeEventListener('abort', onAbort)
    stopping.then(detach, detach)
    return abortable(stopping, signal)
  }

  /** The stop itself: the microphone's last chunk, the stop_request, the wait for the end under `timeout` (default `stopTimeoutMs`). */
  async #stopping(timeout: number | false | undefined): Promise<Conversation> {
    const mic = this.#mic
    if (mic) {
      // The microphone first: its last partial chunk must reach the queue before stop_request.
      await mic.stop()
      if (this.#mic === mic) this.#mic = undefined
    }
    // Stopped before the session started: the early audio goes out first, then the stop_request.
    if (!this.#closedNow()) this.#releaseEarly()
    if (this.#closedNow()) throw this.#failure ?? new ConnectionError('stop() was called after the connection closed')
    this.#dropHalfSample('stop() was called')
    const life = this.#life
    // While reconnecting, the stop is carried out on the new session.
    this.#transition(
      life.phase === 'reconnecting' ? { ...life, stopRequested: true } : { phase: 'stopping', completed: false, recognitionStopped: false },
    )
    const stop = (this.#stop = deferred<Conversation>())
    const ms = timeout ?? this.#options.stopTimeoutMs ?? 30_000
    if (ms !== false) {
      stop.timer = setTimeout(() => {
        if (this.#completedStop()) return this.#finish()
        const message = `stop() timed out after ${ms} ms without conversation_completed`
        const lost = this.#notDelivered(message)
        this.#end(1000, 'stop timed out', lost.undeliveredBytes ? lost : new TimeoutError(message))
      }, ms)
    }
    this.#pump()
    return stop.promise
  }

  /**
   * Browsers: captures the microphone and streams it (getUserMedia → AudioWorklet → LINEAR16 at the
   * connection's `sampleRateHertz` → `sendAudio`; on an Opus connection the browser's WebCodecs
   * encoder turns that into 20 ms Opus packets, one per message, at `opus.bitrate`, and `stop()`
   * sends the encoder's last packet before `stop_request`; see `OpusOptions`). Resolves with the capture's handle (`stop()`,
   * `mute()`/`unmute()`, `device`, `level`) once audio flows. `stop()`/`close()` of the connection
   * stop the microphone first. If the device goes away, capture ends, the connection emits an
   * `error` event with a `MicrophoneError` (reason `device-lost`) and stays open: call this again
   * with another device. A failed `sendAudio` is emitted as `error` too, never thrown.
   * On Node it rejects with a `ConfigError` (use `sendAudioFromFile` or `sendAudioStream`).
   */
  async sendAudioFromMic(options: SendAudioFromMicOptions = {}): Promise<MicrophoneHandle> {
    const platform = this.#client.platform
    if (!platform.captureMicrophone) {
      throw new ConfigError(
        'sendAudioFromMic needs a browser microphone. On Node, send a WAV file with sendAudioFromFile(path) or raw PCM with sendAudioStream(source, { sampleRate })',
      )
    }
    if (!options || typeof options !== 'object' || Array.isArray(options))
      throw new ValidationError(`sendAudioFromMic takes an options object, e.g. { deviceId }, got ${describe(options)}`)
    // The rest is checked by captureMicrophone, except what this call replaces: say so rather than ignore it.
    const own = options as Partial<MicrophoneOptions>
    if (own.onChunk !== undefined || own.targetSampleRate !== undefined)
      throw new ValidationError(
        "sendAudioFromMic sends at the connection's sampleRateHertz through its own onChunk: leave out onChunk and targetSampleRate (or use captureMicrophone)",
      )
    for (const key of ['onEnded', 'onEvent'] as const) {
      // Wrapped by this call, so captureMicrophone would not see a bad one.
      if (own[key] !== undefined && typeof own[key] !== 'function')
        throw new ValidationError(`sendAudioFromMic: ${key} must be a function, got ${describe(own[key])}`)
    }
    this.#check('sendAudioFromMic')
    const { encoding, sampleRateHertz } = this.#format
    const capture = platform.captureMicrophone
    // Opus: the browser's encoder between the capture and sendAudio (opus.ts), unless the app encodes.
    const opus = this.#opus?.opusCapture(this.#format, this.#options.opus, capture, (e) => this.deliver('error', e))
    if (encoding !== 'LINEAR16' && !opus) {
      throw new ValidationError(
        `sendAudioFromMic sends LINEAR16 or Opus audio, but this connection was started with encoding ${encoding}: start it with config.speechRecognition.encoding 'LINEAR16' (the default) or 'OPUS'`,
      )
    }
    if (this.#mic || this.#micOpening)
      throw new ValidationError('A microphone is already streaming to this connection: stop its handle first')
    this.#micOpening = true
    let handle: MicrophoneHandle
    try {
      const micOptions: MicrophoneOptions & { targetSampleRate: number } = {
        ...options,
        targetSampleRate: sampleRateHertz,
        // Chunks are fresh ArrayBuffers: straight to sendAudio, whose failure becomes an `error` event.
        onChunk: (pcm) => this.#micAudio(pcm),
        // The capture's events (device lost/recovered, interrupted, silence…) on the connection too.
        onEvent: (event) => {
          options.onEvent?.(event)
          this.deliver('capture', event)
        },
        onEnded: (error) => {
          if (this.#mic === handle) this.#mic = undefined
          if (error) this.deliver('error', error)
          options.onEnded?.(error)
        },
      }
      handle = await (opus ?? capture)(micOptions)
    } finally {
      this.#micOpening = false
    }
    // The app may have stopped or closed the connection while the browser asked for permission.
    if (this.#over()) {
      await handle.stop()
      throw new ConnectionError('The connection was stopped or closed while the microphone was opening')
    }
    if (handle.active) this.#mic = handle
    return handle
  }

  /**
   * Node: streams a WAV file (PCM 8/16/24/32-bit or float, any rate, mono or stereo mixed down),
   * resampled to the connection's rate, at real time (`realtime: true`) or as fast as the
   * connection's backpressure allows (the default). Resolves once all of it is in the send queue,
   * with what was sent. Bad files reject with an `AudioFormatError` (not a WAV, compressed, empty,
   * truncated), a bad path with a `ValidationError`. In browsers it rejects with a `ConfigError`.
   */
  async sendAudioFromFile(path: string, options: SendAudioOptions = {}): Promise<SendAudioSummary> {
    const platform = this.#client.platform
    if (!platform.readFile) {
      throw new ConfigError(
        'sendAudioFromFile reads a file path, which a browser cannot: use sendAudioFromMic() for the microphone, or sendAudioStream(source, { sampleRate }) for PCM bytes',
      )
    }
    return this.#send('sendAudioFromFile', (input) => input.sendWavFile(this, (p) => platform.readFile!(p), path, options))
  }

  /**
   * Streams raw PCM from any source of bytes (a Node Readable, a web ReadableStream, an async
   * generator, a buffer) in the given format, resampled to the connection's LINEAR16 rate. Same
   * pacing, abort and summary as `sendAudioFromFile`. Both runtimes.
   */
  sendAudioStream(source: AudioByteSource, options: SendAudioStreamOptions): Promise<SendAudioSummary> {
    return this.#send('sendAudioStream', (input) => input.sendPcmStream(this, source, options))
  }

  /** Runs a file or stream sender (loaded on first use), counted in `#sources` while it runs. */
  async #send(method: string, run: (input: typeof import('./audio-input.js')) => Promise<SendAudioSummary>): Promise<SendAudioSummary> {
    this.#check(method)
    const input = await loadPart('audio input', () => import('./audio-input.js'))
    this.#sources++
    try {
      return await run(input)
    } finally {
      this.#sources--
    }
  }

  /** After stop() or a close, nothing more may be sent. */
  #over(): boolean {
    return stopRequested(this.#life) || this.#closedNow()
  }

  /** A stop was asked and the server has completed the conversation. */
  #completedStop(): boolean {
    const life = this.#life
    return life.phase === 'stopping' && life.completed
  }

  /** Throws, once sending is over, why (the connection's failure, unless `own`) or that `method` came too late. */
  #check(method: string, own?: boolean): void {
    if (this.#over()) {
      throw (
        (own ? undefined : this.#failure) ??
        new ConnectionError(`${method} was called after ${stopRequested(this.#life) ? 'stop()' : 'the connection closed'}`)
      )
    }
  }

  /** A microphone chunk: counted, held while the start is under way (early-capture.ts), else sent. */
  #micAudio(chunk: ArrayBuffer): void {
    this.#stats.captured(this.#chunkMs(chunk))
    if (this.#early) this.#early.push(chunk)
    else this.#sendMic(chunk)
  }

  /** Chunks are fresh ArrayBuffers: straight to sendAudio, whose failure becomes an `error` event. */
  #sendMic(chunk: ArrayBuffer): void {
    if (this.#over()) return
    this.sendAudio(chunk).catch((error: unknown) => {
      if (!this.#over()) this.deliver('error', asSymblError(error, this.#hidden())) // else the close itself reports why
    })
  }

  /** How long a microphone chunk lasts: LINEAR16 by its bytes; an Opus packet of the browser's encoder is 20 ms. */
  #chunkMs(chunk: ArrayBuffer): number {
    return this.#opus?.chunkMs(this.#format) ?? (chunk.byteLength * 1000) / bytesPerSecond(this.#format)
  }

  /** `startConnection({ microphone })`: opens the microphone now, its audio held until the session starts. */
  #startMic(): Promise<void> | undefined {
    const m = this.#options.microphone
    if (!m) return undefined
    const { maxEarlySeconds = 15, ...options } = m === true ? {} : m
    this.#early = new EarlyCapture(maxEarlySeconds * 1000, (chunk) => this.#chunkMs(chunk))
    const opening = this.sendAudioFromMic(options).then(
      () => {},
      (error: unknown) => {
        this.#end(1000, 'the microphone could not be opened', error, false)
        throw error
      },
    )
    opening.catch(noop) // start() awaits it; a failure before then must not be an unhandled rejection
    return opening
  }

  /** Hands the early audio to the send queue, in order, right behind the start (or the stop); says what was dropped. */
  #releaseEarly(): void {
    const early = this.#early
    if (!early) return
    this.#early = undefined
    const held = early.take()
    let keptMs = 0
    for (const chunk of held) {
      keptMs += this.#chunkMs(chunk)
      this.#sendMic(chunk)
    }
    if (early.droppedMs > 0) {
      this.#earlyDroppedMs += early.droppedMs
      const info = { droppedMs: Math.round(early.droppedMs), keptMs: Math.round(keptMs), reason: 'early-buffer-full' as const }
      this.#client.log(
        'warn',
        `The start took longer than maxEarlySeconds: the oldest ${info.droppedMs} ms of microphone audio were dropped`,
      )
      this.deliver('dropped', info)
    }
  }

  /** Releases the microphone at once (a close does not wait for its last chunk). */
  #releaseMic(): void {
    const mic = this.#mic
    this.#mic = undefined
    if (!mic) return
    mic.track.stop()
    // Nobody awaits this stop: a failure (the app's onEnded throwing) must not become an unhandled rejection.
    mic
      .stop()
      .catch((error: unknown) =>
        this.#client.log('warn', `The microphone did not stop cleanly: ${String((error as Error)?.message ?? error)}`),
      )
  }

  /** Closes at once without `stop_request` (the server keeps the conversation for `noConnectionTimeout`). Queued audio is discarded. */
  close(): void {
    this.#end(1000, 'closed by the app', new ConnectionError('The connection was closed by the app'), false, true)
  }

  /**
   * An Opus connection (or one given `opus` options, which the part checks) loads the Opus part
   * before its first `start_request`. Where the browser encodes (`OpusOptions.encoder`) but cannot,
   * the format becomes LINEAR16 here, so the server is told what will really be sent; the
   * `fallback` event and `encoding` say so.
   */
  async #prepareOpus(): Promise<void> {
    const opus = isOpus(this.#format)
    if (!opus && this.#options.opus === undefined) return
    const part = await loadPart('Opus streaming', () => import('./opus.js'))
    if (opus) this.#opus = part
    const fallback = await part.prepareOpus(this.#format, this.#options, this.#client)
    if (!fallback) return
    this.#format = fallback.to
    this.#rebound()
    this.deliver('fallback', fallback)
  }

  /** @internal Called by `StreamingApi.startConnection`. */
  async start(): Promise<this> {
    const signal = this.#options.signal
    const onAbort = () => this.#end(1000, 'aborted', abortReason(signal!), false, true)
    if (signal?.aborted) throw abortReason(signal)
    signal?.addEventListener('abort', onAbort, { once: true })
    // Not a `close` listener: that would take the `close` event an app listening later must still get.
    this.#detach = () => signal?.removeEventListener('abort', onAbort)
    this.#stopStats = statsEvery(this.#options.statsIntervalMs, () => this.deliver('stats', this.stats()))
    let mic: Promise<void> | undefined
    try {
      try {
        await this.#prepareOpus()
        // With the click: the microphone opens in parallel with the token, the socket and the start.
        mic = this.#startMic()
        await this.#open()
      } catch (error) {
        // One retry with a fresh token when the first was refused (it may have expired): the same rule as for REST.
        // A browser shows a refused handshake only as close 1006, so there any handshake refusal counts (see #startError).
        if (!(error instanceof ConnectionError && this.#tokenRefusals.has(error)) || this.#closedNow()) throw error
        await this.#open()
      }
      await mic
    } catch (error) {
      this.#end(1000, 'start failed', undefined, false)
      throw signal?.aborted ? abortReason(signal) : (this.#failure ?? error)
    }
    if (this.#life.phase === 'connecting') this.#transition({ phase: 'open' })
    return this
  }

  /**
   * Opens a session and resolves once the server has started the conversation on it. One
   * `startTimeoutMs` deadline covers the whole attempt (src/socket/open.ts): the token (a
   * tokenProvider that hangs), the socket and its handshake, and the server's start.
   */
  async #open(): Promise<void> {
    const startMs = this.#options.startTimeoutMs ?? 15_000
    const opening = new Opening(
      this.#client,
      `/v1/realtime/insights/${this.connectionId}`,
      startMs,
      (phase) => startTimeout(phase, startMs),
      this.#options.signal,
    )
    const ws = await opening.connect(() => this.#closedNow())
    if (!ws) throw this.#failure ?? new ConnectionError('The connection was closed while opening')
    return new Promise<void>((resolve, reject) => {
      const session: Session = {
        ws,
        opening,
        pings: [],
        keepAlive: new KeepAlive(
          this.#keepAlive,
          () => this.#ping(session),
          () => this.#drop(session, 3006, 'no answer to keep-alive'),
        ),
      }
      session.settle = (error) => {
        opening.done()
        session.settle = undefined
        if (error === undefined) return resolve()
        // Not #drop: the attempt failed, which its caller handles (start() or the reconnect loop), not a lost session.
        abandonSocket(ws, 1000, 'start failed')
        this.#release(session)
        reject(error)
      }
      this.#session = session
      opening.attach({
        open: () => {
          // Only now: the Python SDK sends start_request before the socket is open.
          ws.send(startRequest(this.#options, this.#queue.peek()?.format ?? this.#format))
          session.keepAlive.start()
          this.#stats.opened()
          this.deliver('open')
        },
        frame: (data) => this.#frame(session, data),
        close: (code, reason) => this.#closed(session, code, reason),
        timeout: (error) => session.settle?.(error),
      })
    })
  }

  #frame(session: Session, data: unknown): void {
    if (session.closed) return
    session.keepAlive.seen()
    const parsed = parseFrame(data, this.#hidden)
    if (parsed.kind === 'pong') {
      const mark = session.pings.shift()
      if (mark !== undefined) this.#tail.acknowledge(mark)
      return
    }
    if (parsed.kind === 'bad') return this.#report(parsed.error)
    const frame = parsed.frame
    if (frame.type === 'error') return this.#serverError(session, { ...frame, audioOffsetMs: this.audioOffsetMs })
    const problem = checkFrame(frame, SDK_EVENTS, this.#hidden)
    if (problem) return this.#report(problem)
    frame.audioOffsetMs = this.audioOffsetMs
    // Known result types and any other type (delivered under its own name, as the Python SDK does).
    if (frame.type !== 'message') return this.deliver(frame.type as 'message_response', frame as never)
    const m = frame.message as MessageFrame['message']
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') {
      return this.deliver('error', malformed('a `message` frame without a string `message.type`', JSON.stringify(frame), this.#hidden))
    }
    const type = m.type
    this.#stats.result(m)
    if (type === 'error') return this.#serverError(session, m)
    const id = m.data?.conversationId ?? m.conversationId
    if (
      typeof id === 'string' &&
      id &&
      (type === 'conversation_created' || type === 'recognition_started' || type === 'conversation_completed')
    ) {
      if (this.conversationId && this.conversationId !== id) {
        // The server lost the conversation while the socket was down and started a new one.
        this.deliver(
          'error',
          new ConnectionError(
            `The server continued in a new conversation ${id} after a reconnect; results before it are in ${this.conversationId}`,
          ),
        )
      }
      this.conversationId = id
    }
    if (type === 'recognition_started' || type === 'started_listening') session.started = true
    const life = this.#life
    // The end of the conversation counts once a stop was asked (lifecycle.ts).
    if (life.phase === 'stopping' && (type === 'conversation_completed' || type === 'recognition_stopped'))
      this.#transition(type === 'conversation_completed' ? { ...life, completed: true } : { ...life, recognitionStopped: true })
    if (type === 'session_modified') this.#modified()
    if (!session.ready && session.started && this.conversationId) {
      session.ready = true
      this.#stats.started()
      this.audioOffsetMs = this.#queue.peek()?.startMs ?? this.#queue.positionMs
      this.#modifies.carried()
      this.#releaseEarly()
      session.settle?.()
      this.#pump()
    }
    this.deliver('message', frame as MessageFrame)
    const now = this.#life
    if (now.phase === 'stopping' && now.completed) {
      if (now.recognitionStopped) this.#finish()
      else this.#grace ??= setTimeout(() => this.#finish(), CLOSE_GRACE_MS)
    }
  }

  /** Logs and emits an error the connection goes on after. */
  #report(error: SymblError): void {
    this.#client.log('warn', error.message)
    this.deliver('error', error)
  }

  #serverError(session: Session, body: Record<string, unknown>): void {
    const error = errorFromFrame(body, this.#hidden)
    if (session.settle) return session.settle(error)
    // The server answers a modify_request it refuses with an error frame instead of session_modified
    // (frames carry no request id; the SDK sends nothing else that draws an error once started).
    // Reject the waiting modify() at once instead of after stopTimeoutMs.
    this.#modified(error)
    this.#report(error)
  }

  /**
   * Settles the oldest waiting modify() (the server answers them in order). A refusal goes back to
   * the format the server still uses, so later audio and a reconnect's start_request are not declared wrong.
   */
  #modified(error?: SymblError): void {
    const m = this.#modifies.answered(error)
    if (error && m && this.#format === m.format) {
      this.#format = m.previous
      this.#rebound()
    }
  }

  /** Hands queued frames to the socket while it is not over its high-water mark; then sends the stop if asked. */
  #pump = (): void => {
    clearTimeout(this.#pumpTimer)
    this.#pumpTimer = undefined
    const session = this.#session
    if (!session?.ready || session.closed || session.ws.readyState !== OPEN) return
    const { ws } = session
    const queue = this.#queue
    const now = Date.now()
    for (;;) {
      while (queue.length && ws.bufferedAmount <= this.#highWater) {
        const item = queue.shift()!
        ws.send(payload(item))
        if (item.control) item.control.sent = true
        if (item.len) this.#stats.sent(item.len, durationMs(item))
        item.sentAt = now
        this.#tail.add(item, now)
      }
      queue.admit()
      if (!queue.length) break
      if (ws.bufferedAmount > this.#highWater) {
        // WebSockets have no 'drain' event: look again shortly.
        this.#pumpTimer = setTimeout(this.#pump, 2)
        return
      }
    }
    // Ask for an acknowledgement once `resendTailMs` of audio is unacknowledged (one ping in flight at a time).
    if (this.#tail.acks && !session.pings.length && this.#tail.unackedMs >= this.#tail.tailMs) this.#ping(session)
    if (stopRequested(this.#life) && !session.stopSent && !queue.waitingBytes) {
      session.stopSent = true
      ws.send(STOP_REQUEST)
    }
  }

  #ping(session: Session): void {
    session.ws.send(PING)
    session.pings.push(this.#tail.mark())
  }

  /** Abandons a session: closes its socket without waiting for the close handshake (a half-open peer never answers it). */
  #drop(session: Session, code: number, reason: string): void {
    abandonSocket(session.ws, code, reason, code === 3006)
    this.#closed(session, code, reason)
  }

  /** Lets go of a session's socket events and timers; false if it was let go already. */
  #release(session: Session): boolean {
    if (session.closed) return false
    session.closed = true
    session.keepAlive.stop()
    const { ws } = session
    ws.onopen = ws.onmessage = ws.onclose = null
    // `ws` throws on an 'error' event with no listener: keep a no-op one.
    ws.onerror = noop
    if (this.#session === session) this.#session = undefined
    return true
  }

  /** A session's socket closed (or was dropped): a starting session fails its start; else the connection ends, finishes its stop or reconnects. */
  #closed(session: Session, code: number, reason: string): void {
    if (!this.#release(session)) return
    if (session.settle) return session.settle(this.#startError(session, code, reason))
    if (this.#closedNow()) return
    if (this.#completedStop() || (stopRequested(this.#life) && session.stopSent && code === 1000)) return this.#finish(code, reason)
    if (isRecoverableClose(code)) return void this.#reconnectLoop(code, reason || session.opening.error || 'connection lost')
    // A normal close that the app did not ask for: the server ended the conversation (idle, limit).
    const lost = this.#notDelivered(`The server closed the connection (code 1000${reason ? `: ${reason}` : ''})`, { closeCode: code })
    this.#end(code, reason, lost.undeliveredBytes ? lost : undefined)
  }

  async #reconnectLoop(code: number, reason: string): Promise<void> {
    const tail = this.#tail.take(Date.now())
    // A modify_request in the tail goes out again on the new session, which answers it.
    for (const item of tail) if (item.control) item.control.sent = false
    const resentBytes = tail.reduce((n, item) => n + item.len, 0)
    this.#stats.replayed(
      resentBytes,
      tail.reduce((ms, item) => ms + (item.len ? durationMs(item) : 0), 0),
    )
    this.#queue.requeue(tail)
    let cause: unknown
    const attempts = this.#reconnect.maxAttempts
    // The close was recoverable (#closed); a failed attempt is a loss too, whatever code its socket closed with.
    for (let attempt = 1; shouldReconnect(undefined, attempt, attempts); attempt++) {
      const delayMs = backoffDelay(this.#reconnect, attempt)
      this.#transition({ phase: 'reconnecting', attempt, stopRequested: stopRequested(this.#life) })
      this.#client.log('info', `Streaming socket lost (${code}: ${reason}); reconnecting in ${delayMs} ms (attempt ${attempt})`)
      this.deliver('reconnecting', { attempt, delayMs, closeCode: code, reason })
      // A listener may have closed the connection: then there is nothing to wait for.
      if (this.#closedNow()) return
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = undefined
      if (this.#closedNow()) return
      try {
        await this.#open()
        this.#stats.reconnects++
        const life = this.#life
        if (life.phase === 'reconnecting')
          this.#transition(life.stopRequested ? { phase: 'stopping', completed: false, recognitionStopped: false } : { phase: 'open' })
        this.deliver('reconnected', { attempt, resentBytes, audioOffsetMs: this.audioOffsetMs })
        return
      } catch (error) {
        if (this.#closedNow()) return
        cause = error
        code = (error as ConnectionError).closeCode ?? code
        reason = error instanceof Error ? error.message : String(error)
      }
    }
    this.#end(
      code,
      reason,
      this.#notDelivered(
        attempts
          ? `The streaming connection was lost and ${attempts} reconnection attempts failed (last: ${reason})`
          : `The streaming connection was lost (${code}: ${reason}) and reconnection is off`,
        { closeCode: code, cause },
      ),
    )
  }

  /** Turns how a starting session ended into an error that says why (session.ts); a possibly refused token is remembered for start()'s retry. */
  #startError(session: Session, code: number, reason: string): ConnectionError {
    const { error, tokenRefused } = startError(session.opening, code, reason)
    if (tokenRefused) this.#tokenRefusals.add(error)
    return error
  }

  /** An AudioNotDeliveredError with what is undelivered and unconfirmed now (`undeliveredBytes` may be 0). */
  #notDelivered(message: string, extra?: { closeCode?: number; cause?: unknown }): AudioNotDeliveredError {
    // Durations from each item's own length (an Opus packet's from its TOC byte), not bytes over the
    // current format's PCM rate: that reported about 1/24 of the time lost at 32 kbit/s Opus.
    const queue = this.#queue
    const resent = queue.sent()
    const undeliveredBytes = queue.bytes - resent.bytes + queue.waitingBytes + queue.droppedBytes
    const unconfirmedBytes = resent.bytes + this.#tail.bytes
    return new AudioNotDeliveredError(
      message,
      {
        undeliveredBytes,
        undeliveredMs: queue.queuedMs() - resent.ms + queue.droppedMs,
        unconfirmedBytes,
        unconfirmedMs: resent.ms + this.#tail.ms,
      },
      extra,
    )
  }

  /** A completed stop: close cleanly and resolve with the conversation. */
  #finish(code = 1000, reason = 'stopped'): void {
    if (this.#stop) this.#end(code, reason)
  }

  /**
   * Ends the connection. Without `error` it is a completed stop; with one, everything waiting is
   * rejected with it and (when `emit`) it is emitted as `error`.
   */
  #end(code: number, reason: string, error?: unknown, emit = true, discarded = false): void {
    if (this.#closedNow()) return
    this.#transition({ phase: 'closed', stopRequested: stopRequested(this.#life), discarded })
    this.#detach?.()
    this.#releaseMic()
    this.#early?.discard()
    this.#early = undefined
    this.#stopStats?.()
    clearTimeout(this.#pumpTimer)
    clearTimeout(this.#stop?.timer)
    clearTimeout(this.#grace)
    this.#wake?.()
    const session = this.#session
    if (session?.settle) session.settle(error ?? new ConnectionError('The connection was closed while starting'))
    else if (session) this.#drop(session, 1000, reason)
    const failure = (this.#failure = error === undefined ? undefined : asSymblError(error, this.#hidden()))
    const rejection = error ?? failure ?? new ConnectionError('The connection is closed')
    // See drain(): it resolves unless audio is left unsent by a close the app did not ask for.
    this.#drainError = discarded || !this.#queue.holdsAudio ? undefined : rejection
    this.#queue.fail(rejection, this.#drainError)
    this.#modifies.rejectAll(rejection)
    if (this.#stop) {
      if (error === undefined) this.#stop.resolve(this.conversation!)
      else this.#stop.reject(error)
    }
    if (failure && emit) this.deliver('error', failure)
    this.deliver('close', { code, reason })
  }

  /** The queue's bounds for the format now in effect (bytes, or ms for Opus: options.ts `queueBound`). */
  #rebound(): void {
    const bound = queueBound(this.#options, this.#format)
    this.#queue.limit = bound.bytes
    this.#queue.limitMs = bound.ms
  }
}

/** Settles with `promise`, or rejects with `timedOut(ms)` after `ms` (no limit when `ms` is undefined or false). */
function within<T>(promise: Promise<T>, ms: number | false | undefined, timedOut: (ms: number) => unknown): Promise<T> {
  if (ms === undefined || ms === false) return promise
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut(ms)), ms)
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}

export type { Frame }
