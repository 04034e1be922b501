// The SDK's own streaming client through the emulator's msw front on Node. msw intercepts only the
// global WebSocket: with the SDK's default (`ws`) the handshake reaches msw as plain HTTP, which must
// say so (426 and a message naming the fix), and with `WebSocket: globalThis.WebSocket` it works.
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionError, Symbl, type WebSocketConstructor } from '../../src/node.js'
import { EmulatorCore } from '../../src/emulator/index.js'
import { createEmulatorHandlers } from '../../src/emulator/msw.js'

const BASE = 'https://api.symbl.test'
const core = new EmulatorCore({ jobDelayMs: 0 })
const server = setupServer(...createEmulatorHandlers(core, { baseUrl: BASE }))

beforeAll(async () => {
  // Node 20 has no global WebSocket: the README's recipe sets it from `ws` before server.listen().
  if (typeof globalThis.WebSocket === 'undefined') (globalThis as { WebSocket?: unknown }).WebSocket = (await import('ws')).default
  server.listen({ onUnhandledRequest: 'error' })
})
afterAll(() => {
  server.close()
  core.dispose()
})

describe('streaming through the msw front on Node', () => {
  it("with the SDK's default socket: a ConnectionError naming the fix, not a bare 404", async () => {
    const symbl = new Symbl({ baseUrl: BASE, appId: 'msw-app', appSecret: 'msw-secret' })
    const error = await symbl.streaming.startConnection({ startTimeoutMs: 10_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).message).toContain('HTTP 426')
    expect((error as ConnectionError).message).toContain('new Symbl({ WebSocket: globalThis.WebSocket })')
  })

  it('with the global WebSocket: a whole session, audio in and a conversation out', async () => {
    const symbl = new Symbl({
      baseUrl: BASE,
      appId: 'msw-app',
      appSecret: 'msw-secret',
      WebSocket: globalThis.WebSocket as unknown as WebSocketConstructor,
    })
    const connection = await symbl.streaming.startConnection({ startTimeoutMs: 10_000 })
    await connection.sendAudio(new Uint8Array(16_000)) // 0.5 s of 16 kHz LINEAR16 silence
    const conversation = await connection.stop()
    expect(conversation.conversationId).toMatch(/^\d+$/)
  })
})
