// Microphone → streaming connection. The SDK's planned call is `connection.sendAudioFromMic(options)`
// (getUserMedia → AudioWorklet → 16 kHz LINEAR16 → sendAudio, with mute and a level). Until the
// SDK build in use has it, this file falls back to a minimal capture of its own built only on the
// public `connection.sendAudio()`; delete the fallback once every SDK in use has sendAudioFromMic.
import type { StreamingConnection } from './sdk-types.js'

export interface MicOptions {
  deviceId?: string
  /** Called once if capture ends by itself (device unplugged, permission revoked). */
  onEnded?: (error?: unknown) => void
}

export interface MicHandle {
  /** Latest RMS level, 0–1. */
  readonly level: number
  readonly muted: boolean
  readonly device?: { deviceId: string; label: string }
  mute(): void
  unmute(): void
  stop(): Promise<void>
}

type WithMic = StreamingConnection & {
  sendAudioFromMic?: (options: { deviceId?: string; constraints?: MediaTrackConstraints; chunkMs?: number; onLevel?: (rms: number) => void; onEnded?: (error?: unknown) => void }) => MicHandle | Promise<MicHandle>
}

export async function startMicrophone(connection: StreamingConnection, options: MicOptions): Promise<MicHandle & { viaSdk: boolean }> {
  const withMic = connection as WithMic
  if (typeof withMic.sendAudioFromMic === 'function') {
    const handle = await withMic.sendAudioFromMic({ deviceId: options.deviceId || undefined, chunkMs: 100, onEnded: options.onEnded })
    return {
      viaSdk: true,
      get level() {
        return handle.level
      },
      get muted() {
        return handle.muted
      },
      device: handle.device,
      mute: () => handle.mute(),
      unmute: () => handle.unmute(),
      stop: () => handle.stop(),
    }
  }
  return fallbackCapture(connection, options)
}

// ---- Fallback (see the file comment) ----

const TAP = `registerProcessor('demo-tap', class extends AudioWorkletProcessor {
  process(inputs) { const ch = inputs[0] && inputs[0][0]; if (ch) this.port.postMessage(ch.slice(0)); return true }
})`

async function fallbackCapture(connection: StreamingConnection, options: MicOptions): Promise<MicHandle & { viaSdk: boolean }> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}), echoCancellation: true, noiseSuppression: true, channelCount: { ideal: 1 } },
  })
  const track = stream.getAudioTracks()[0]
  const context = new AudioContext()
  const url = URL.createObjectURL(new Blob([TAP], { type: 'text/javascript' }))
  try {
    await context.audioWorklet.addModule(url)
  } finally {
    URL.revokeObjectURL(url)
  }
  const source = context.createMediaStreamSource(stream)
  const node = new AudioWorkletNode(context, 'demo-tap')
  source.connect(node)
  node.connect(context.destination)
  const target = connection.format.sampleRateHertz
  const ratio = context.sampleRate / target
  let pending: number[] = []
  let position = 0 // fractional read position into the input, carried across blocks
  let previous = 0
  let level = 0
  let muted = false
  let active = true
  const chunk = Math.round(target / 10) // 100 ms

  node.port.onmessage = (event: MessageEvent<Float32Array>) => {
    if (!active) return
    const input = event.data
    // Linear interpolation is enough for the emulator; the SDK's capture uses a proper resampler.
    while (position < input.length) {
      const i = Math.floor(position)
      const a = i === 0 ? previous : input[i - 1]
      const frac = position - i
      pending.push(muted ? 0 : a + (input[i] - a) * frac)
      position += ratio
    }
    position -= input.length
    previous = input[input.length - 1]
    while (pending.length >= chunk) {
      const block = pending.slice(0, chunk)
      pending = pending.slice(chunk)
      const pcm = new Int16Array(block.length)
      let sum = 0
      block.forEach((v, j) => {
        sum += v * v
        pcm[j] = Math.max(-32768, Math.min(32767, Math.round(v * 32767)))
      })
      level = Math.sqrt(sum / block.length)
      connection.sendAudio(pcm).catch(() => {})
    }
  }
  track.addEventListener('ended', () => {
    if (active) options.onEnded?.(new Error('The microphone stopped (unplugged or permission revoked).'))
  })
  return {
    viaSdk: false,
    get level() {
      return level
    },
    get muted() {
      return muted
    },
    device: { deviceId: track.getSettings().deviceId ?? '', label: track.label },
    mute: () => void (muted = true),
    unmute: () => void (muted = false),
    async stop() {
      if (!active) return
      active = false
      source.disconnect()
      node.disconnect()
      stream.getTracks().forEach((t) => t.stop())
      await context.close().catch(() => {})
    },
  }
}
