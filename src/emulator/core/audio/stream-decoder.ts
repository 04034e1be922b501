// The audio of one live stream (contract 6.3, `start_request` encodings) decoded to mono samples,
// in arrival order. LINEAR16 and MULAW are read at the declared rate, synchronously. OPUS arrives as
// raw Opus packets, one per binary message (what Symbl's web SDK sends: 48 kHz, 20 ms frames, mono),
// decoded by `opus-decoder`; FLAC is a byte stream, decoded by `@wasm-audio-decoders/flac`. Both are
// pure WASM of the wasm-audio-decoders family, loaded with import() when the first stream of the
// encoding starts: a LINEAR16-only emulator never loads them. Until a decoder is ready, messages
// wait in a bounded queue; after that Opus decodes synchronously, FLAC asynchronously (its API is)
// but in order. A message that cannot be decoded is counted and reported, never thrown.

import type { OpusDecoder } from 'opus-decoder'
import { mixToMono, type Decoded } from './decoded.js'
import { createFlacDecoder, type FlacStreamDecoder } from './flac-decoder.js'
import { checkOpusPacket } from './opus-packets.js'
import { PcmDecoder } from './pcm.js'

export interface StreamAudioSink {
  samples(mono: Float32Array, sampleRate: number): void
  /** Why audio could not be decoded (details for the contract's wrapped error frame). */
  problem(details: string): void
}

/** Audio waiting for a decoder that is still loading; beyond it, messages are dropped and reported. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024
/** opus-decoder's input buffer for one mono packet (120 ms at 256 kbit/s); larger packets would overflow it. */
const MAX_OPUS_PACKET = 3840
/** Rates libopus decodes to; another declared rate is decoded at 48 kHz (time is measured in decoded samples). */
const OPUS_RATES = [8000, 12000, 16000, 24000, 48000]

type Kind = 'pcm' | 'opus' | 'flac'

export class StreamDecoder {
  /** Binary messages (Opus packets) or FLAC frames that could not be decoded. */
  malformed = 0
  private messages = 0
  private pcm?: PcmDecoder
  private opus?: OpusDecoder<undefined>
  private flac?: FlacStreamDecoder
  private skippedReported = 0
  private readonly kind: Kind
  /** Work in order; never rejects. */
  private tail: Promise<void>
  private pending = 0
  private pendingBytes = 0
  private dropped = 0
  private sync = false
  private unusable?: string
  private isEnded = false

  constructor(
    readonly encoding: string,
    readonly sampleRate: number,
    private readonly sink: StreamAudioSink,
    /** A previous decoder's end (a format change): this one starts after its audio. */
    after?: Promise<void>,
  ) {
    const e = encoding.toUpperCase()
    this.kind = e === 'OPUS' ? 'opus' : e === 'FLAC' ? 'flac' : 'pcm'
    if (this.kind === 'pcm') {
      this.pcm = new PcmDecoder({ sampleFormat: e === 'MULAW' ? 'mulaw' : 'int', bitsPerSample: e === 'MULAW' ? 8 : 16, channels: 1 })
      if (!after) {
        // Nothing to wait for: PCM is decoded as it arrives.
        this.sync = true
        this.tail = Promise.resolve()
        return
      }
    }
    this.pending++
    this.tail = (after ?? Promise.resolve())
      .then(() => this.load())
      .catch((error: unknown) => {
        this.unusable = `The ${this.kind === 'opus' ? 'Opus' : 'FLAC'} decoder could not be loaded (${error instanceof Error ? error.message : String(error)}): this audio is counted but not timed.`
        this.sink.problem(this.unusable)
      })
      .finally(() => this.settled())
  }

  /** One binary message of the stream. */
  push(bytes: Uint8Array): void {
    this.messages++
    if (this.isEnded) return
    if (this.sync) return this.decodeNow(bytes, this.messages)
    if (this.pendingBytes + bytes.length > MAX_PENDING_BYTES) {
      if (this.dropped++ === 0)
        this.sink.problem(
          `Audio is arriving faster than the ${this.encoding} decoder is ready: message ${this.messages} and later ones beyond ${MAX_PENDING_BYTES} waiting bytes are dropped.`,
        )
      return
    }
    const index = this.messages
    this.pending++
    this.pendingBytes += bytes.length
    this.tail = this.tail
      .then(() => (this.kind === 'flac' ? this.decodeFlac(bytes, index) : this.decodeNow(bytes, index)))
      .catch((e: unknown) => this.sink.problem(`Message ${index} could not be decoded: ${e instanceof Error ? e.message : String(e)}.`))
      .finally(() => {
        this.pendingBytes -= bytes.length
        this.settled()
      })
  }

  /** Resolves once every message pushed so far is decoded. */
  idle(): Promise<void> {
    return this.tail
  }

  /** Whether `end()` was called: a stopped or replaced decoder takes no more audio. */
  get ended(): boolean {
    return this.isEnded
  }

  /**
   * The end of this decoder's audio (stream stopped or format changed): FLAC is flushed, WASM freed.
   * Resolves once every message is decoded; undefined when nothing is left to wait for (PCM).
   */
  end(): Promise<void> | undefined {
    if (this.isEnded) return this.kind === 'pcm' && this.sync ? undefined : this.tail
    this.isEnded = true
    if (this.kind === 'pcm' && this.sync) return undefined
    this.sync = false
    this.tail = this.tail.then(async () => {
      try {
        if (this.flac && !this.unusable) {
          const out = await this.flac.flush()
          this.flacProblems(this.messages, new Uint8Array(0), out.errors)
          this.take(out)
        }
      } catch {
        // A truncated last frame: what was decoded before it stands.
      }
      this.opus?.free()
      this.flac?.free()
      this.opus = undefined
      this.flac = undefined
    })
    return this.tail
  }

  private settled(): void {
    if (--this.pending === 0 && this.kind !== 'flac' && !this.isEnded) this.sync = true
  }

  private async load(): Promise<void> {
    if (this.kind === 'opus') {
      const { OpusDecoder } = await import('opus-decoder')
      const rate = OPUS_RATES.includes(this.sampleRate) ? this.sampleRate : 48000
      // Mono output: libopus mixes a stereo packet down itself.
      this.opus = new OpusDecoder({ channels: 1, sampleRate: rate as 48000 }) as unknown as OpusDecoder<undefined>
      await this.opus.ready
    } else if (this.kind === 'flac') {
      this.flac = await createFlacDecoder()
      await this.flac.ready
    }
  }

  private decodeNow(bytes: Uint8Array, index: number): void {
    if (this.unusable) return
    if (this.pcm) {
      const samples = this.pcm.push(bytes)
      if (samples.length) this.sink.samples(samples, this.sampleRate)
      return
    }
    if (!this.opus) return
    const check = checkOpusPacket(bytes)
    if ('problem' in check) return this.malformedMessage(index, bytes, check.problem)
    if (bytes.length > MAX_OPUS_PACKET)
      return this.malformedMessage(index, bytes, `${bytes.length} bytes, over the ${MAX_OPUS_PACKET} a mono speech packet can need`)
    const out = this.opus.decodeFrame(bytes)
    if (out.errors.length) return this.malformedMessage(index, bytes, out.errors[0].message)
    this.take(out)
  }

  private async decodeFlac(bytes: Uint8Array, index: number): Promise<void> {
    if (this.unusable || !this.flac) return
    const out = await this.flac.decode(bytes)
    this.flacProblems(index, bytes, out.errors)
    this.take(out)
  }

  /** Frames libFLAC rejected, and bytes skipped as not FLAC (reported when the skipping starts). */
  private flacProblems(index: number, bytes: Uint8Array, errors: Array<{ message: string }>): void {
    for (const error of errors) this.malformedMessage(index, bytes, `a FLAC frame: ${error.message}`)
    const skipped = this.flac?.skipped ?? 0
    if (skipped > this.skippedReported) {
      this.malformedMessage(index, bytes, `${skipped - this.skippedReported} bytes that are not FLAC frames (skipped)`)
      this.skippedReported = skipped
    }
  }

  private take(out: Decoded): void {
    if (!out.samplesDecoded || !out.channelData.length) return
    this.sink.samples(mixToMono(out.channelData, out.samplesDecoded), out.sampleRate)
  }

  /**
   * Counted always; reported for the 1st, 2nd, 4th, 8th... so a broken sender cannot flood the
   * socket with error frames, yet the count keeps reaching the client.
   */
  private malformedMessage(index: number, bytes: Uint8Array, reason: string): void {
    this.malformed++
    if (this.malformed & (this.malformed - 1)) return
    const what =
      this.kind === 'opus' ? `Binary message ${index} is not a valid Opus packet` : `Binary message ${index} has undecodable FLAC data`
    const hint = this.kind === 'opus' ? containerHint(bytes) : ''
    this.sink.problem(`${what}: ${reason}.${hint} ${this.malformed} malformed so far; they are skipped and add no time to the stream.`)
  }
}

/** When a rejected "packet" is really a container (MediaRecorder output, a file), say so. */
function containerHint(bytes: Uint8Array): string {
  const tag = String.fromCharCode(...bytes.subarray(0, 4))
  const container =
    tag === 'OggS'
      ? 'an Ogg page'
      : bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3
        ? 'WebM (MediaRecorder output)'
        : tag === 'RIFF'
          ? 'a WAV file'
          : undefined
  return container
    ? ` It looks like ${container}: encoding OPUS takes raw Opus packets, one per binary message (as WebCodecs AudioEncoder or Symbl's web SDK produce them).`
    : ''
}
