// One streaming WebSocket (contract 6): the message protocol, independent of the socket library.
// Lifecycle: start_request -> conversation_created, started_listening, recognition_started;
// audio -> live events; stop_request -> conversation_completed, recognition_stopped, close 1000
// (the order of 6.8). A repeated start_request on a started socket is ignored (6.8).

import type { EmulatorCore } from './core.js'
import type { LiveStream, LiveConfig } from './live.js'
import { checkAnalysisBounds, isRecord, toBool, toList, toNumber } from './options.js'
import { pageUrl } from './pages.js'
import type { FrameSender, SocketHandler } from './sockets.js'
import type { TrackerSpec } from './types.js'

const ENCODINGS: Record<string, [number, number]> = {
  LINEAR16: [8000, 48000],
  FLAC: [16000, 192000],
  MULAW: [8000, 8000],
  OPUS: [16000, 48000],
}

type Json = Record<string, unknown>

export class StreamingSocket implements SocketHandler {
  private live?: LiveStream
  private stopped = false
  private dropAfter?: number
  private received = 0
  private disconnectOnStop = true
  /** disconnectOnStopRequestTimeout (s): how long a stopped socket kept open waits for a new start_request. */
  private stopTimeout = 1800
  private stopTimer?: ReturnType<typeof setTimeout>
  /** Stopped with disconnectOnStopRequest:false and not restarted yet. */
  private keptAfterStop = false
  /** A stop_request waiting for the stream's decoder (Opus/FLAC): later text frames wait behind it. */
  private stopping?: Promise<void>
  private socketClosed = false

  constructor(
    private readonly core: EmulatorCore,
    private readonly connectionId: string,
    private readonly out: FrameSender,
    dropAfterBytes: number | undefined,
    /** The socket token's scope: the conversation it creates belongs to it (tokens.ts). */
    private readonly scope?: string,
  ) {
    this.dropAfter = dropAfterBytes
  }

  onText(text: string): void {
    // Once the server has closed (stop_request, drop), frames still in flight are ignored: a
    // start_request there would open a new conversation that no socket can ever stop.
    if (this.out.closed) return
    if (this.stopping) {
      this.stopping = this.stopping.then(() => this.onText(text))
      return
    }
    if (text === '__PING__') return this.out.raw('__PONG__')
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return this.error('Invalid JSON', 'Text frames must be JSON objects with a "type".')
    }
    if (!isRecord(message) || typeof message.type !== 'string')
      return this.error('Invalid message', 'Text frames must be JSON objects with a "type".')
    try {
      if (message.type === 'start_request') this.start(message)
      else if (message.type === 'stop_request') this.stop()
      else if (message.type === 'modify_request') this.modify(message)
      else this.error('Unknown message type', `"${message.type}" is not a supported message type.`)
    } catch (e) {
      this.error('Invalid request', e instanceof Error ? e.message : String(e))
    }
  }

  onBinary(bytes: Uint8Array): void {
    // Contract 6.3: audio sent before start_request is ignored.
    if (!this.live || this.stopped || this.out.closed) return
    this.received += bytes.length
    if (this.dropAfter !== undefined && this.received >= this.dropAfter) {
      this.out.terminate()
      this.onClose()
      return
    }
    this.live.audio(bytes)
  }

  onClose(): void {
    this.socketClosed = true
    this.clearStopTimer()
    if (this.keptAfterStop) {
      this.keptAfterStop = false
      this.core.liveStreams.releaseStopped(this.connectionId, this.out)
    }
    if (this.live && !this.stopped) this.core.liveStreams.detach(this.connectionId, this.out)
    this.live = undefined
  }

  /** Wrapped error form (6.8: the JS SDK only acts on it). */
  private error(message: string, details: string): void {
    this.out.json({ type: 'message', message: { type: 'error', message, details } })
  }

  private start(request: Json): void {
    if (this.live && !this.stopped) return // repeated start_request on a started socket: ignored
    this.clearStopTimer()
    this.keptAfterStop = false
    const config = this.parseConfig(request)
    this.disconnectOnStop = toBool(request.disconnectOnStopRequest, 'disconnectOnStopRequest') ?? true
    const preloadName =
      typeof (request.config as Json | undefined)?.meetingTitle === 'string'
        ? ((request.config as Json).meetingTitle as string)
        : typeof request.meetingTitle === 'string'
          ? request.meetingTitle
          : undefined
    this.live = this.core.liveStreams.attach(
      this.connectionId,
      this.out,
      config,
      preloadName,
      toNumber(request.noConnectionTimeout, 'noConnectionTimeout'),
      this.scope,
    )
    this.stopped = false
    const conversationId = this.live.conversation.id
    this.out.json({ type: 'message', message: { type: 'conversation_created', data: { conversationId } } })
    this.out.json({ type: 'message', message: { type: 'started_listening' } })
    this.out.json({ type: 'message', message: { type: 'recognition_started', data: { conversationId } } })
  }

  private stop(): void {
    if (!this.live || this.stopped) return
    this.stopped = true
    const live = this.live
    // Opus/FLAC audio still being decoded belongs before the final frames.
    const drained = live.drain()
    if (!drained) return this.finishStop(live)
    this.stopping = drained.then(() => {
      this.stopping = undefined
      this.finishStop(live)
    })
  }

  private finishStop(live: LiveStream): void {
    this.core.liveStreams.complete(this.connectionId, !this.disconnectOnStop)
    const conversationId = live.conversation.id
    // 6.8: conversation_completed first (both shapes of 6.5), then recognition_stopped, then close 1000.
    live.broadcast({
      type: 'message',
      message: {
        type: 'conversation_completed',
        conversationId,
        summaryUrl: pageUrl(this.core, live.conversation, 'meeting'),
        data: { conversationId },
      },
    })
    live.broadcast({ type: 'message', message: { type: 'recognition_stopped' } })
    if (this.disconnectOnStop) this.out.close(1000, 'stop_request')
    else if (this.socketClosed) {
      // The client left while the audio was being decoded: nothing can restart the conversation.
      this.live = undefined
      this.core.liveStreams.releaseStopped(this.connectionId, this.out)
    } else {
      // The socket stays; a new start_request continues the conversation, within the timeout.
      this.live = undefined
      this.keptAfterStop = true
      this.stopTimer = this.core.timers.set(this.stopTimeout * 1000, () => this.out.close(1000, 'disconnectOnStopRequestTimeout'), {
        background: true,
      })
    }
  }

  private clearStopTimer(): void {
    this.core.timers.clear(this.stopTimer)
    this.stopTimer = undefined
  }

  private modify(request: Json): void {
    const sr = isRecord(request.speechRecognition) ? request.speechRecognition : request
    const encoding = typeof sr.encoding === 'string' ? sr.encoding : (this.live?.config.encoding ?? 'LINEAR16')
    const rate = toNumber(sr.sampleRateHertz, 'sampleRateHertz') ?? this.live?.config.sampleRate ?? 16000
    this.validateAudio(encoding, rate)
    this.live?.setFormat(encoding, rate)
    // Payload not documented; we echo the new settings.
    this.out.json({
      type: 'message',
      message: { type: 'session_modified', data: { speechRecognition: { encoding, sampleRateHertz: rate } } },
    })
  }

  private validateAudio(encoding: string, rate: number): void {
    const range = ENCODINGS[encoding.toUpperCase()]
    if (!range) throw new Error(`Unsupported encoding "${encoding}".`)
    if (rate < range[0] || rate > range[1])
      throw new Error(`sampleRateHertz ${rate} is out of range for ${encoding} (${range[0]}-${range[1]}).`)
  }

  private parseConfig(request: Json): LiveConfig {
    const config = isRecord(request.config) ? request.config : {}
    const sr = isRecord(config.speechRecognition) ? config.speechRecognition : {}
    const encoding = typeof sr.encoding === 'string' ? sr.encoding : 'LINEAR16'
    // Default 16000 (DOCS21/GO); the declared value is always honoured.
    const sampleRate = toNumber(sr.sampleRateHertz, 'sampleRateHertz') ?? 16000
    this.validateAudio(encoding, sampleRate)
    const trackersCfg = isRecord(config.trackers) ? config.trackers : {}
    const enableAllTrackers = toBool(trackersCfg.enableAllTrackers, 'config.trackers.enableAllTrackers') ?? false
    const requested = (toList(request.trackers, 'trackers') ?? []).map((t, i) => {
      if (!isRecord(t) || typeof t.name !== 'string' || !t.name) throw new Error(`"trackers[${i}].name" is required`)
      return { name: t.name, vocabulary: (toList(t.vocabulary, `trackers[${i}].vocabulary`) ?? []).map(String) }
    }) as TrackerSpec[]
    const trackers = this.core.trackersFor(requested, enableAllTrackers)
    checkAnalysisBounds(trackers, [])
    const timeout = (name: string, value: unknown): number | undefined => {
      const n = toNumber(value, name)
      if (n !== undefined && (n < 0 || n > 1800)) throw new Error(`"${name}" must be between 0 and 1800`)
      return n
    }
    timeout('noConnectionTimeout', request.noConnectionTimeout)
    this.stopTimeout = timeout('disconnectOnStopRequestTimeout', request.disconnectOnStopRequestTimeout) ?? 1800
    const speaker = isRecord(request.speaker)
      ? {
          name: typeof request.speaker.name === 'string' ? request.speaker.name : undefined,
          userId: typeof request.speaker.userId === 'string' ? request.speaker.userId : undefined,
        }
      : undefined
    // Diarization in a start_request is not in the contract (6.2 lists no such field): we take the
    // Async API's names inside `config` (`enableSpeakerDiarization`, `diarizationSpeakerCount`), with
    // the same rules (the count is required with the flag, a positive integer).
    const diarize = toBool(config.enableSpeakerDiarization, 'config.enableSpeakerDiarization') ?? false
    const speakerCount = toNumber(config.diarizationSpeakerCount, 'config.diarizationSpeakerCount')
    if (speakerCount !== undefined && (!Number.isInteger(speakerCount) || speakerCount < 1 || speakerCount > 100))
      throw new Error('"config.diarizationSpeakerCount" must be an integer from 1 to 100')
    if (diarize && speakerCount === undefined)
      throw new Error('"config.diarizationSpeakerCount" is required when "config.enableSpeakerDiarization" is true')
    return {
      speakerCount: diarize ? speakerCount : undefined,
      encoding,
      sampleRate,
      insightTypes: (toList(request.insightTypes, 'insightTypes') ?? []).map(String),
      sentiment: toBool(config.sentiment, 'sentiment') ?? false,
      trackers,
      enableAllTrackers,
      interimTrackers: toBool(trackersCfg.interimResults, 'config.trackers.interimResults') ?? false,
      detectEntities: toBool(config.detectEntities, 'config.detectEntities') ?? false,
      speaker,
      timezoneOffset: toNumber(config.timezoneOffset, 'timezoneOffset') ?? 0,
      confidenceThreshold: toNumber(config.confidenceThreshold, 'confidenceThreshold') ?? 0.5,
    }
  }
}
