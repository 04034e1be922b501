// Every duration option becomes a timer delay, and timers fire after 1 ms when given more than
// 2^31−1 ms. Each option must refuse such a value (and NaN, negatives, strings) with a
// ValidationError naming it, the value and the range; `timeout`/`waitTimeout` take Infinity as "none".
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../../src/errors.js'
import { Symbl } from '../../../src/node.js'
import { MAX_DELAY_MS } from '../../../src/utils/duration.js'
import { BASE, client, server, useServer } from '../api-support.js'

useServer()

const TOO_LONG = MAX_DELAY_MS + 1
const payload = { messages: [{ payload: { content: 'Hello there.' } }] }

/** Asserts a ValidationError naming `name` and the value, and giving the allowed maximum. */
async function refuses(run: () => unknown, name: string, value: unknown = TOO_LONG): Promise<void> {
  let error: unknown
  try {
    await run()
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(ValidationError)
  const message = (error as Error).message
  expect(message).toContain(`${name} must be`)
  expect(message).toContain(String(value))
  expect(message).toContain(String(MAX_DELAY_MS))
}

describe('duration options are bounded to what a timer can wait', () => {
  it('client timeout and retry delays', async () => {
    await refuses(() => new Symbl({ accessToken: 't', timeout: TOO_LONG }), 'timeout')
    await refuses(() => new Symbl({ accessToken: 't', timeout: Number.NaN }), 'timeout', NaN)
    for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs']) {
      await refuses(() => new Symbl({ accessToken: 't', retry: { [key]: TOO_LONG } }), `retry.${key}`)
      await refuses(() => new Symbl({ accessToken: 't', retry: { [key]: Infinity } }), `retry.${key}`, Infinity)
    }
  })

  it('timeout: Infinity and false mean no timeout, and requests still work', async () => {
    server.use(http.get(`${BASE}/v1/conversations/:id`, () => HttpResponse.json({ id: '1' })))
    for (const timeout of [Infinity, false] as const) {
      const c = client({ timeout })
      expect(c.http.config.timeout).toBe(false)
      await expect(c.conversations.getConversation('1')).resolves.toEqual({ id: '1' })
    }
    // The largest value a timer can take is still accepted.
    expect(client({ timeout: MAX_DELAY_MS }).http.config.timeout).toBe(MAX_DELAY_MS)
  })

  it('job polling and waiting', async () => {
    await refuses(() => client().text.process(payload, { waitTimeout: TOO_LONG }), 'waitTimeout')
    await refuses(
      () => client().text.process(payload, { pollInterval: { initialMs: TOO_LONG, maxMs: TOO_LONG } }),
      'pollInterval.initialMs',
    )
    await refuses(() => client().text.process(payload, { pollInterval: { maxMs: TOO_LONG } }), 'pollInterval.maxMs')
    await refuses(() => client().text.process(payload, { pollInterval: { initialMs: Number.NaN } }), 'pollInterval.initialMs', NaN)
  })

  it('streaming timeouts, keep-alive and reconnect backoff', async () => {
    const s = client()
    for (const name of ['startTimeoutMs', 'stopTimeoutMs', 'resendTailMs']) {
      await refuses(() => s.streaming.startConnection({ [name]: TOO_LONG }), name)
    }
    await refuses(() => s.streaming.startConnection({ keepAlive: { intervalMs: TOO_LONG } }), 'keepAlive.intervalMs')
    await refuses(() => s.streaming.startConnection({ keepAlive: { timeoutMs: TOO_LONG } }), 'keepAlive.timeoutMs')
    await refuses(() => s.streaming.startConnection({ reconnect: { initialDelayMs: TOO_LONG } }), 'reconnect.initialDelayMs')
    await refuses(() => s.streaming.startConnection({ reconnect: { maxDelayMs: TOO_LONG } }), 'reconnect.maxDelayMs')
  })

  it('telephony subscription sockets, before anything is dialed', async () => {
    for (const [name, options] of [
      ['openTimeoutMs', { openTimeoutMs: TOO_LONG }],
      ['stableMs', { stableMs: TOO_LONG }],
      ['keepAlive.intervalMs', { keepAlive: { intervalMs: TOO_LONG } }],
      ['reconnect.maxDelayMs', { reconnect: { maxDelayMs: TOO_LONG } }],
    ] as const) {
      const s = client()
      s.telephony.socketOptions = options
      // No route is set up: msw refuses any request, so a dial would fail with another error.
      await refuses(() => s.telephony.startPstn({ phoneNumber: '14082924837' }), name)
    }
  })
})
