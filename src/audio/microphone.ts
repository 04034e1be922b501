// Browser microphone capture: getUserMedia -> MediaStreamAudioSourceNode -> AudioWorkletNode that
// resamples to the target rate and posts LINEAR16 chunks. Browser only (no Node built-ins).
//
// The AudioContext runs at the microphone track's own rate (or the device default when the browser
// does not report one), never at the target rate: Firefox up to 140 refuses to connect a microphone
// to a context of another rate, and Chromium would add its own, worse, resampling.

import { ValidationError } from '../errors.js'
import { invalid, isObject, optionalObject } from '../http/check.js'
import { MicrophoneError } from './errors.js'
import { chunkSamplesFor, validateTargetRate } from './chunking.js'
import { addProcessorModule, createProcessorNode } from './worklet-source.js'
import type { ControlMessage, ProcessorMessage } from './worklet-processor.js'
import type { MicrophoneHandle, MicrophoneOptions } from './types.js'

export type { MicrophoneHandle, MicrophoneOptions }

export async function captureMicrophone(options: MicrophoneOptions): Promise<MicrophoneHandle> {
  const { targetSampleRate, chunkMs } = checkOptions(options)
  const chunkSamples = chunkSamplesFor(chunkMs, targetSampleRate) // at most 4096 samples = 8192 bytes

  checkSupport() // before getUserMedia, so an unusable browser does not ask for permission first
  const stream = await openStream(options)
  const track = stream.getAudioTracks()[0]
  let context: AudioContext | undefined
  try {
    if (!track) throw new MicrophoneError('no-device', 'The microphone stream has no audio track')
    context = createContext(track)
    // Autoplay policies may start a context suspended until a user gesture; do not wait for it.
    if (context.state === 'suspended') context.resume().catch(() => {})
    try {
      await addProcessorModule(context, options.workletUrl)
    } catch (err) {
      throw new MicrophoneError(
        'worklet-unavailable',
        `The audio processor could not be loaded${options.workletUrl ? ` from ${options.workletUrl}` : ' from a blob: URL (a Content-Security-Policy may forbid it; host processorSource() and pass workletUrl)'}: ${String(err)}`,
        err,
      )
    }
    let source: MediaStreamAudioSourceNode
    try {
      source = context.createMediaStreamSource(stream)
    } catch (err) {
      // Old Firefox refuses a context whose rate differs from the track's: retry at the default rate.
      if (!(err instanceof DOMException && err.name === 'NotSupportedError')) throw err
      await context.close()
      context = new AudioContext()
      await addProcessorModule(context, options.workletUrl)
      source = context.createMediaStreamSource(stream)
    }
    let node: AudioWorkletNode
    try {
      node = createProcessorNode(context, { targetSampleRate, chunkSamples })
    } catch (err) {
      // Chromium resolves addModule() even when the module throws; the node then does not exist.
      throw new MicrophoneError('worklet-unavailable', `The audio processor did not register: ${String(err)}`, err)
    }
    source.connect(node)
    node.connect(context.destination) // outputs silence; keeps the node pulled in every browser
    return startSession({ options, stream, track, context, source, node, targetSampleRate })
  } catch (err) {
    stream.getTracks().forEach((t) => t.stop())
    await context?.close().catch(() => {})
    // Whatever failed (the AudioContext, the retry at the default rate, the source node), the caller
    // gets a MicrophoneError that says so, with the browser's error as its cause.
    if (err instanceof MicrophoneError) throw err
    throw new MicrophoneError('worklet-unavailable', `The browser could not start audio processing for the microphone: ${String(err)}`, err)
  }
}

/**
 * Checks every option before the browser is asked for anything: a mistake found only after the
 * permission prompt (a number as deviceId) came back as a misleading "microphone not found", and a
 * bad callback threw later inside the audio thread's message handler, where nobody could catch it.
 */
function checkOptions(options: MicrophoneOptions): { targetSampleRate: number; chunkMs: number } {
  if (!isObject(options)) invalid('captureMicrophone options', 'an object such as { onChunk: (pcm) => {...} }', options)
  const { deviceId, constraints, chunkMs = 20, workletUrl } = options
  if (deviceId === '') {
    // enumerateDevices() lists empty ids until the page has microphone permission.
    throw new ValidationError(
      'deviceId is empty: enumerateDevices() gives empty ids before microphone permission is granted. Leave deviceId out for the default microphone, or list the devices again once capture has started',
    )
  }
  if (deviceId !== undefined && typeof deviceId !== 'string')
    invalid('deviceId', 'a string from navigator.mediaDevices.enumerateDevices()', deviceId)
  optionalObject('constraints', '{ echoCancellation: false }', constraints)
  if (!(typeof chunkMs === 'number' && chunkMs >= 20 && chunkMs <= 100))
    invalid('chunkMs', 'a number of milliseconds from 20 to 100', chunkMs)
  if (workletUrl !== undefined && (typeof workletUrl !== 'string' || workletUrl.trim() === ''))
    invalid('workletUrl', 'the URL of a hosted copy of processorSource(), a non-empty string', workletUrl)
  if (typeof options.onChunk !== 'function') invalid('onChunk', 'a function that receives each chunk', options.onChunk)
  for (const key of ['onLevel', 'onEnded'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') invalid(key, 'a function', options[key])
  }
  // Not `?? 16000`: an explicit null is a mistake, not a request for the default.
  return { targetSampleRate: validateTargetRate(options.targetSampleRate === undefined ? 16000 : options.targetSampleRate), chunkMs }
}

function checkSupport(): void {
  if (globalThis.isSecureContext === false) {
    throw new MicrophoneError('insecure-context', 'Microphone capture needs a secure context (https:// or http://localhost)')
  }
  if (typeof AudioContext === 'undefined' || typeof AudioWorkletNode === 'undefined' || !('audioWorklet' in AudioContext.prototype)) {
    throw new MicrophoneError('worklet-unavailable', 'This browser has no AudioWorklet (it needs Chrome 66+, Firefox 76+ or Safari 14.1+)')
  }
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new MicrophoneError('no-device', 'This browser offers no microphone access (navigator.mediaDevices.getUserMedia is missing)')
  }
}

async function openStream(options: MicrophoneOptions): Promise<MediaStream> {
  const audio: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
    channelCount: { ideal: 1 },
    ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
    ...options.constraints,
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video: false })
  } catch (err) {
    throw toMicrophoneError(err, options.deviceId)
  }
}

function toMicrophoneError(err: unknown, deviceId?: string): MicrophoneError {
  // By name, not class: older Chromium rejects with an OverconstrainedError that is no Error at all.
  const name =
    typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string' ? (err as { name: string }).name : ''
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new MicrophoneError(
        'permission-denied',
        'Microphone permission was denied (by the user, a browser setting or a permissions policy)',
        err,
      )
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new MicrophoneError('no-device', deviceId ? `Microphone ${deviceId} was not found` : 'No microphone was found', err)
    case 'NotReadableError':
    case 'AbortError':
      return new MicrophoneError(
        'no-device',
        'The microphone could not be opened (in use by another application, or a hardware error)',
        err,
      )
    default:
      return new MicrophoneError('no-device', `The microphone could not be opened: ${String(err)}`, err)
  }
}

function createContext(track: MediaStreamTrack): AudioContext {
  const rate = track.getSettings().sampleRate
  if (rate) {
    try {
      return new AudioContext({ sampleRate: rate })
    } catch {
      // A rate the browser's context does not support: fall back to the device default.
    }
  }
  return new AudioContext()
}

interface Session {
  options: MicrophoneOptions
  stream: MediaStream
  track: MediaStreamTrack
  context: AudioContext
  source: MediaStreamAudioSourceNode
  node: AudioWorkletNode
  targetSampleRate: number
}

function startSession({ options, stream, track, context, source, node, targetSampleRate }: Session): MicrophoneHandle {
  let level = 0
  let muted = false
  let active = true
  let stopping: Promise<void> | undefined
  let onStopped: (() => void) | undefined
  const send = (m: ControlMessage) => node.port.postMessage(m)
  const setMuted = (on: boolean) => send({ type: 'mute', muted: (muted = on) })

  node.port.onmessage = (event: MessageEvent<ProcessorMessage>) => {
    const m = event.data
    if (m.type === 'chunk') {
      if (!active) return
      // mute() takes effect at once: a chunk the worklet captured before it heard of the mute (in
      // flight on the port, or partly filled) is silenced here, so nothing after the call has sound.
      if (muted) new Int16Array(m.pcm).fill(0)
      level = muted ? 0 : m.rms
      options.onLevel?.(level)
      options.onChunk(m.pcm)
    } else if (m.type === 'stopped') {
      onStopped?.()
    } else if (m.type === 'error') {
      void end(new MicrophoneError('worklet-unavailable', `The audio processor failed: ${m.message}`))
    }
  }
  // An exception thrown inside the processor kills it silently: no more chunks, no message. The node
  // reports it here only; without this the capture would hang "active" with the microphone still open.
  node.onprocessorerror = (event: Event) => {
    const detail = (event as ErrorEvent).message
    void end(new MicrophoneError('worklet-unavailable', `The audio processor stopped with an error${detail ? `: ${detail}` : ''}`))
  }

  async function release(): Promise<void> {
    track.removeEventListener('ended', onTrackEnded)
    if (track.onended === handler) track.onended = appHandler
    node.port.onmessage = null
    node.onprocessorerror = null
    node.port.close()
    source.disconnect()
    node.disconnect()
    stream.getTracks().forEach((t) => t.stop())
    if (context.state !== 'closed') await context.close().catch(() => {})
  }

  // Ends capture once, whatever comes first: stop(), the device going away, a processor error.
  function end(error?: MicrophoneError, flush = false): Promise<void> {
    if (stopping) return stopping
    stopping = (async () => {
      if (flush) {
        // Let the processor post its last partial chunk; do not wait long if the context is stalled.
        await new Promise<void>((resolve) => {
          onStopped = resolve
          send({ type: 'stop' })
          setTimeout(resolve, 250)
        })
      }
      active = false
      await release()
      options.onEnded?.(error)
    })()
    return stopping
  }

  function onTrackEnded(): void {
    void end(new MicrophoneError('device-lost', `The microphone "${track.label}" stopped delivering audio (unplugged or revoked)`))
  }
  // Both forms: Firefox 153 delivers track events to the `onended` handler but, in our tests, not
  // to addEventListener listeners. The app's own onended handler, if any, is kept and still called.
  const appHandler = track.onended
  const handler = function (this: MediaStreamTrack, ev: Event) {
    appHandler?.call(this, ev)
    onTrackEnded()
  }
  track.onended = handler
  track.addEventListener('ended', onTrackEnded)

  const settings = track.getSettings()
  return {
    device: { deviceId: settings.deviceId ?? '', label: track.label },
    track,
    context,
    sampleRate: context.sampleRate,
    targetSampleRate,
    get level() {
      return level
    },
    get muted() {
      return muted
    },
    get active() {
      return active
    },
    mute: () => setMuted(true),
    unmute: () => setMuted(false),
    stop() {
      return end(undefined, true)
    },
  }
}
