// A running microphone capture: the handle the app holds. It forwards the worklet's chunks, and keeps
// capture alive across what browsers and devices do to it (issue 15): the decisions are
// capture-watch.ts's, this file wires the browser's events to it and carries them out (rebuilding
// the graph, sending silence for a gap, resuming on a gesture). Browser only.
import { type CaptureGraph, closeGraph, buildGraph, type GraphOptions } from './capture-graph.js'
import type { RecoveryReason } from './capture-state.js'
import { CaptureWatch } from './capture-watch.js'
import { MicrophoneError } from './errors.js'
import type { CaptureEvent, CaptureEventOf, CaptureEventType, MicrophoneHandle, MicrophoneOptions } from './types.js'
import type { ControlMessage, ProcessorMessage } from './worklet-processor.js'

/** No chunk for this long while the context runs: the worklet stalled (issue 15). */
const STALL_MS = 1000
/** How often the watchdog looks (stalls, a new device rate). */
const WATCHDOG_MS = 250
/** The longest wait for the worklet's last partial chunk (a stalled context never answers). */
const FLUSH_MS = 250
/** How long a new context may take to start running before it counts as interrupted (autoplay). */
const CONTEXT_SETTLE_MS = 500
/** A rebuild fades the old graph's input out and the new one's in over this long: no click at the junction. */
const FADE_MS = 5
/** User gestures that may resume a suspended or interrupted context (autoplay policies). */
const GESTURES = ['pointerdown', 'keydown', 'touchend'] as const

export interface SessionSetup {
  options: MicrophoneOptions
  graph: GraphOptions & { chunkMs: number }
  first: CaptureGraph
  /** Opens the system's default input (a recovery to the default device). */
  reopen(): Promise<MediaStream>
}

export function startSession({ options, graph: graphOptions, first, reopen }: SessionSetup): MicrophoneHandle {
  let g = first
  let level = 0
  let muted = false
  let active = true
  /** While a graph flushes its last chunk for a rebuild: those chunks are forwarded, not watched. */
  let flushing = false
  /** While the graph is being replaced (a recovery): its chunks are not the new graph's first. */
  let retiring = false
  let stopping: Promise<void> | undefined
  let onStopped: (() => void) | undefined
  const listeners = new Map<CaptureEventType, Set<(event: CaptureEvent) => void>>()
  const untrack: Array<() => void> = []
  const { targetSampleRate, chunkSamples } = graphOptions

  const emit = (event: CaptureEvent): void => {
    // A listener's exception must not break capture (it runs in the audio message handler).
    const call = (fn: (e: CaptureEvent) => void) => {
      try {
        fn(event)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    }
    if (options.onEvent) call(options.onEvent)
    for (const fn of listeners.get(event.type) ?? []) call(fn)
    if (event.type === 'interrupted') armGestures()
    else if (event.type === 'resumed') disarmGestures()
  }

  const watch = new CaptureWatch(
    {
      now: () => performance.now(),
      emit,
      rebuild,
      fill,
      end: (error) => void end(error),
      device: () => ({ deviceId: g.track.getSettings().deviceId ?? '', label: g.track.label }),
      sampleRate: () => g.context.sampleRate,
    },
    {
      followDefaultDevice: options.followDefaultDevice === true,
      silenceMs: (options.silenceSeconds ?? 5) * 1000,
      chunkMs: graphOptions.chunkMs,
      stallMs: STALL_MS,
    },
  )

  /** Silence for a gap, in chunk-sized pieces, so the stream's time base stays true. */
  function fill(ms: number): void {
    for (let left = Math.round((ms * targetSampleRate) / 1000); left > 0; left -= chunkSamples) {
      options.onChunk(new ArrayBuffer(Math.min(left, chunkSamples) * 2))
    }
  }

  function attach(graph: CaptureGraph): void {
    const send = (m: ControlMessage) => graph.node.port.postMessage(m)
    if (muted) send({ type: 'mute', muted: true })
    graph.node.port.onmessage = (event: MessageEvent<ProcessorMessage>) => {
      const m = event.data
      if (m.type === 'chunk') {
        if (!active) return
        const samples = new Int16Array(m.pcm)
        // mute() takes effect at once: a chunk the worklet captured before it heard of the mute (in
        // flight on the port, or partly filled) is silenced here, so nothing after the call has sound.
        if (muted) samples.fill(0)
        // Chunks of a graph being replaced (or flushing) are forwarded, but only move the gap's start.
        if (!flushing && graph === g && !retiring) watch.chunk(isZero(samples), muted)
        else watch.heard()
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
    graph.node.onprocessorerror = (event: Event) => {
      const detail = (event as ErrorEvent).message
      void end(new MicrophoneError('worklet-unavailable', `The audio processor stopped with an error${detail ? `: ${detail}` : ''}`))
    }
    // A new context starts 'suspended' and runs a moment later (Firefox, every time): that is no
    // interruption. Only one still not running after CONTEXT_SETTLE_MS (an autoplay policy) is.
    let settling = graph.context.state !== 'running'
    graph.context.onstatechange = () => {
      const state = graph.context.state
      if (graph === g && active && !(settling && state === 'suspended')) watch.contextState(state)
    }
    if (settling) {
      const settled = () => {
        settling = false
        if (graph === g && active && graph.context.state !== 'running') watch.contextState(graph.context.state)
      }
      const timer = new Promise((resolve) => setTimeout(resolve, CONTEXT_SETTLE_MS))
      void Promise.race([graph.context.resume().catch(() => {}), timer]).then(settled)
    }
    const track = graph.track
    untrack.push(
      onTrack(track, 'ended', () => graph === g && watch.trackEnded()),
      onTrack(track, 'mute', () => graph === g && watch.trackMute(true)),
      onTrack(track, 'unmute', () => graph === g && watch.trackMute(false)),
    )
    if (track.muted) watch.trackMute(true)
  }

  /**
   * Asks the worklet for its last partial chunk (and its resampler's tail), after fading its input
   * out over `fadeMs` (a rebuild); gives up after FLUSH_MS.
   */
  function flush(graph: CaptureGraph, fadeMs = 0): Promise<void> {
    return new Promise<void>((resolve) => {
      onStopped = resolve
      const fadeSamples = Math.round((graph.context.sampleRate * fadeMs) / 1000)
      graph.node.port.postMessage({ type: 'stop', fadeSamples } satisfies ControlMessage)
      setTimeout(resolve, FLUSH_MS)
    })
  }

  async function rebuild(reason: RecoveryReason): Promise<void> {
    const old = g
    retiring = true
    try {
      await replace(old, reason)
    } finally {
      retiring = false
    }
  }

  async function replace(old: CaptureGraph, reason: RecoveryReason): Promise<void> {
    flushing = true
    try {
      if (old.context.state === 'running') await flush(old, FADE_MS)
    } finally {
      flushing = false
    }
    for (const off of untrack.splice(0)) off()
    const newDevice = reason === 'device-lost' || reason === 'default-changed'
    await closeGraph(old, newDevice)
    if (!active) return
    const stream = newDevice ? await reopen() : old.stream
    let next: CaptureGraph
    try {
      next = await buildGraph(stream, { ...graphOptions, fadeInMs: FADE_MS })
    } catch (error) {
      if (newDevice) stream.getTracks().forEach((t) => t.stop())
      throw error
    }
    if (!active) return void closeGraph(next, true)
    g = next
    attach(next)
  }

  let gestureArmed = false
  const onGesture = (): void => {
    g.context.resume().catch(() => {})
  }
  function armGestures(): void {
    if (gestureArmed || typeof addEventListener !== 'function') return
    gestureArmed = true
    for (const type of GESTURES) addEventListener(type, onGesture, { capture: true, passive: true })
  }
  function disarmGestures(): void {
    if (!gestureArmed) return
    gestureArmed = false
    for (const type of GESTURES) removeEventListener(type, onGesture, { capture: true })
  }

  const devices = navigator.mediaDevices
  const onDeviceChange = (): void => {
    devices
      .enumerateDevices()
      .then((list) => {
        const s = g.track.getSettings()
        watch.devices(list, { deviceId: s.deviceId ?? '', groupId: s.groupId ?? '' }, Boolean(options.deviceId))
      })
      .catch(() => {})
  }
  devices.addEventListener?.('devicechange', onDeviceChange)
  onDeviceChange() // learns the current default, so the first change is noticed

  const watchdog = setInterval(() => {
    if (active && !flushing) watch.tick(g.context.state === 'running', g.track.getSettings().sampleRate, g.builtRate)
  }, WATCHDOG_MS)

  // Ends capture once, whatever comes first: stop(), the device going away, a processor error.
  function end(error?: MicrophoneError, flushFirst = false): Promise<void> {
    if (stopping) return stopping
    stopping = (async () => {
      clearInterval(watchdog)
      devices.removeEventListener?.('devicechange', onDeviceChange)
      disarmGestures()
      if (flushFirst && g.context.state !== 'closed') {
        flushing = true
        await flush(g)
      }
      active = false
      for (const off of untrack.splice(0)) off()
      await closeGraph(g, true)
      watch.ended(error)
      options.onEnded?.(error)
    })()
    return stopping
  }

  attach(first)

  return {
    get device() {
      return { deviceId: g.track.getSettings().deviceId ?? '', label: g.track.label }
    },
    get track() {
      return g.track
    },
    get context() {
      return g.context
    },
    get sampleRate() {
      return g.context.sampleRate
    },
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
    get state() {
      return watch.state
    },
    on<T extends CaptureEventType>(type: T, listener: (event: CaptureEventOf<T>) => void): () => void {
      let set = listeners.get(type)
      if (!set) listeners.set(type, (set = new Set()))
      const fn = listener as (event: CaptureEvent) => void
      set.add(fn)
      return () => void set.delete(fn)
    },
    async resume() {
      if (!active || g.context.state === 'running') return
      await g.context.resume()
    },
    mute: () => setMuted(true),
    unmute: () => setMuted(false),
    stop() {
      return end(undefined, true)
    },
  }

  function setMuted(on: boolean): void {
    muted = on
    g.node.port.postMessage({ type: 'mute', muted: on } satisfies ControlMessage)
  }
}

function isZero(samples: Int16Array): boolean {
  for (let i = 0; i < samples.length; i++) if (samples[i] !== 0) return false
  return true
}

/**
 * Listens to a track event both ways, once per event: Firefox 153 delivers track events to the
 * `on…` handler but, in our tests, not to addEventListener listeners. The app's own handler is kept
 * and still called. Returns what removes the listener.
 */
function onTrack(track: MediaStreamTrack, type: 'ended' | 'mute' | 'unmute', fn: () => void): () => void {
  const prop = `on${type}` as 'onended' | 'onmute' | 'onunmute'
  const seen = new WeakSet<Event>()
  const once = (ev: Event) => {
    if (seen.has(ev)) return
    seen.add(ev)
    fn()
  }
  const appHandler = track[prop]
  const handler = function (this: MediaStreamTrack, ev: Event) {
    appHandler?.call(this, ev)
    once(ev)
  }
  track[prop] = handler
  track.addEventListener(type, once)
  return () => {
    track.removeEventListener(type, once)
    if (track[prop] === handler) track[prop] = appHandler
  }
}
