// Opus with the browser's own encoder (WebCodecs AudioEncoder): raw Opus packets (no Ogg), mono,
// 20 ms frames, as Symbl's own web SDK sends them (its OpusAudioStream: 48 kHz, 20 ms, rawOpus),
// with no WASM encoder shipped. Browser only; loaded on first use with the rest of the Opus path.

/** Frame duration of every packet, in ms (Symbl's web SDK: `encoderFrameSize: 20`). */
export const OPUS_FRAME_MS = 20

export interface OpusEncoderSettings {
  /** Input and encoder rate in Hz: the connection's `sampleRateHertz` (16000, 24000 or 48000). */
  sampleRate: number
  /** Target bit rate in bit/s (variable bit rate around it). */
  bitrate: number
}

function encoderConfig({ sampleRate, bitrate }: OpusEncoderSettings): AudioEncoderConfig {
  // `format: 'opus'` is raw packets ('ogg' would wrap them); DTX off, so a muted microphone still
  // sends a packet every 20 ms and the stream keeps its timing.
  return {
    codec: 'opus',
    sampleRate,
    numberOfChannels: 1,
    bitrate,
    opus: { format: 'opus', frameDuration: OPUS_FRAME_MS * 1000, usedtx: false },
  }
}

/**
 * Why this browser cannot encode Opus at `settings`, or undefined when it can: no WebCodecs
 * `AudioEncoder` (an insecure page, an old browser, Node), or `isConfigSupported` says no.
 */
export async function opusUnsupported(settings: OpusEncoderSettings): Promise<string | undefined> {
  const Encoder = (globalThis as { AudioEncoder?: typeof AudioEncoder }).AudioEncoder
  if (typeof Encoder !== 'function') {
    return globalThis.isSecureContext === false
      ? 'WebCodecs AudioEncoder needs a secure context (https:// or http://localhost)'
      : 'this browser has no WebCodecs AudioEncoder'
  }
  try {
    const { supported } = await Encoder.isConfigSupported(encoderConfig(settings))
    if (!supported) return `AudioEncoder cannot encode Opus at ${settings.sampleRate} Hz, mono, ${settings.bitrate} bit/s`
  } catch (error) {
    return `AudioEncoder.isConfigSupported failed: ${String((error as Error)?.message ?? error)}`
  }
  return undefined
}

/**
 * Encodes LINEAR16 chunks (Int16 mono at `sampleRate`, any length) into 20 ms Opus packets, each
 * handed to `onPacket` as a fresh ArrayBuffer, in order. `flush()` encodes what is left (the last partial
 * frame completed with silence) and resolves once every packet has been handed over.
 */
export class OpusEncoder {
  readonly #encoder: AudioEncoder
  readonly #rate: number
  /** Samples given so far: the next chunk's timestamp. */
  #samples = 0
  #failed: Error | undefined

  constructor(settings: OpusEncoderSettings, onPacket: (packet: ArrayBuffer) => void, onError: (error: Error) => void) {
    this.#rate = settings.sampleRate
    this.#encoder = new AudioEncoder({
      output: (chunk) => {
        const packet = new ArrayBuffer(chunk.byteLength)
        chunk.copyTo(packet)
        onPacket(packet)
      },
      error: (error) => {
        this.#failed = error
        onError(error)
      },
    })
    this.#encoder.configure(encoderConfig(settings))
  }

  /** Queues one LINEAR16 chunk (the microphone's byte order is little-endian, as every browser's host). */
  encode(pcm: ArrayBuffer): void {
    this.#encode(pcm)
  }

  #encode(pcm: ArrayBuffer): void {
    if (this.#failed || this.#encoder.state !== 'configured') return
    const frames = pcm.byteLength >> 1
    if (!frames) return
    const data = new AudioData({
      format: 's16',
      sampleRate: this.#rate,
      numberOfChannels: 1,
      numberOfFrames: frames,
      timestamp: Math.round((this.#samples * 1e6) / this.#rate),
      data: new Int16Array(pcm, 0, frames),
    })
    this.#samples += frames
    try {
      this.#encoder.encode(data)
    } finally {
      data.close()
    }
  }

  /**
   * Encodes the rest and waits for its packets; rejects with the encoder's error if it failed.
   * The last partial frame is completed with silence here, not left to the encoder: WebKit (2.50)
   * drops a partial frame at flush (up to 20 ms of the end of the speech lost), while Chromium and
   * Firefox pad it themselves. Padding here costs them at most one more frame of silence (their
   * 6.5 ms lookahead may no longer fit in the padded frame): silence after the end, nothing lost.
   */
  async flush(): Promise<void> {
    if (this.#failed) throw this.#failed
    const frame = (this.#rate * OPUS_FRAME_MS) / 1000
    const rest = this.#samples % frame
    if (rest) this.#encode(new ArrayBuffer((frame - rest) * 2))
    if (this.#encoder.state === 'configured') await this.#encoder.flush()
  }

  close(): void {
    if (this.#encoder.state !== 'closed') this.#encoder.close()
  }
}
