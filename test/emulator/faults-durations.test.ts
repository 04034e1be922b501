// Fault durations past what a timer can wait (the probe after issue 11): Node fires a setTimeout of
// more than 2^31 - 1 ms after 1 ms, so delayHandshakes(3e9) held nothing and addLatency(Infinity),
// addLatency(NaN) or two latencies of 2^31 - 1 added none, silently. Out-of-range durations are now a
// RangeError naming the range, and a sum of latencies waits the longest a timer can.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmulatorCore } from '../../src/emulator/core/core.js'
import { MAX_DELAY_MS } from '../../src/emulator/core/faults.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'

let emu: RunningEmulator
beforeEach(async () => {
  emu = await startEmulator({ jobDelayMs: 0 })
})
afterEach(() => emu.close())

describe('fault durations', () => {
  it.each([
    ['delayHandshakes', (ms: unknown) => emu.faults.delayHandshakes(ms as number)],
    ['addLatency', (ms: unknown) => emu.faults.addLatency(ms as number)],
    ['addLatency({ ms })', (ms: unknown) => emu.faults.addLatency({ ms: ms as number })],
  ])('%s refuses durations a timer cannot wait, naming the range', (_name, arm) => {
    for (const ms of [MAX_DELAY_MS + 1, 3e9, Number.POSITIVE_INFINITY, Number.NaN, -1, '5'])
      expect(() => arm(ms), String(ms)).toThrow(
        new RangeError(
          `${_name.replace('({ ms })', '')}(ms): ms must be a finite number of milliseconds from 0 to ${MAX_DELAY_MS} (got ${String(ms)})`,
        ),
      )
    expect(() => arm(MAX_DELAY_MS)).not.toThrow()
  })

  it('two latencies adding past the limit still hold the request (it was answered at once)', async () => {
    emu.faults.addLatency(MAX_DELAY_MS).addLatency(MAX_DELAY_MS)
    const answer = await fetch(`${emu.url}/oauth2/token:generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'application', appId: 'a', appSecret: 'b' }),
      signal: AbortSignal.timeout(500),
    }).then(
      (r) => r.status,
      (e: Error) => e.name,
    )
    expect(answer).toBe('TimeoutError')
  })
})

// The same for the emulator's own duration options (issue 11, item 15): a jobDelayMs of NaN or '5'
// made every job complete at once, silently, and 3e9 or Infinity waited 24.8 days instead.
describe('emulator duration options', () => {
  it.each([
    ['jobDelayMs', [MAX_DELAY_MS + 1, 3e9, Number.POSITIVE_INFINITY, Number.NaN, -1, '5'], [0, MAX_DELAY_MS]],
    ['tokenLifetimeSeconds', [0, -1, Number.NaN, Number.POSITIVE_INFINITY, MAX_DELAY_MS + 1, '60'], [1, 0.5, MAX_DELAY_MS]],
  ])('%s out of range is a RangeError naming the option and the range', async (name, bad, good) => {
    for (const value of bad)
      expect(() => new EmulatorCore({ [name]: value }), String(value)).toThrow(
        new RegExp(`^${name} must be a number of .*${MAX_DELAY_MS} \\(got `),
      )
    for (const value of good) expect(() => new EmulatorCore({ [name]: value }), String(value)).not.toThrow()
    await expect(startEmulator({ [name]: bad[0] })).rejects.toThrow(RangeError)
  })
})
