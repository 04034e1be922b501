// One microphone capture graph: MediaStream -> MediaStreamAudioSourceNode -> AudioWorkletNode (the
// resampler, posting LINEAR16 chunks) in its own AudioContext. A capture builds one at the start and
// a new one to recover (capture-session.ts): on a new stream when the device changed, on the same
// track when the worklet stalled or the device's rate changed.
//
// The AudioContext runs at the microphone track's own rate (or the device default when the browser
// does not report one), never at the target rate: Firefox up to 140 refuses to connect a microphone
// to a context of another rate, and Chromium would add its own, worse, resampling.
import { MicrophoneError } from './errors.js'
import { addProcessorModule, createProcessorNode } from './worklet-source.js'

export interface CaptureGraph {
  stream: MediaStream
  track: MediaStreamTrack
  context: AudioContext
  source: MediaStreamAudioSourceNode
  node: AudioWorkletNode
  /** The track's rate when the graph was built (a change means the device switched rate). */
  builtRate: number | undefined
}

export interface GraphOptions {
  targetSampleRate: number
  chunkSamples: number
  workletUrl?: string | undefined
  /** A graph rebuilt mid-stream fades its input in over this many ms (no step after the old graph's faded tail). */
  fadeInMs?: number | undefined
}

/**
 * Builds a graph on `stream`. On failure the context is closed (the stream is the caller's) and a
 * MicrophoneError says what failed, with the browser's error as its cause.
 */
export async function buildGraph(stream: MediaStream, options: GraphOptions): Promise<CaptureGraph> {
  const track = stream.getAudioTracks()[0]
  let context: AudioContext | undefined
  try {
    if (!track) throw new MicrophoneError('no-device', 'The microphone stream has no audio track')
    const builtRate = track.getSettings().sampleRate
    context = createContext(builtRate)
    // Autoplay policies may start a context suspended until a user gesture; do not wait for it (the
    // capture reports it as interrupted and resumes on the next gesture).
    if (context.state === 'suspended') context.resume().catch(() => {})
    try {
      await addProcessorModule(context, options.workletUrl)
    } catch (err) {
      throw new MicrophoneError(
        'worklet-unavailable',
        `The audio processor could not be loaded${options.workletUrl ? ` from ${options.workletUrl}` : " from a blob: URL (a Content-Security-Policy may forbid it: serve the package's symbl-sdk/worklet.js file and pass its URL as workletUrl)"}: ${String(err)}`,
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
      node = createProcessorNode(context, {
        targetSampleRate: options.targetSampleRate,
        chunkSamples: options.chunkSamples,
        fadeInSamples: Math.round((context.sampleRate * (options.fadeInMs ?? 0)) / 1000),
      })
    } catch (err) {
      // Chromium resolves addModule() even when the module throws; the node then does not exist.
      throw new MicrophoneError('worklet-unavailable', `The audio processor did not register: ${String(err)}`, err)
    }
    source.connect(node)
    node.connect(context.destination) // outputs silence; keeps the node pulled in every browser
    return { stream, track, context, source, node, builtRate }
  } catch (err) {
    await context?.close().catch(() => {})
    if (err instanceof MicrophoneError) throw err
    throw new MicrophoneError('worklet-unavailable', `The browser could not start audio processing for the microphone: ${String(err)}`, err)
  }
}

/** The most a teardown waits for the disconnected graph to render silence before closing its context. */
const QUIET_MAX_MS = 100
/** Render quanta (128 frames each) the context renders after the disconnect before it is closed. */
const QUIET_QUANTA = 3

/**
 * Lets go of a graph: its nodes, its context, and (when the stream is not reused) its tracks.
 *
 * The order matters in WebKit (WebKitGTK 2.50, and Safari shares the WebCore side): closing a context
 * whose worklet still feeds the destination could crash WebKit's web process: the render quantum in flight
 * on the AudioWorklet thread when close() stops the destination calls back into the destination it
 * just stopped when the destination's input was audible (a worklet's output always counts as audible,
 * even all zeros), and dereferences null there (`AudioDestinationGStreamer::notifyIsPlaying`, reached
 * from `webKitWebAudioSrcRenderAndPushFrames` after `callRenderCallback`). So the graph is first cut off
 * from the destination and closed only after a few render quanta of silence; the tracks are stopped at
 * once (capture is released synchronously), and the port is closed last, never while it may render.
 */
export async function closeGraph(graph: CaptureGraph, stopTracks: boolean): Promise<void> {
  const { context, node, source } = graph
  node.port.onmessage = null
  node.onprocessorerror = null
  context.onstatechange = null
  source.disconnect()
  node.disconnect()
  if (stopTracks) graph.stream.getTracks().forEach((t) => t.stop())
  if (context.state !== 'closed') {
    await renderedQuanta(context, QUIET_QUANTA)
    await context.close().catch(() => {})
  }
  node.port.close()
}

/** Waits until a running context has rendered `quanta` more render quanta (a suspended one renders none: no wait). */
async function renderedQuanta(context: AudioContext, quanta: number): Promise<void> {
  const start = context.currentTime
  const span = (quanta * 128) / context.sampleRate
  const deadline = performance.now() + QUIET_MAX_MS
  while (context.state === 'running' && context.currentTime - start < span && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function createContext(rate: number | undefined): AudioContext {
  if (rate) {
    try {
      return new AudioContext({ sampleRate: rate })
    } catch {
      // A rate the browser's context does not support: fall back to the device default.
    }
  }
  return new AudioContext()
}
