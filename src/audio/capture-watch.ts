// What a microphone capture notices and what it does about it (issue 15): the decisions, apart from
// the browser objects so unit tests can drive them with fakes. microphone.ts feeds it what happens
// (chunks, the track's mute/unmute/ended, the context's state, device lists, a watchdog tick) and
// carries out what it asks (rebuild the graph, send silence for a gap, end). It holds the capture's
// one state value (capture-state.ts) and says every change as a typed event with a clear message.
import { type CaptureState, nextCapture, type RecoveryReason } from './capture-state.js'
import { MicrophoneError } from './errors.js'
import type { CaptureEvent } from './types.js'

/** What the watch asks of the capture. */
export interface WatchHost {
  now(): number
  emit(event: CaptureEvent): void
  /**
   * Rebuilds the capture graph: on the system's default input for `device-lost`/`default-changed`,
   * on the same track (a new context at its current rate) for `stalled`/`rate-changed`. Rejects with
   * a MicrophoneError when it cannot.
   */
  rebuild(reason: RecoveryReason): Promise<void>
  /** Sends `ms` of silence now, ahead of the next chunk (the gap of a recovery). */
  fill(ms: number): void
  /** Ends capture (stops it), with the error that says why. */
  end(error: MicrophoneError): void
  /** The device in use, for the events. */
  device(): { deviceId: string; label: string }
  /** The context's rate after a rebuild. */
  sampleRate(): number
}

export interface WatchOptions {
  followDefaultDevice: boolean
  /** Exact digital silence that counts as the system muting the input, in ms. */
  silenceMs: number
  /** Duration of one chunk, in ms. */
  chunkMs: number
  /** No chunk for this long while running is a stall. */
  stallMs: number
}

/** A device as enumerateDevices() lists it (the fields used). */
export interface DeviceInfo {
  deviceId: string
  groupId: string
  kind: string
}

const RECOVERY_TEXT: Record<RecoveryReason, string> = {
  'device-lost': 'the device was lost; capture moved to the default input',
  'default-changed': "the system's default input changed; capture moved to it",
  stalled: 'the audio processor stalled; the capture graph was rebuilt',
  'rate-changed': "the device's sample rate changed; the capture graph was rebuilt at the new rate",
}

export class CaptureWatch {
  #state: CaptureState = { phase: 'starting' }
  #lastChunkAt: number | undefined
  /** Exact digital silence heard in a row, in ms. */
  #zeroMs = 0
  #trackMuted = false
  /** The recovery under way: the gap is measured from the last chunk forwarded before its first new chunk. */
  #recovery: RecoveryReason | undefined
  #interruptedAt: number | undefined
  /** The default input's group when last seen (undefined before the first list). */
  #defaultGroup: string | undefined

  constructor(
    readonly host: WatchHost,
    readonly options: WatchOptions,
  ) {}

  get state(): CaptureState {
    return this.#state
  }

  #move(to: CaptureState, message: string): void {
    const previous = this.#state
    this.#state = nextCapture(previous, to)
    this.host.emit({ type: 'state', message, state: to, previous })
  }

  /** Where capture goes once sound flows again: muted if the track still says so. */
  #flowing(message: string): void {
    if (this.#trackMuted) {
      this.#move({ phase: 'muted', reason: 'track-muted' }, message)
      this.host.emit({
        type: 'silence',
        message: 'The system muted the microphone track (no sound reaches the page)',
        reason: 'track-muted',
      })
    } else this.#move({ phase: 'live' }, message)
  }

  /**
   * A chunk arrived from the worklet (before it is forwarded: the gap's silence must go first).
   * `zero`: every sample is exactly 0. `appMuted`: the app muted capture, so silence is expected.
   */
  chunk(zero: boolean, appMuted: boolean): void {
    const phase = this.#state.phase
    if (phase === 'ended') return
    const t = this.host.now()
    if (this.#recovery) {
      // The first chunk covers the chunkMs before its arrival: the rest since the last one is the gap.
      const gapMs = Math.max(0, Math.round(t - this.options.chunkMs - (this.#lastChunkAt ?? t)))
      if (gapMs > 0) this.host.fill(gapMs)
      const reason = this.#recovery
      this.#recovery = undefined
      this.host.emit({
        type: 'recovered',
        message: `Capture recovered: ${RECOVERY_TEXT[reason]} (${gapMs} ms of silence sent for the gap)`,
        reason,
        gapMs,
        device: this.host.device(),
        sampleRate: this.host.sampleRate(),
      })
    }
    this.#lastChunkAt = t
    if (phase === 'starting' || phase === 'recovering') this.#flowing('Audio is flowing')
    if (appMuted || this.#trackMuted) {
      this.#zeroMs = 0
      return
    }
    if (!zero) {
      this.#zeroMs = 0
      const s = this.#state
      if (s.phase === 'muted' && s.reason === 'digital-silence') {
        this.#move({ phase: 'live' }, 'Sound again after digital silence')
        this.host.emit({ type: 'audible', message: 'The microphone delivers sound again' })
      }
      return
    }
    this.#zeroMs += this.options.chunkMs
    if (this.#zeroMs >= this.options.silenceMs && this.#state.phase === 'live') {
      const seconds = Math.round(this.#zeroMs / 100) / 10
      this.#move({ phase: 'muted', reason: 'digital-silence' }, `${seconds} s of exact digital silence`)
      this.host.emit({
        type: 'silence',
        message: `The microphone has delivered exact digital silence for ${seconds} s: an OS privacy switch or a hardware mute is likely on`,
        reason: 'digital-silence',
      })
    }
  }

  /**
   * A chunk of the graph being replaced arrived during a recovery (its last audio, or its flushed
   * partial chunk): it is forwarded, so the gap starts after it; it says nothing of the new graph.
   */
  heard(): void {
    if (this.#state.phase !== 'ended') this.#lastChunkAt = this.host.now()
  }

  /** The track's `mute` (true) or `unmute` (false): the system took the input away or gave it back. */
  trackMute(muted: boolean): void {
    if (this.#trackMuted === muted) return
    this.#trackMuted = muted
    const s = this.#state
    if (muted && (s.phase === 'live' || (s.phase === 'muted' && s.reason === 'digital-silence'))) {
      this.#move({ phase: 'muted', reason: 'track-muted' }, 'The track reported mute')
      this.host.emit({
        type: 'silence',
        message: 'The system muted the microphone track (no sound reaches the page)',
        reason: 'track-muted',
      })
    } else if (!muted && s.phase === 'muted' && s.reason === 'track-muted') {
      this.#zeroMs = 0
      this.#move({ phase: 'live' }, 'The track reported unmute')
      this.host.emit({ type: 'audible', message: 'The system gave the microphone back' })
    }
  }

  /** The track ended: the device was unplugged or its permission revoked. */
  trackEnded(): void {
    const s = this.#state
    if (s.phase === 'ended') return
    const device = this.host.device()
    const follow = this.options.followDefaultDevice
    this.host.emit({
      type: 'devicelost',
      message: `The microphone "${device.label}" stopped delivering audio (unplugged or revoked)${follow ? '; moving to the default input' : ''}`,
      device,
      recovering: follow,
    })
    if (!follow) {
      this.host.end(new MicrophoneError('device-lost', `The microphone "${device.label}" stopped delivering audio (unplugged or revoked)`))
      return
    }
    this.#recover('device-lost')
  }

  /** The AudioContext's state changed (its `statechange`). */
  contextState(state: string): void {
    const s = this.#state
    if (s.phase === 'ended') return
    if (state === 'suspended' || state === 'interrupted') {
      if (s.phase === 'interrupted' && s.reason === state) return
      this.#interruptedAt ??= this.host.now()
      this.#move(
        { phase: 'interrupted', reason: state },
        state === 'interrupted' ? 'The system interrupted audio' : 'The audio context was suspended',
      )
      this.host.emit({
        type: 'interrupted',
        message:
          state === 'interrupted'
            ? 'The system interrupted audio capture (a call, another app, the device locking): it resumes on the next click or tap, or handle.resume()'
            : 'Audio capture is suspended (the browser waits for a user gesture, or the page was in the background): it resumes on the next click or tap, or handle.resume()',
        reason: state,
      })
    } else if (state === 'running' && s.phase === 'interrupted') {
      const gapMs = Math.round(this.host.now() - (this.#interruptedAt ?? this.host.now()))
      this.#interruptedAt = undefined
      // A stall is measured from here, not from the last chunk before the interruption.
      this.#lastChunkAt = this.host.now()
      if (this.#recovery) this.#move({ phase: 'recovering', reason: this.#recovery }, 'Resumed; the rebuilt graph starts')
      else this.#flowing('Resumed')
      this.host.emit({ type: 'resumed', message: `Audio capture resumed after ${gapMs} ms`, gapMs })
    }
  }

  /**
   * The device list after a `devicechange`. `current`: the device in use; `explicit`: the app chose
   * it (a deviceId), so a new default does not move capture.
   */
  devices(list: DeviceInfo[], current: { deviceId: string; groupId: string }, explicit: boolean): void {
    if (this.#state.phase === 'ended') return
    const inputs = list.filter((d) => d.kind === 'audioinput')
    // Chromium lists the default as 'default' (its groupId is the real device's); others list it first.
    const def = inputs.find((d) => d.deviceId === 'default') ?? inputs[0]
    const previousDefault = this.#defaultGroup
    this.#defaultGroup = def?.groupId
    if (current.deviceId && inputs.length && !inputs.some((d) => d.deviceId === current.deviceId)) {
      // The track's `ended` usually follows, and carries the recovery.
      this.host.emit({ type: 'devicechange', message: 'The microphone in use is no longer listed', reason: 'device-gone' })
      return
    }
    if (previousDefault === undefined || def === undefined || def.groupId === previousDefault) return
    const moving = this.options.followDefaultDevice && !explicit && def.groupId !== current.groupId && this.#canRecover()
    this.host.emit({
      type: 'devicechange',
      message: `The system's default input changed${moving ? '; capture moves to it' : explicit ? '; capture stays on the chosen device' : ''}`,
      reason: 'default-changed',
    })
    if (moving) this.#recover('default-changed')
  }

  /**
   * The watchdog (a few times a second while capturing): a stall (no chunk for stallMs while the
   * context runs) or a new device rate (`trackRate` now vs `builtRate` when the graph was built).
   */
  tick(contextRunning: boolean, trackRate: number | undefined, builtRate: number | undefined): void {
    const s = this.#state
    if (!(s.phase === 'live' || s.phase === 'muted') || !contextRunning) return
    if (trackRate && builtRate && trackRate !== builtRate) {
      this.host.emit({
        type: 'ratechange',
        message: `The device's sample rate changed from ${builtRate} to ${trackRate} Hz (a headset switching profile): rebuilding at the new rate; the stream keeps its own rate`,
        from: builtRate,
        to: trackRate,
      })
      return this.#recover('rate-changed')
    }
    const since = this.host.now() - (this.#lastChunkAt ?? this.host.now())
    if (this.#lastChunkAt !== undefined && since >= this.options.stallMs) {
      this.host.emit({
        type: 'stalled',
        message: `No audio for ${Math.round(since)} ms while capturing (a background tab or a stuck audio thread): rebuilding the capture graph`,
        sinceMs: Math.round(since),
      })
      this.#recover('stalled')
    }
  }

  /** Capture ended (stop() or an unrecoverable failure). */
  ended(error?: MicrophoneError): void {
    if (this.#state.phase === 'ended') return
    this.#move({ phase: 'ended', error }, error ? error.message : 'Capture stopped')
  }

  #canRecover(): boolean {
    const p = this.#state.phase
    return p === 'live' || p === 'muted' || p === 'interrupted' || p === 'starting'
  }

  #recover(reason: RecoveryReason): void {
    const s = this.#state
    if (s.phase === 'ended') return
    this.#lastChunkAt ??= this.host.now()
    this.#recovery = reason
    if (!(s.phase === 'recovering' && s.reason === reason)) {
      this.#move({ phase: 'recovering', reason }, RECOVERY_TEXT[reason].replace(/;.*/, ''))
    }
    this.host.rebuild(reason).catch((error: unknown) => {
      this.host.end(
        error instanceof MicrophoneError
          ? error
          : new MicrophoneError(
              'device-lost',
              `Capture could not recover (${reason}): ${String((error as Error)?.message ?? error)}`,
              error,
            ),
      )
    })
  }
}
