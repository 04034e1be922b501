// Time from `startConnection` to the first audio frame leaving (issue 15), against the local
// emulator over real sockets, with and without a 2.5 s handshake delay (faults.delayHandshakes).
// The microphone is a stand-in on the platform (a 20 ms chunk every 20 ms after a 30 ms
// "permission prompt"): Node has no microphone, and what is measured is the SDK's path, not a
// device's. `startConnection({ microphone })` opens it with the call; the figures say how soon
// audio leaves and how much of what was said before the start reached the server, against the
// old order (startConnection, then sendAudioFromMic), where everything said before the microphone
// opened is lost.
import type { MicrophoneHandle, MicrophoneOptions } from '../src/audio/types.js'
import { startEmulator } from '../src/emulator/index.js'
import { Symbl } from '../src/node.js'

const RUNS = 5
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** A microphone stand-in: 20 ms of 16 kHz LINEAR16 every 20 ms; `ms` is how much it captured. */
function microphone(calledAt: number) {
  const mic = { ms: 0, openedAfterMs: 0 }
  const capture = async (options: MicrophoneOptions): Promise<MicrophoneHandle> => {
    await sleep(30) // the permission prompt and the graph: not audio
    mic.openedAfterMs = performance.now() - calledAt
    const timer = setInterval(() => {
      mic.ms += 20
      options.onChunk(new ArrayBuffer(640))
    }, 20)
    let active = true
    return {
      get active() {
        return active
      },
      track: { stop() {} },
      async stop() {
        clearInterval(timer)
        active = false
        options.onEnded?.()
      },
    } as unknown as MicrophoneHandle
  }
  return { mic, capture }
}

async function run(baseUrl: string, arm: () => void, early: boolean) {
  const symbl = new Symbl({ baseUrl, appId: 'bench', appSecret: 'bench-secret' })
  const calledAt = performance.now()
  const { mic, capture } = microphone(calledAt)
  const client = symbl.streaming.client
  Object.defineProperty(client, 'platform', { value: { ...client.platform, captureMicrophone: capture } })
  arm()
  const connection = early
    ? await symbl.streaming.startConnection({ microphone: true })
    : await symbl.streaming.startConnection().then(async (c) => {
        await c.sendAudioFromMic()
        return c
      })
  await sleep(200)
  await connection.stop()
  const s = connection.stats()
  // Said before the microphone could hear it: from the call until capture began (the early path opens it at once).
  return {
    firstAudioMs: s.firstAudioSentMs ?? Number.NaN,
    startedMs: s.startedMs ?? Number.NaN,
    lostMs: mic.openedAfterMs,
    sentS: s.sentSeconds,
  }
}

const emulator = await startEmulator({ port: 0 })
try {
  await run(emulator.url, () => {}, true) // warm-up: token, module loading
  for (const delay of [0, 2500]) {
    for (const early of [true, false]) {
      const results = []
      for (let i = 0; i < RUNS; i++) {
        results.push(await run(emulator.url, () => delay && emulator.faults.delayHandshakes(delay), early))
      }
      const first = median(results.map((r) => r.firstAudioMs))
      const started = median(results.map((r) => r.startedMs))
      const lost = median(results.map((r) => r.lostMs))
      console.log(
        `${early ? 'startConnection({ microphone })' : 'startConnection, then sendAudioFromMic'}, handshake delay ${String(delay).padStart(4)} ms: ` +
          `first audio frame out ${first.toFixed(0)} ms after the call (session started at ${started.toFixed(0)} ms); ` +
          `speech lost before capture began: ${lost.toFixed(0)} ms (median of ${RUNS})`,
      )
    }
  }
} finally {
  await emulator.close()
}
