// The demo's server (demo/server.ts) answers request targets that are not URLs: `new URL` of one
// threw inside its request listener, an uncaught exception that ended `npm run demo` (issue 11,
// the class of item 1). Spoken to with raw sockets, as a browser never would.
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer, type RunningDemoServer } from '../../demo/server.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'

/** The status line of the server's first answer to `text`, or 'closed'. */
function statusLine(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.on('data', (d: Buffer) => {
      answer += d
      if (answer.includes('\r\n\r\n')) socket.end()
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(answer.split('\r\n')[0] || 'closed'))
  })
}

describe('the demo server and request targets that are not URLs', () => {
  let emu: RunningEmulator
  let demo: RunningDemoServer
  beforeAll(async () => {
    emu = await startEmulator({ jobDelayMs: 0 })
    demo = await startDemoServer({
      baseUrl: emu.url,
      appId: 'demo',
      appSecret: 'demo-secret-1234',
      mode: 'emulator',
      cdnBundlePath: '/nonexistent/symbl.iife.js',
    })
  })
  afterAll(async () => {
    await demo?.close()
    await emu?.close()
  })

  it('answers 400 to //host:badport/ and a broken absolute-form target, and keeps serving', async () => {
    for (const target of ['//x:99999999/', 'http://[::1', '//[zz]/demo-config']) {
      expect(await statusLine(demo.port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`), target).toBe('HTTP/1.1 400 Bad Request')
    }
    expect(await statusLine(demo.port, 'GET /demo-config HTTP/1.1\r\nHost: localhost\r\n\r\n')).toBe('HTTP/1.1 200 OK')
    expect(await statusLine(demo.port, 'GET /symbl-token HTTP/1.1\r\nHost: localhost\r\n\r\n')).toBe('HTTP/1.1 200 OK')
  })
})
