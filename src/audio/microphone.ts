// Browser microphone capture: getUserMedia -> MediaStreamAudioSourceNode -> AudioWorkletNode that
// resamples to the target rate and posts LINEAR16 chunks. Browser only (no Node built-ins). This file
// checks the options and opens the device; capture-graph.ts builds the audio graph, and
// capture-session.ts runs it and keeps it alive (device changes, interruptions, stalls: issue 15).

import { ValidationError } from '../errors.js'
import { invalid, isObject, optionalObject } from '../http/check.js'
import { MicrophoneError } from './errors.js'
import { chunkSamplesFor, validateTargetRate } from './chunking.js'
import { buildGraph, type CaptureGraph } from './capture-graph.js'
import { startSession } from './capture-session.js'
import type { MicrophoneHandle, MicrophoneOptions } from './types.js'

export type { MicrophoneHandle, MicrophoneOptions }

export async function captureMicrophone(options: MicrophoneOptions): Promise<MicrophoneHandle> {
  const { targetSampleRate, chunkMs } = checkOptions(options)
  const chunkSamples = chunkSamplesFor(chunkMs, targetSampleRate) // at most 4096 samples = 8192 bytes

  checkSupport() // before getUserMedia, so an unusable browser does not ask for permission first
  const stream = await openStream(options)
  const graph = { targetSampleRate, chunkSamples, chunkMs, workletUrl: options.workletUrl }
  let first: CaptureGraph
  try {
    first = await buildGraph(stream, graph)
  } catch (err) {
    stream.getTracks().forEach((t) => t.stop())
    throw err
  }
  // Recovery to the default input (followDefaultDevice): the same constraints, without the deviceId.
  return startSession({ options, graph, first, reopen: () => openStream({ ...options, deviceId: undefined }) })
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
  for (const key of ['onLevel', 'onEnded', 'onEvent'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') invalid(key, 'a function', options[key])
  }
  if (options.followDefaultDevice !== undefined && typeof options.followDefaultDevice !== 'boolean')
    invalid('followDefaultDevice', 'true or false', options.followDefaultDevice)
  const { silenceSeconds } = options
  if (silenceSeconds !== undefined && !(typeof silenceSeconds === 'number' && silenceSeconds >= 1 && silenceSeconds <= 3600))
    invalid('silenceSeconds', 'a number of seconds from 1 to 3600', silenceSeconds)
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
