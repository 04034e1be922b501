// Public types of the audio tools: resampling, LINEAR16 conversion, WAV and raw PCM readers, and
// microphone capture (browsers). Implementation: the other modules of src/audio.
import type { CapturePhase, CaptureState, InterruptionReason, RecoveryReason, SilenceReason } from './capture-state.js'
import type { DomAudioContext, DomMediaStreamTrack, DomMediaTrackConstraints } from './dom-types.js'
import type { MicrophoneError } from './errors.js'

export type { CapturePhase, CaptureState, InterruptionReason, RecoveryReason, SilenceReason }

export type MicrophoneErrorReason = 'permission-denied' | 'no-device' | 'device-lost' | 'worklet-unavailable' | 'insecure-context'

export type AudioFormatErrorReason = 'not-wav' | 'compressed' | 'unsupported' | 'empty' | 'truncated' | 'invalid'

/** Interleaved sample encodings understood by decodeToMono. */
export type SampleFormat = 'u8' | 's16le' | 's24le' | 's32le' | 'f32le' | 'f64le'

export interface ResamplerOptions {
  /** Input rate in Hz, a whole number from 1000 to 384000. */
  inputRate: number
  /** Output rate in Hz, a whole number from 1000 to 384000. */
  outputRate: number
  /** Stopband attenuation in dB, 21 to 150 (the quality target is 80).
   * @default 90
   */
  attenuationDb?: number | undefined
  /** Passband edge, as a fraction of the lower Nyquist frequency, above 0 and at most 1.
   * @default 0.875
   */
  passband?: number | undefined
  /** Stopband edge, as a fraction of the lower Nyquist frequency, from passband + 0.05 to 2.
   * @default 1.125
   */
  stopband?: number | undefined
  /**
   * Largest number of exact phase tables, 1 to 4096. Rate pairs whose reduced ratio needs more
   * (odd pairs such as 44100 -> 47999) use 512 tables with linear interpolation between neighbours;
   * the phase is still tracked exactly, only the coefficients are interpolated.
   * @default 1024
   */
  maxPhases?: number | undefined
}

export interface Linear16Options {
  /** Output rate in Hz, 8000–48000 (what `speechRecognition.sampleRateHertz` defaults to).
   * @default 16000
   */
  targetSampleRate?: number | undefined
  /** Chunk duration in ms. Capped at 4096 samples = 8192 bytes, the API's largest audio frame.
   * @default 20
   */
  chunkMs?: number | undefined
}

/** Anything that yields byte chunks: Node Readable, web ReadableStream (Node 20+), arrays, generators. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>

export interface PcmStreamOptions extends Linear16Options {
  /** Sample encoding of the source: s16le, f32le or u8 (also s24le, s32le, f64le). */
  encoding: SampleFormat
  /** Source sample rate in Hz. */
  sampleRate: number
  /** Interleaved channels in the source; they are averaged to mono.
   * @default 1
   */
  channels?: number | undefined
}

export interface WavInfo {
  /** 'pcm' (integer) or 'float', after resolving WAVE_FORMAT_EXTENSIBLE. */
  encoding: 'pcm' | 'float'
  sampleFormat: SampleFormat
  sampleRate: number
  channels: number
  /** Significant bits per sample (the extensible header's validBits when present). */
  bitsPerSample: number
  /** Bytes of audio data, or undefined when the header leaves it open (streamed WAV). */
  dataBytes: number | undefined
  /** Frames and seconds implied by dataBytes. */
  frames: number | undefined
  durationSeconds: number | undefined
}

export interface WavStream {
  info: WavInfo
  /** Mono float samples at info.sampleRate, as they are read. Iterate once (or use linear16()). */
  samples: AsyncIterable<Float32Array>
  /** LINEAR16 chunks (Int16 LE mono) at the target rate, resampled as they are read. Iterate once. */
  linear16(options?: Linear16Options): AsyncIterable<Uint8Array>
  /** Stops reading and releases the source (for when the samples are not consumed to the end). */
  close(): Promise<void>
}

export interface MicrophoneOptions {
  /** A device from navigator.mediaDevices.enumerateDevices().
   * @default the system default input
   */
  deviceId?: string | undefined
  /**
   * Extra audio constraints, merged over the defaults. echoCancellation, noiseSuppression and
   * autoGainControl default to ON: for a person talking into a laptop they help recognition (less
   * echo of the far end, steadier level). Pass them as false for raw audio (music, measurements,
   * tests, or when the input is already processed).
   */
  constraints?: DomMediaTrackConstraints | undefined
  /** Chunk duration in ms, 20–100. Chunks never exceed 8192 bytes (the API's frame limit).
   * @default 20
   */
  chunkMs?: number | undefined
  /** Output rate in Hz, 8000–48000.
   * @default 16000
   */
  targetSampleRate?: number | undefined
  /**
   * Where your site serves the AudioWorklet module: a copy of the package's `symbl-sdk/worklet.js` (the text of
   * `processorSource()`), for sites whose Content-Security-Policy forbids `blob:` scripts. With Vite:
   * `import workletUrl from 'symbl-sdk/worklet.js?url'`.
   * @default undefined (the module is loaded from a blob: URL)
   */
  workletUrl?: string | undefined
  /** Receives each chunk: Int16 LE mono PCM at targetSampleRate (an ArrayBuffer you own). */
  onChunk(pcm: ArrayBuffer): void
  /** RMS level (0–1) of each chunk, for a meter. */
  onLevel?(rms: number): void
  /**
   * Called once when capture ends: with a MicrophoneError (reason 'device-lost') when the device
   * went away, or with no argument after stop().
   */
  onEnded?(error?: MicrophoneError): void
  /**
   * When the device goes away (unplugged, revoked) or the system's default input changes, reopen the
   * system's default input and go on: the stream continues, silence is sent for the gap (a
   * `recovered` event says how long), so the stream's time base stays true. Off: capture ends with a
   * `device-lost` MicrophoneError, as before.
   * @default false
   */
  followDefaultDevice?: boolean | undefined
  /** Seconds of exact digital silence (an OS privacy switch) before a `silence` event, from 1 to 3600.
   * @default 5
   */
  silenceSeconds?: number | undefined
  /** Receives every capture event (the same as `handle.on(type, …)`), from the first one on. */
  onEvent?(event: CaptureEvent): void
}

/** Every capture event has a `type` and a `message` that says what happened, for a log or a notice. */
export type CaptureEvent =
  | { type: 'state'; message: string; state: CaptureState; previous: CaptureState }
  | {
      type: 'devicelost'
      message: string
      device: { deviceId: string; label: string }
      /** Capture is moving to the default input (`followDefaultDevice`); else it ends. */
      recovering: boolean
    }
  | {
      type: 'recovered'
      message: string
      reason: RecoveryReason
      /** Audio missing between the last chunk before and the first after, in ms; that much silence was sent for it. */
      gapMs: number
      device: { deviceId: string; label: string }
      /** The capture rate (the context's) after the rebuild. */
      sampleRate: number
    }
  | { type: 'devicechange'; message: string; reason: 'device-gone' | 'default-changed' }
  | { type: 'interrupted'; message: string; reason: InterruptionReason }
  | {
      type: 'resumed'
      message: string
      /** How long capture was interrupted, in ms (nothing was captured meanwhile; no silence is sent for it). */
      gapMs: number
    }
  | { type: 'silence'; message: string; reason: SilenceReason }
  | { type: 'audible'; message: string }
  | { type: 'stalled'; message: string /** Time since the last chunk, in ms. */; sinceMs: number }
  | { type: 'ratechange'; message: string; from: number; to: number }

export type CaptureEventType = CaptureEvent['type']
/** The event of one type. */
export type CaptureEventOf<T extends CaptureEventType> = Extract<CaptureEvent, { type: T }>

export interface MicrophoneHandle {
  /** The device in use. */
  readonly device: { deviceId: string; label: string }
  /** The DOM's MediaStreamTrack (typed `never` in a project without lib dom). */
  readonly track: DomMediaStreamTrack
  /** The DOM's AudioContext (typed `never` in a project without lib dom). */
  readonly context: DomAudioContext
  /** Capture rate (the context's) and output rate. */
  readonly sampleRate: number
  readonly targetSampleRate: number
  /** Latest RMS level (0–1). */
  readonly level: number
  readonly muted: boolean
  /** False once stopped or ended. */
  readonly active: boolean
  /** Where capture is (capture-state.ts): starting, live, muted (by the system), interrupted, recovering, ended. */
  readonly state: CaptureState
  /** Listens to one kind of capture event (see CaptureEvent); returns what removes the listener. */
  on<T extends CaptureEventType>(type: T, listener: (event: CaptureEventOf<T>) => void): () => void
  /**
   * Resumes an interrupted capture (a context suspended by an autoplay policy or a Safari/iOS
   * interruption). Call it from a user gesture (a click handler); capture also resumes by itself on
   * the next click or key press on the page. Resolves once running again.
   */
  resume(): Promise<void>
  /**
   * Sends silence instead of the microphone, from this call on: no chunk delivered afterwards carries
   * sound, even one captured just before. Chunks keep flowing, so the stream timing holds.
   */
  mute(): void
  unmute(): void
  /** Flushes the last partial chunk, stops the tracks and closes the context. Idempotent. */
  stop(): Promise<void>
}
