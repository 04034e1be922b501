// Time helpers shared by analysis and streaming.

export const iso = (ms: number): string => new Date(ms).toISOString()

export const round = (value: number, decimals = 3): number => {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

/** Google-style `{seconds, nanos}` with string fields, as in recognition_result words. */
export const protoDuration = (seconds: number): { seconds: string; nanos: string } => {
  const whole = Math.floor(seconds)
  return { seconds: String(whole), nanos: String(Math.round((seconds - whole) * 1e9)) }
}

/** Why a `Timers.sleep` ended early: the timers were disposed (the emulator is closing). */
export class TimersDisposed extends Error {
  constructor() {
    super('The emulator is closing.')
  }
}

/**
 * Every timer of one core, so that `dispose()` (the emulator's close) cancels all of them at once:
 * job steps, injected latency, reconnect windows, stop timeouts and telephony playback. Background
 * timers are unref'd so an emulator the caller forgot to close does not keep Node alive for them.
 */
export class Timers {
  private readonly pending = new Map<ReturnType<typeof setTimeout>, (() => void) | undefined>()

  /** A cancellable setTimeout; `background`: unref'd (long windows: reconnects, stop timeouts, playback). */
  set(ms: number, fn: () => void, options: { background?: boolean } = {}): ReturnType<typeof setTimeout> {
    const handle = setTimeout(() => {
      this.pending.delete(handle)
      fn()
    }, ms)
    if (options.background) (handle as { unref?: () => void }).unref?.()
    this.pending.set(handle, undefined)
    return handle
  }

  clear(handle: ReturnType<typeof setTimeout> | undefined): void {
    if (handle === undefined) return
    clearTimeout(handle)
    this.pending.delete(handle)
  }

  /** Resolves after `ms`; rejects with `TimersDisposed` if `dispose()` comes first. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      // Several latencies add up: past the timer's 2^31 - 1 ms limit setTimeout would fire at once.
      const handle = this.set(Math.min(ms, 2 ** 31 - 1), resolve)
      this.pending.set(handle, () => reject(new TimersDisposed()))
    })
  }

  get size(): number {
    return this.pending.size
  }

  /** Cancels every pending timer; pending sleeps reject. The instance stays usable. */
  dispose(): void {
    const cancelled = [...this.pending]
    this.pending.clear()
    for (const [handle, onCancel] of cancelled) {
      clearTimeout(handle)
      onCancel?.()
    }
  }
}
