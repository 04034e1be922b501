// Server text that quotes the token or the app secret (error frames, unusable frames, close
// reasons, the subscribe socket) reaches errors, events and logs only redacted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConnectionError, type SymblError } from '../../../src/errors.js'
import { Symbl } from '../../../src/node.js'
import { MalformedFrameError } from '../../../src/streaming/errors.js'
import { exposed, leakedPiece } from '../secret-check.js'
import { FakeServer } from './fake-server.js'
import { next, until } from './helpers.js'

// Opaque (not token-shaped on purpose: only `secrets` can hide it) and long enough for pieces.
const TOKEN = 'opaque.token.value.Q7'
const SECRET = 'app secret with spaces 42'

let server: FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(async () => {
  await server.close()
})

function symbl(lines: string[] = []): Symbl {
  const logger = {
    debug: (m: string) => lines.push(m),
    info: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
  }
  return new Symbl({ baseUrl: server.url, accessToken: TOKEN, appSecret: SECRET, retry: { baseDelayMs: 1 }, logger } as never)
}

function expectNoSecret(text: string): void {
  expect(leakedPiece(text, TOKEN)).toBeUndefined()
  expect(leakedPiece(text, SECRET)).toBeUndefined()
}

describe('streaming errors built from server text', () => {
  it('an error frame quoting the token and the secret: message, details and the log line are redacted', async () => {
    const lines: string[] = []
    const connection = await symbl(lines).streaming.startConnection()
    const errors: SymblError[] = []
    connection.on('error', (e) => errors.push(e))
    server.send(server.last, { type: 'error', message: `Token ${TOKEN} expired`, details: `appSecret "${SECRET}" refused` })
    server.send(server.last, {
      type: 'message',
      message: { type: 'error', message: `bad key ${TOKEN.slice(0, 12)}`, details: { authorization: `Bearer ${TOKEN}` } },
    })
    await until(() => errors.length === 2, 'two errors')
    expect(errors.every((e) => e instanceof ConnectionError)).toBe(true)
    expect(errors[0].message).toContain('Token [redacted] expired')
    expectNoSecret(exposed(errors) + lines.join('\n'))
    await connection.stop()
  })

  it('unusable frames quoting the token: MalformedFrameError.raw is redacted, also where the 200-character cut splits the token', async () => {
    const connection = await symbl().streaming.startConnection()
    const errors: SymblError[] = []
    connection.on('error', (e) => errors.push(e))
    server.send(server.last, `not json ${TOKEN}`)
    // The cut at 200 characters falls inside the token: a cut token no longer matches it whole.
    server.send(server.last, `${'x'.repeat(190)}${TOKEN}`)
    server.send(server.last, { type: 'message_response', note: SECRET })
    server.send(server.last, { type: 'message', message: 'no type', token: TOKEN })
    server.send(server.last, { type: `close${TOKEN}`.slice(0, 5), extra: TOKEN })
    await until(() => errors.length === 5, 'five errors')
    expect(errors.every((e) => e instanceof MalformedFrameError)).toBe(true)
    expect((errors[0] as MalformedFrameError).raw).toBe('not json [redacted]')
    expectNoSecret(exposed(errors))
    await connection.stop()
  })

  it('a start refused by an error frame or a close reason quoting the token rejects without it', async () => {
    server.behaviour.onText = (s, message) => {
      if (message.type !== 'start_request') return false
      s.ws.send(JSON.stringify({ type: 'error', message: `refused ${TOKEN}`, details: SECRET }))
      return true
    }
    const refused = await symbl()
      .streaming.startConnection()
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ConnectionError)
    expectNoSecret(exposed(refused))

    server.behaviour.onText = (s, message) => {
      if (message.type !== 'start_request') return false
      s.ws.close(4001, `no ${TOKEN}`)
      return true
    }
    const closed = await symbl()
      .streaming.startConnection()
      .catch((e: unknown) => e)
    expect(closed).toBeInstanceOf(ConnectionError)
    expect((closed as Error).message).toMatch(/code 4001: no \[redacted\]/)
    expectNoSecret(exposed(closed))
  })

  it('a connection lost with a close reason quoting the token: the reconnecting event, the final error and the log lines are redacted', async () => {
    const lines: string[] = []
    const connection = await symbl(lines).streaming.startConnection({ reconnect: { maxAttempts: 0 } } as never)
    const errors: SymblError[] = []
    connection.on('error', (e) => errors.push(e))
    const closed = next(connection, 'close')
    server.last.ws.close(4000, `bye ${TOKEN}`)
    const info = await closed
    expect(errors.length).toBeGreaterThan(0)
    expectNoSecret(exposed(errors) + exposed(info) + lines.join('\n'))
  })
})

describe('telephony subscription errors built from server text', () => {
  it('an error frame, an unusable frame and a close reason quoting the token reach the error events redacted', async () => {
    const client = symbl()
    client.telephony.socketOptions = { reconnect: { maxAttempts: 0 } } as never
    const connection = await client.telephony.startPstn({ phoneNumber: '14082924837' })
    const errors: SymblError[] = []
    connection.on('error', (e) => errors.push(e))
    await until(() => (server.subscribers.get(connection.connectionId)?.length ?? 0) === 1, 'the subscribe socket')
    const ws = server.subscribers.get(connection.connectionId)![0]
    await until(() => ws.readyState === ws.OPEN, 'open')
    ws.send(JSON.stringify({ type: 'error', message: `token ${TOKEN}`, details: SECRET }))
    ws.send(`garbage ${TOKEN}`)
    await until(() => errors.length === 2, 'two errors')
    ws.close(4003, `closing ${TOKEN}`)
    await until(() => errors.length === 3, 'the lost socket')
    expectNoSecret(exposed(errors))
  })
})
