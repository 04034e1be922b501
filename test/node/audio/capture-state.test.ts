// The capture state machine (src/audio/capture-state.ts) and the decisions of capture-watch.ts,
// with the browser objects faked: what a real browser cannot be made to do on demand (a default
// device that changes, a device rate that switches, a Safari interruption) is driven here.
import { describe, expect, it } from 'vitest'
import { CAPTURE_TRANSITIONS, type CaptureState, CaptureStateError, captureBadge, nextCapture } from '../../../src/audio/capture-state.js'
import { CaptureWatch, type WatchHost } from '../../../src/audio/capture-watch.js'
import { MicrophoneError } from '../../../src/audio/errors.js'
import type { CaptureEvent } from '../../../src/audio/types.js'

const states: Record<string, CaptureState> = {
  starting: { phase: 'starting' },
  live: { phase: 'live' },
  'muted (track)': { phase: 'muted', reason: 'track-muted' },
  'muted (zeros)': { phase: 'muted', reason: 'digital-silence' },
  'interrupted (suspended)': { phase: 'interrupted', reason: 'suspended' },
  'interrupted (system)': { phase: 'interrupted', reason: 'interrupted' },
  'recovering (lost)': { phase: 'recovering', reason: 'device-lost' },
  'recovering (stalled)': { phase: 'recovering', reason: 'stalled' },
  ended: { phase: 'ended' },
}
const muted = ['muted (track)', 'muted (zeros)']
const interrupted = ['interrupted (suspended)', 'interrupted (system)']
const recovering = ['recovering (lost)', 'recovering (stalled)']
// Every allowed move, by hand (not derived from the table).
const allowed: Record<string, string[]> = {
  starting: ['live', ...interrupted, ...recovering, 'ended'],
  live: [...muted, ...interrupted, ...recovering, 'ended'],
  'muted (track)': ['live', 'muted (zeros)', ...interrupted, ...recovering, 'ended'],
  'muted (zeros)': ['live', 'muted (track)', ...interrupted, ...recovering, 'ended'],
  'interrupted (suspended)': ['live', ...muted, 'interrupted (system)', ...recovering, 'ended'],
  'interrupted (system)': ['live', ...muted, 'interrupted (suspended)', ...recovering, 'ended'],
  'recovering (lost)': ['live', 'recovering (stalled)', ...interrupted, 'ended'],
  'recovering (stalled)': ['live', 'recovering (lost)', ...interrupted, 'ended'],
  ended: [],
}

describe('capture state table', () => {
  for (const [from, fromState] of Object.entries(states)) {
    it(`from ${from}: exactly the listed moves`, () => {
      for (const [to, toState] of Object.entries(states)) {
        if (allowed[from].includes(to)) expect(nextCapture(fromState, toState)).toBe(toState)
        else expect(() => nextCapture(fromState, toState), `${from} -> ${to}`).toThrow(CaptureStateError)
      }
    })
  }
  it('every phase has a row, and the badge names the four states an app shows', () => {
    expect(Object.keys(CAPTURE_TRANSITIONS).sort()).toEqual(['ended', 'interrupted', 'live', 'muted', 'recovering', 'starting'])
    expect(captureBadge({ phase: 'muted', reason: 'track-muted' })).toBe('muted by the system')
    expect(captureBadge({ phase: 'recovering', reason: 'stalled' })).toBe('recovering')
  })
})

/** A fake capture: a clock, recorded events, rebuilds that resolve or fail on demand, silence filled. */
function fake(options: Partial<{ followDefaultDevice: boolean; silenceMs: number }> = {}) {
  let t = 0
  const events: CaptureEvent[] = []
  const rebuilds: string[] = []
  const fills: number[] = []
  const ends: MicrophoneError[] = []
  let failRebuild: Error | undefined
  const host: WatchHost = {
    now: () => t,
    emit: (e) => events.push(e),
    rebuild: (reason) => {
      rebuilds.push(reason)
      return failRebuild ? Promise.reject(failRebuild) : Promise.resolve()
    },
    fill: (ms) => fills.push(ms),
    end: (error) => {
      ends.push(error)
      watch.ended(error)
    },
    device: () => ({ deviceId: 'dev-1', label: 'USB headset' }),
    sampleRate: () => 48000,
  }
  const watch = new CaptureWatch(host, {
    followDefaultDevice: options.followDefaultDevice ?? false,
    silenceMs: options.silenceMs ?? 5000,
    chunkMs: 20,
    stallMs: 1000,
  })
  const types = () => events.filter((e) => e.type !== 'state').map((e) => e.type)
  /** `n` chunks of 20 ms, each arriving 20 ms after the previous. */
  const chunks = (n: number, zero = false, appMuted = false) => {
    for (let i = 0; i < n; i++) {
      t += 20
      watch.chunk(zero, appMuted)
    }
  }
  return {
    watch,
    events,
    rebuilds,
    fills,
    ends,
    types,
    chunks,
    advance: (ms: number) => (t += ms),
    failNextRebuild: (e: Error) => (failRebuild = e),
  }
}

describe('capture watch', () => {
  it('starting -> live on the first chunk; every change is a state event with a message', () => {
    const f = fake()
    f.chunks(1)
    expect(f.watch.state).toEqual({ phase: 'live' })
    expect(f.events[0]).toMatchObject({ type: 'state', previous: { phase: 'starting' }, state: { phase: 'live' } })
    expect(f.events[0].message).toMatch(/flowing/)
  })

  it('N seconds of exact digital silence: `silence` once, `audible` when sound returns', () => {
    const f = fake({ silenceMs: 1000 })
    f.chunks(10)
    f.chunks(49, true)
    expect(f.types()).toEqual([])
    f.chunks(1, true)
    expect(f.types()).toEqual(['silence'])
    expect(f.watch.state).toEqual({ phase: 'muted', reason: 'digital-silence' })
    f.chunks(200, true) // still silent: said once only
    expect(f.types()).toEqual(['silence'])
    f.chunks(1)
    expect(f.types()).toEqual(['silence', 'audible'])
    expect(f.watch.state.phase).toBe('live')
  })

  it('silence while the app muted capture is expected: no event', () => {
    const f = fake({ silenceMs: 1000 })
    f.chunks(1)
    f.chunks(200, true, true)
    expect(f.types()).toEqual([])
  })

  it('the track reports mute / unmute: silence (track-muted) / audible', () => {
    const f = fake()
    f.chunks(1)
    f.watch.trackMute(true)
    expect(f.watch.state).toEqual({ phase: 'muted', reason: 'track-muted' })
    f.chunks(500, true) // zeros while the track is muted are that same silence
    f.watch.trackMute(false)
    expect(f.types()).toEqual(['silence', 'audible'])
    const silence = f.events.find((e) => e.type === 'silence')
    expect(silence).toMatchObject({ reason: 'track-muted' })
  })

  it('device lost without followDefaultDevice: devicelost, then capture ends with a device-lost error', () => {
    const f = fake()
    f.chunks(5)
    f.watch.trackEnded()
    expect(f.types()).toEqual(['devicelost'])
    expect(f.events.find((e) => e.type === 'devicelost')).toMatchObject({ recovering: false, device: { label: 'USB headset' } })
    expect(f.ends[0]).toBeInstanceOf(MicrophoneError)
    expect(f.ends[0].reason).toBe('device-lost')
    expect(f.watch.state.phase).toBe('ended')
    expect(f.rebuilds).toEqual([])
  })

  it('device lost with followDefaultDevice: recovering, rebuilt on the default, the gap filled with silence and reported', async () => {
    const f = fake({ followDefaultDevice: true })
    f.chunks(5) // last chunk at t=100
    f.watch.trackEnded()
    expect(f.watch.state).toEqual({ phase: 'recovering', reason: 'device-lost' })
    expect(f.rebuilds).toEqual(['device-lost'])
    await Promise.resolve()
    f.advance(700) // the new device's first chunk arrives at t=820: it covers 800..820, the gap is 100..800
    f.chunks(1)
    expect(f.fills).toEqual([700])
    const recovered = f.events.find((e) => e.type === 'recovered')
    expect(recovered).toMatchObject({ reason: 'device-lost', gapMs: 700, sampleRate: 48000 })
    expect(recovered?.message).toMatch(/700 ms of silence/)
    expect(f.watch.state.phase).toBe('live')
    expect(f.types()).toEqual(['devicelost', 'recovered'])
  })

  it('a recovery that fails ends capture with the MicrophoneError', async () => {
    const f = fake({ followDefaultDevice: true })
    f.chunks(1)
    f.failNextRebuild(new MicrophoneError('no-device', 'No microphone was found'))
    f.watch.trackEnded()
    await new Promise((r) => setTimeout(r, 0))
    expect(f.ends.map((e) => e.message)).toEqual(['No microphone was found'])
    expect(f.watch.state.phase).toBe('ended')
  })

  it('a stalled worklet (no chunk for 1 s while running): stalled, the graph rebuilt, the gap filled', () => {
    const f = fake()
    f.chunks(3)
    f.advance(900)
    f.watch.tick(true, 48000, 48000)
    expect(f.types()).toEqual([])
    f.advance(100)
    f.watch.tick(true, 48000, 48000)
    expect(f.types()).toEqual(['stalled'])
    expect(f.rebuilds).toEqual(['stalled'])
    f.watch.tick(true, 48000, 48000) // recovering: no second stall
    expect(f.rebuilds).toEqual(['stalled'])
    f.advance(200)
    f.chunks(1)
    expect(f.fills).toEqual([1200])
    expect(f.types()).toEqual(['stalled', 'recovered'])
  })

  it('no stall while the context is not running (interrupted is its own state)', () => {
    const f = fake()
    f.chunks(1)
    f.advance(5000)
    f.watch.tick(false, 48000, 48000)
    expect(f.types()).toEqual([])
  })

  it("the device's rate changes: ratechange, rebuilt (the stream keeps its rate)", () => {
    const f = fake()
    f.chunks(1)
    f.watch.tick(true, 16000, 48000)
    expect(f.events.find((e) => e.type === 'ratechange')).toMatchObject({ from: 48000, to: 16000 })
    expect(f.rebuilds).toEqual(['rate-changed'])
    expect(f.watch.state).toEqual({ phase: 'recovering', reason: 'rate-changed' })
  })

  it('context suspended or interrupted (Safari): interrupted, then resumed with the gap; a stall is not counted across it', () => {
    const f = fake()
    f.chunks(1)
    f.watch.contextState('interrupted')
    expect(f.watch.state).toEqual({ phase: 'interrupted', reason: 'interrupted' })
    f.watch.contextState('suspended')
    f.advance(3000)
    f.watch.contextState('running')
    expect(f.types()).toEqual(['interrupted', 'interrupted', 'resumed'])
    expect(f.events.find((e) => e.type === 'resumed')).toMatchObject({ gapMs: 3000 })
    f.watch.tick(true, undefined, undefined)
    expect(f.types()).not.toContain('stalled')
  })

  it('a context that starts suspended (autoplay) is interrupted from the start', () => {
    const f = fake()
    f.watch.contextState('suspended')
    expect(f.watch.state).toEqual({ phase: 'interrupted', reason: 'suspended' })
    f.watch.contextState('running')
    expect(f.watch.state.phase).toBe('live')
  })

  it('devicechange: the default moves -> default-changed and capture follows it (followDefaultDevice, no deviceId)', () => {
    const f = fake({ followDefaultDevice: true })
    f.chunks(1)
    const current = { deviceId: 'a', groupId: 'ga' }
    const list = (def: string) => [
      { deviceId: 'default', groupId: def, kind: 'audioinput' },
      { deviceId: 'a', groupId: 'ga', kind: 'audioinput' },
      { deviceId: 'b', groupId: 'gb', kind: 'audioinput' },
    ]
    f.watch.devices(list('ga'), current, false) // first list: learns the default
    expect(f.types()).toEqual([])
    f.watch.devices(list('gb'), current, false)
    expect(f.events.find((e) => e.type === 'devicechange')).toMatchObject({ reason: 'default-changed' })
    expect(f.rebuilds).toEqual(['default-changed'])
  })

  it('devicechange with a chosen device: default-changed is said, capture stays; the chosen device gone: device-gone', () => {
    const f = fake({ followDefaultDevice: true })
    f.chunks(1)
    const current = { deviceId: 'a', groupId: 'ga' }
    f.watch.devices([{ deviceId: 'a', groupId: 'ga', kind: 'audioinput' }], current, true)
    f.watch.devices(
      [
        { deviceId: 'b', groupId: 'gb', kind: 'audioinput' },
        { deviceId: 'a', groupId: 'ga', kind: 'audioinput' },
      ],
      current,
      true,
    )
    expect(f.events.filter((e) => e.type === 'devicechange').map((e) => e.message)).toEqual([
      "The system's default input changed; capture stays on the chosen device",
    ])
    expect(f.rebuilds).toEqual([])
    f.watch.devices([{ deviceId: 'b', groupId: 'gb', kind: 'audioinput' }], current, true)
    expect(f.events.filter((e) => e.type === 'devicechange').at(-1)).toMatchObject({ reason: 'device-gone' })
  })

  it('ended is final: later signals change nothing', () => {
    const f = fake()
    f.chunks(1)
    f.watch.ended()
    const n = f.events.length
    f.watch.trackEnded()
    f.watch.trackMute(true)
    f.watch.contextState('suspended')
    f.chunks(300, true)
    f.watch.tick(true, 1, 2)
    expect(f.events.length).toBe(n)
  })
})
