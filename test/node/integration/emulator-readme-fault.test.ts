// The emulator README's socket fault example must name the path this SDK streams on
// (`/v1/realtime/insights/{id}`, contract: "every SDK still uses the old one"): a reader copying it
// should see their SDK connection dropped and reconnected, not a fault that never fires.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { speechPcm, useEmulator } from './helpers.js'

const env = useEmulator()
const README = readFileSync(new URL('../../../src/emulator/README.md', import.meta.url), 'utf8')

describe('emulator README: the socket fault example', () => {
  it('drops an SDK streaming connection when armed exactly as the README shows', async () => {
    const line = README.split('\n').find((l) => l.includes('emu.faults.dropSocketAfterBytes('))
    const match = line?.match(/dropSocketAfterBytes\((\d+), \{ path: '([^']+)', times: (\d+) \}\)/)
    expect(match, 'the README has a dropSocketAfterBytes example with a path').toBeTruthy()
    const [, bytes, path, times] = match as RegExpMatchArray
    env.emu.faults.dropSocketAfterBytes(Number(bytes), { path: path as string, times: Number(times) })

    const connection = await env.symbl.streaming.startConnection({
      keepAlive: false,
      reconnect: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 },
    })
    const closes: number[] = []
    connection.on('reconnecting', (e) => closes.push(e.closeCode ?? 0))
    const pcm = speechPcm(1, [[0.1, 0.9]])
    for (let i = 0; i < pcm.length; i += 1600) {
      await connection.sendAudio(pcm.subarray(i, i + 1600))
      await new Promise((r) => setImmediate(r))
    }
    await connection.drain()
    await connection.stop()
    expect(closes).toEqual([1006])
  })
})
