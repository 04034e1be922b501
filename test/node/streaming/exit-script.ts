// A tiny app run in its own process by exit.test.ts: it uses the SDK against the test's server and
// must exit by itself (no timer or socket left behind), with code 0. Scenario in SCENARIO, server in
// SYMBL_URL. It prints `event:...` lines the test reads.
import { Symbl } from '../../../src/node.js'

const say = (line: string) => console.log(`event:${line}`)
process.on('unhandledRejection', (e) => {
  say(`unhandled-rejection:${(e as Error)?.message}`)
  process.exit(4)
})
let thrown = 0
const scenario = process.env.SCENARIO
if (scenario === 'throwing-listener') {
  // The app's listener throws; Node reports it as an uncaught exception, which this app tolerates.
  process.on('uncaughtException', (e) => {
    thrown++
    say(`uncaught:${e.message}`)
  })
}
const baseUrl = process.env.SYMBL_URL!
const symbl = new Symbl({ baseUrl, accessToken: 'token-1', retry: { baseDelayMs: 1 } })

switch (scenario) {
  case 'stop': {
    const c = await symbl.streaming.startConnection()
    await c.sendAudio(new Uint8Array(32_000))
    await c.stop()
    say('stopped')
    break
  }
  case 'close-in-backoff': {
    // A long backoff: close() must not leave its timer running.
    const c = await symbl.streaming.startConnection({ reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } })
    c.on('reconnecting', () => setTimeout(() => c.close(), 10))
    say('started')
    break
  }
  case 'close-in-reconnecting-listener': {
    const c = await symbl.streaming.startConnection({ reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } })
    c.on('reconnecting', () => c.close())
    say('started')
    break
  }
  case 'half-open': {
    // The server stops reading: the keep-alive gives up and, with reconnect off, the connection ends.
    const c = await symbl.streaming.startConnection({ reconnect: false, keepAlive: { intervalMs: 50, timeoutMs: 100 } })
    c.on('error', (e) => say(`error:${e.name}`))
    c.on('close', () => say('closed'))
    say('started')
    break
  }
  case 'abort-start': {
    const controller = new AbortController()
    const pending = symbl.streaming.startConnection({ signal: controller.signal })
    setTimeout(() => controller.abort(new Error('gave up')), 200)
    await pending.catch((e: Error) => say(`rejected:${e.message}`))
    break
  }
  case 'throwing-listener': {
    const c = await symbl.streaming.startConnection({ reconnect: { initialDelayMs: 5, maxDelayMs: 5 }, keepAlive: false })
    c.on('reconnecting', () => {
      throw new Error('app bug in reconnecting')
    })
    const reconnected = new Promise<void>((resolve) => c.on('reconnected', () => resolve()))
    say('started')
    await reconnected
    say('reconnected')
    await c.stop()
    say(`stopped:${thrown}`)
    break
  }
  case 'telephony-stop-while-opening': {
    // The subscribe socket is still being opened (its token is on its way) when the call is stopped.
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let calls = 0
    const slow = new Symbl({
      baseUrl,
      tokenProvider: async () => (calls++ ? (await gate, 'token-1') : 'token-1'),
      retry: { baseDelayMs: 1 },
    })
    const call = await slow.telephony.startPstn({ phoneNumber: '14082924837' })
    slow.tokens.invalidate('token-1') // the next token takes until release()
    call.on('transcript_response', () => {})
    const stopped = call.stop()
    release()
    await stopped
    await new Promise((r) => setTimeout(r, 100))
    say('stopped')
    break
  }
  default:
    throw new Error(`unknown scenario ${scenario}`)
}
