// One uploaded file, consumed chunk by chunk: detects the format, parses WAV on the fly (and decodes
// MP3, FLAC, Ogg Vorbis and Ogg Opus, see decode.ts) into the speech segmenter, and keeps only a
// bounded head of the bytes (for magic numbers and headers).

import type { AudioInfo } from '../types.js'
import { CompressedDecoder, type DecodedFormat } from './decode.js'
import { diarize } from './diarize.js'
import { HEAD_BYTES, detectFormat, flacDuration, mp3FrameInfo, oggCodec, type MediaFormat } from './format.js'
import { SpeechSegmenter } from './segments.js'
import { VoiceFeatures } from './voice.js'
import { WavParser } from './wav.js'

const HEAD_KEEP = 64 * 1024

export class AudioIngest {
  bytes = 0
  format: MediaFormat | undefined
  private head = new Uint8Array(0)
  private wav?: WavParser
  private decoder?: CompressedDecoder
  private readonly segmenter = new SpeechSegmenter()
  /** Measured only when the upload asks for diarization (issue 16: speakers from audio). */
  private readonly voices?: VoiceFeatures

  /** `speakerCount`: `diarizationSpeakerCount` when `enableSpeakerDiarization` is set. */
  constructor(private readonly speakerCount?: number) {
    if (speakerCount !== undefined && speakerCount > 1) this.voices = new VoiceFeatures()
  }

  private samples(samples: Float32Array, sampleRate: number): void {
    this.segmenter.push(samples, sampleRate)
    this.voices?.push(samples, sampleRate)
  }

  /** Takes the next chunk; await it before the next one (decoding is asynchronous). */
  async push(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length
    let taken = 0
    if (this.head.length < HEAD_KEEP) {
      const take = chunk.subarray(0, HEAD_KEEP - this.head.length)
      const merged = new Uint8Array(this.head.length + take.length)
      merged.set(this.head)
      merged.set(take, this.head.length)
      this.head = merged
      taken = take.length
    }
    if (this.format === undefined) {
      if (this.head.length < HEAD_BYTES) return
      this.format = detectFormat(this.head)
      this.start()
      if (this.wav) {
        this.feedWav(this.head)
        if (taken < chunk.length) this.feedWav(chunk.subarray(taken))
      } else if (this.decoder) {
        await this.decoder.push(this.head)
        if (taken < chunk.length) await this.decoder.push(chunk.subarray(taken))
      }
      return
    }
    if (this.wav) this.feedWav(chunk)
    else if (this.decoder) await this.decoder.push(chunk)
  }

  /** After detection: the parser or decoder for the format, if any. */
  private start(): void {
    if (this.format === 'wav') this.wav = new WavParser()
    const codec = this.format === 'ogg' ? oggCodec(this.head) : undefined
    const kind: DecodedFormat | undefined =
      this.format === 'mp3' || this.format === 'flac'
        ? this.format
        : codec === 'vorbis'
          ? 'ogg-vorbis'
          : codec === 'opus'
            ? 'ogg-opus'
            : undefined
    if (kind) this.decoder = new CompressedDecoder(kind, (samples, rate) => this.samples(samples, rate))
  }

  private feedWav(chunk: Uint8Array): void {
    const samples = this.wav!.push(chunk)
    if (samples?.length && this.wav!.format) this.samples(samples, this.wav!.format.sampleRate)
  }

  /** The segments, and with diarization each one's speaker (one voice when only one is asked for). */
  private speech(): Pick<AudioInfo, 'speechSegments' | 'speakers'> {
    const speechSegments = this.segmenter.segments
    if (this.speakerCount === undefined) return { speechSegments }
    const speakers = this.voices ? diarize(speechSegments, this.voices.frames, this.speakerCount) : speechSegments.map(() => 0)
    return { speechSegments, speakers }
  }

  /** Call at the end of the body; returns the audio facts or an error message for a 400. */
  async finish(): Promise<{ info: AudioInfo } | { error: string }> {
    if (this.format === undefined) {
      if (this.bytes === 0) return { error: 'Request body is empty.' }
      this.format = detectFormat(this.head)
      this.start()
      if (this.wav) this.feedWav(this.head)
      else if (this.decoder) await this.decoder.push(this.head)
    }
    if (this.format === 'unknown') return { error: 'Unsupported or unrecognised media format.' }
    const base = { format: this.format, bytes: this.bytes, speechSegments: [] as AudioInfo['speechSegments'] }
    if (this.wav) {
      if (this.wav.error) return { error: `Invalid WAV file: ${this.wav.error}.` }
      if (!this.wav.format) return { error: 'Invalid WAV file: no fmt/data chunk.' }
      this.segmenter.finish()
      const f = this.wav.format
      return {
        info: {
          ...base,
          sampleRate: f.sampleRate,
          channels: f.channels,
          bitsPerSample: f.bitsPerSample,
          durationSeconds: this.wav.durationSeconds,
          durationMethod: 'exact',
          ...this.speech(),
        },
      }
    }
    if (this.decoder) {
      await this.decoder.finish()
      const d = this.decoder
      // A file the decoder rejects keeps the header-based facts below (and no segments).
      if (!d.error && d.durationSeconds !== undefined) {
        this.segmenter.finish()
        return {
          info: {
            ...base,
            sampleRate: d.sampleRate,
            durationSeconds: d.durationSeconds,
            durationMethod: 'exact',
            ...this.speech(),
          },
        }
      }
    }
    if (this.format === 'flac') {
      const flac = flacDuration(this.head)
      return {
        info: {
          ...base,
          sampleRate: flac?.sampleRate,
          durationSeconds: flac?.seconds,
          durationMethod: flac?.seconds ? 'exact' : 'unknown',
        },
      }
    }
    if (this.format === 'mp3') {
      const { audioStart, bitrate } = mp3FrameInfo(this.head)
      const seconds = bitrate ? ((this.bytes - audioStart) * 8) / bitrate : undefined
      return { info: { ...base, durationSeconds: seconds, durationMethod: seconds ? 'estimated' : 'unknown' } }
    }
    return { info: { ...base, durationMethod: 'unknown' } }
  }
}
