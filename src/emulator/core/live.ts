// One live streaming conversation, keyed by the client's connectionId. It outlives its sockets, so
// a reconnect to the same id continues the same conversation (contract 6.1/6.8), and it turns audio
// into events: preloaded lines played back at their times relative to the audio received, or
// detected speech segments reported as unrecognised speech.

import { analyse, insightContext, memberNames } from './analysis/index.js'
import { extractEntities } from './analysis/entities.js'
import { topicSentiment } from './analysis/sentiment.js'
import { insightsOf } from './analysis/insights.js'
import { extractTopics } from './analysis/topics.js'
import { matchTrackers } from './analysis/trackers.js'
import { uuid } from './ids.js'
import { placePreloaded } from './preload.js'
import { LiveDiarizer } from './audio/diarize.js'
import { SpeechSegmenter, type Segment } from './audio/segments.js'
import { VoiceFeatures } from './audio/voice.js'
import { StreamDecoder } from './audio/stream-decoder.js'
import type { Store } from './store.js'
import { iso } from './time.js'
import { recognitionResult, speakerView, streamInsightView, streamMessageView, streamTopicView, UNRECOGNISED_TEXT } from './views.js'
import type { AudioInfo, Conversation, PreloadedMessage, Speaker, StoredMessage, TrackerSpec } from './types.js'

export interface LiveConfig {
  encoding: string
  sampleRate: number
  insightTypes: string[]
  sentiment: boolean
  trackers: TrackerSpec[]
  /** config.trackers.enableAllTrackers: the account's trackers are in `trackers`. */
  enableAllTrackers: boolean
  /** config.trackers.interimResults: tracker matches on interim results (isFinal:false). */
  interimTrackers: boolean
  /** config.detectEntities: entity_response frames (GO shape). */
  detectEntities: boolean
  speaker?: { name?: string; userId?: string }
  timezoneOffset: number
  confidenceThreshold: number
  /** config.enableSpeakerDiarization with config.diarizationSpeakerCount (our choice of names, see streaming.ts). */
  speakerCount?: number | undefined
}

type Placed = PreloadedMessage & { start: number; end: number }

export class LiveStream {
  audioSeconds = 0
  audioBytes = 0
  completed = false
  private decoder?: StreamDecoder
  private segmenter: SpeechSegmenter
  private timed: Placed[] = []
  private untimed: PreloadedMessage[] = []
  private interimSent = new Set<PreloadedMessage>()
  /** Message ids given to lines at their interim result, so interim tracker refs match the final message. */
  private readonly lineIds = new Map<PreloadedMessage, string>()
  private sequence = 0
  private readonly sentTopics = new Set<string>()
  private readonly hasTimed: boolean
  private audioInfo?: AudioInfo
  /** With diarization: voice features and the online clustering (audio/diarize.ts), fixed at the start. */
  private readonly voices?: VoiceFeatures
  private readonly diarizer?: LiveDiarizer

  constructor(
    readonly connectionId: string,
    readonly conversation: Conversation,
    public config: LiveConfig,
    private readonly store: Store,
    private readonly emit: (frame: unknown) => void,
    preload: PreloadedMessage[] | undefined,
    /** Frames for the stream's own sockets only (not its subscribers): audio problems. */
    private readonly tell: (frame: unknown) => void = emit,
  ) {
    this.setFormat(config.encoding, config.sampleRate)
    if (preload?.length) {
      // Lines with times play at those times; lines without are laid on detected speech segments in order.
      if (preload.every((p) => p.start === undefined)) this.untimed = [...preload]
      else this.timed = placePreloaded(preload)
    }
    this.hasTimed = this.timed.length > 0
    if (config.speakerCount !== undefined && config.speakerCount > 1) {
      this.voices = new VoiceFeatures()
      this.diarizer = new LiveDiarizer(config.speakerCount)
    }
    this.segmenter = this.newSegmenter()
  }

  setFormat(encoding: string, sampleRate: number): void {
    this.config = { ...this.config, encoding, sampleRate }
    const current = this.decoder
    // A reconnect (or a modify_request) keeping a compressed format keeps its decoder: Opus state
    // and a FLAC byte stream go on. LINEAR16/MULAW start afresh, as a new socket's frames do.
    if (current && !current.ended && current.encoding.toUpperCase() !== 'LINEAR16' && current.encoding.toUpperCase() !== 'MULAW') {
      if (current.encoding.toUpperCase() === encoding.toUpperCase() && current.sampleRate === sampleRate) return
    }
    this.decoder = new StreamDecoder(
      encoding,
      sampleRate,
      {
        samples: (samples, rate) => this.samples(samples, rate),
        problem: (details) => this.tell({ type: 'message', message: { type: 'error', message: 'Malformed audio', details } }),
      },
      current?.end(),
    )
  }

  /**
   * Before the final frames of a stop_request: every message received is decoded (FLAC flushed).
   * Undefined when nothing is left to wait for (LINEAR16, MULAW).
   */
  drain(): Promise<void> | undefined {
    return this.decoder?.end()
  }

  private newSegmenter(): SpeechSegmenter {
    return new SpeechSegmenter({
      onSpeechStart: (t) => this.speechStarted(t),
      onSegment: (s) => this.speechEnded(s),
    })
  }

  audio(bytes: Uint8Array): void {
    this.audioBytes += bytes.length
    this.decoder?.push(bytes)
  }

  /** Decoded audio, in arrival order: the stream's clock is the samples decoded so far. */
  private samples(samples: Float32Array, rate: number): void {
    if (this.completed) return
    // Measured first: a segment the segmenter closes in this push is labelled from its frames.
    this.voices?.push(samples, rate)
    this.segmenter.push(samples, rate)
    this.audioSeconds += samples.length / rate
    this.playTimed(false)
  }

  /** stop_request: closes an open segment and plays every timed line that started within the audio. */
  finish(): void {
    this.segmenter.finish()
    this.playTimed(true)
    this.recordAudio()
  }

  /** The stream's audio as the conversation's audio facts (as an upload has them), kept up to date. */
  private recordAudio(): void {
    const info: AudioInfo = {
      format: this.config.encoding.toLowerCase(),
      sampleRate: this.config.sampleRate,
      channels: 1,
      durationSeconds: this.audioSeconds,
      bytes: this.audioBytes,
      durationMethod: 'exact',
      speechSegments: [...this.segmenter.segments],
    }
    if (this.audioInfo) Object.assign(this.audioInfo, info)
    else this.conversation.audio.push((this.audioInfo = info))
  }

  private get user(): Record<string, string> {
    return speakerView(
      this.config.speaker
        ? { name: this.config.speaker.name ?? this.config.speaker.userId ?? 'Speaker 1', userId: this.config.speaker.userId }
        : { name: 'Speaker 1' },
    )
  }

  private playTimed(final: boolean): void {
    while (this.timed.length) {
      const line = this.timed[0]
      if (this.audioSeconds >= line.end || (final && line.start < this.audioSeconds)) {
        this.timed.shift()
        this.commit(line, line.start, line.end)
      } else {
        if (this.audioSeconds >= line.start && !this.interimSent.has(line)) this.interim(line, line.start, this.audioSeconds)
        return
      }
    }
  }

  private interim(line: PreloadedMessage, start: number, now: number): void {
    this.interimSent.add(line)
    const words = line.text.split(/\s+/)
    const partial = words.slice(0, Math.max(1, Math.ceil(words.length / 2))).join(' ')
    this.emit(recognitionResult(partial, false, start, now, this.lineUser(line), false))
    if (!this.config.interimTrackers || !this.config.trackers.length) return
    // Interim tracker matches: only on what the interim result says so far; the final message repeats them with isFinal:true.
    const id = uuid()
    this.lineIds.set(line, id)
    const c = this.conversation
    const pending: StoredMessage = {
      id,
      text: partial,
      from: this.store.member(c, line.speaker ?? this.config.speaker ?? { name: 'Speaker 1' }),
      startMs: c.startMs + start * 1000,
      endMs: c.startMs + now * 1000,
      origin: 'fixture',
    }
    const trackers = matchTrackers(c.id, this.config.trackers, [pending], [])
    if (trackers.length) this.emit({ type: 'tracker_response', isFinal: false, sequenceNumber: this.sequence++, trackers })
  }

  private lineUser(line: PreloadedMessage): Record<string, string> {
    return line.speaker ? speakerView({ name: line.speaker.name, userId: line.speaker.userId ?? line.speaker.email }) : this.user
  }

  private speechStarted(t: number): void {
    const line = this.untimed[0]
    if (line) this.interim(line, t, this.audioSeconds)
    else if (!this.hasTimed) this.emit(recognitionResult(UNRECOGNISED_TEXT, false, t, this.audioSeconds, this.user, true))
  }

  private speechEnded(segment: Segment): void {
    const line = this.untimed.shift()
    if (line) return this.commit(line, segment.start, segment.end)
    // With timed fixtures the fixture is the transcript; otherwise report the speech, unrecognised.
    if (!this.hasTimed) this.commit(undefined, segment.start, segment.end, this.voices && this.diarizer?.label(segment, this.voices.frames))
  }

  /** `voice`: with diarization, the speaker index of an unrecognised segment ("Speaker 1" speaks first). */
  private commit(line: PreloadedMessage | undefined, start: number, end: number, voice?: number): void {
    const c = this.conversation
    const unrecognised = !line
    const text = line?.text ?? UNRECOGNISED_TEXT
    const who = line?.speaker ?? (voice === undefined ? this.config.speaker : { name: `Speaker ${voice + 1}` })
    const from: Speaker = this.store.member(c, who ? { name: who.name, userId: who.userId } : { name: 'Speaker 1' })
    const message: StoredMessage = {
      id: (line && this.lineIds.get(line)) ?? uuid(),
      text,
      from,
      startMs: c.startMs + start * 1000,
      endMs: c.startMs + end * 1000,
      unrecognised,
      origin: line ? 'fixture' : 'audio',
    }
    c.messages.push(message)
    this.store.touch(c)
    this.emit(recognitionResult(text, true, start, end, speakerView(from), unrecognised))
    this.emit({
      type: 'message_response',
      messages: [streamMessageView(c, message, { sentiment: this.config.sentiment, timezoneOffset: this.config.timezoneOffset })],
      sequenceNumber: this.sequence++,
    })
    if (unrecognised) return
    const insights = insightsOf(message, insightContext(c)).filter(
      (i) => this.config.insightTypes.includes(i.type) && i.score >= this.config.confidenceThreshold,
    )
    if (insights.length) this.emit({ type: 'insight_response', insights: insights.map(streamInsightView), sequenceNumber: this.sequence++ })
    const fresh = extractTopics(c.id, c.messages).filter((t) => !this.sentTopics.has(t.id))
    if (fresh.length) {
      for (const t of fresh) this.sentTopics.add(t.id)
      this.emit({
        type: 'topic_response',
        topics: fresh.map((t) =>
          streamTopicView(t, {
            messageIndex: c.messages.length - 1,
            ...(this.config.sentiment ? { sentiment: topicSentiment(c.messages, t.messageIds) } : {}),
          }),
        ),
      })
    }
    const trackers = matchTrackers(c.id, this.config.trackers, [message], insights)
    if (trackers.length) this.emit({ type: 'tracker_response', isFinal: true, sequenceNumber: this.sequence++, trackers })
    if (this.config.detectEntities) this.entities(message)
  }

  /**
   * entity_response (GO's shape, contract 6.5) for one final message, from the same entity analysis
   * as the REST entities endpoint: one item per type/subType/category, one match per detected value.
   */
  private entities(message: StoredMessage): void {
    const c = this.conversation
    const found = extractEntities([message], c.options.entities, memberNames(c))
    if (!found.length) return
    const groups = new Map<
      string,
      { type: string; subType?: string; category?: string; matches: Array<{ detectedValue: string; messageRefs: unknown[] }> }
    >()
    for (const e of found) {
      const key = `${e.type}|${e.subType ?? ''}|${e.customType ?? ''}`
      const group = groups.get(key) ?? {
        type: e.type,
        ...(e.subType ? { subType: e.subType } : {}),
        ...(e.customType ? { category: e.customType } : {}),
        matches: [],
      }
      groups.set(key, group)
      group.matches.push({
        detectedValue: e.value,
        messageRefs: e.messageRefs.map((r) => ({
          id: r.id,
          startTime: iso(message.startMs),
          endTime: iso(message.endMs),
          text: r.text,
          offset: r.offset,
        })),
      })
    }
    this.emit({ type: 'entity_response', entities: [...groups.values()], sequenceNumber: this.sequence++ })
  }

  broadcast(frame: unknown): void {
    this.emit(frame)
  }

  /** For the Conversation API afterwards: warm the analysis cache. */
  analyse(): void {
    analyse(this.conversation)
  }
}
