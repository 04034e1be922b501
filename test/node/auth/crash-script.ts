// Run in its own process by no-crash.test.ts: Node ends a process on an unhandled rejection or an
// uncaught exception, which a test runner in the same process would only report. No handler for
// either is installed here on purpose. It prints `ok:<what>` lines, then `alive`, and exits 0.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { abortable } from '../../../src/utils/async.js'
import { createTokenHandler, Symbl, toNodeListener } from '../../../src/node.js'

const say = (line: string) => console.log(line)
const tick = () => new Promise((r) => setImmediate(r))

/** A Symbl stand-in whose token endpoint always fails; it counts the token requests. */
async function failingSymbl(): Promise<{ url: string; tokenRequests: () => number; close: () => void }> {
  let tokenRequests = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/oauth2/token')) tokenRequests++
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"down"}')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokenRequests: () => tokenRequests,
    close: () => server.close(),
  }
}

/** Writes raw bytes to the server and returns what it answered (or '' if it just closed). */
function raw(port: number, text: string, endEarly = false): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(text)
      if (endEarly) socket.destroy()
    })
    let answer = ''
    socket.on('data', (d: Buffer) => {
      answer += d
      // One answer is enough; the connection may be kept alive.
      if (/\r\n\r\n/.test(answer)) socket.end()
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(answer))
  })
}

switch (process.env.SCENARIO) {
  case 'aborted-process-file': {
    const symbl = await failingSymbl()
    const options = { baseUrl: symbl.url, appId: 'app', appSecret: 'app-secret-123', retry: 0 }
    const file = new Blob([new Uint8Array(64)], { type: 'audio/wav' })
    const first = await new Symbl(options).audio.processFile(file, { signal: AbortSignal.abort() }).catch((e: unknown) => e)
    say(`ok:aborted:${(first as Error).name}`)
    // Another client's call, started after and failing the same way: by the time it has failed, a
    // token fetch the aborted call had started would have failed too, unobserved.
    const second = await new Symbl(options).audio.processFile(file).catch((e: unknown) => e)
    say(`ok:failed:${(second as Error).name}`)
    await tick()
    say(`ok:token-requests:${symbl.tokenRequests()}`)
    symbl.close()
    break
  }
  case 'aborted-abortable': {
    let fail!: (e: Error) => void
    const late = new Promise<never>((_, reject) => (fail = reject))
    const reason = await abortable(late, AbortSignal.abort()).catch((e: Error) => e)
    say(`ok:aborted:${reason.name}`)
    fail(new Error('the work the caller stopped waiting for failed later'))
    break
  }
  case 'token-endpoint': {
    const symbl = await failingSymbl()
    const handler = createTokenHandler({
      baseUrl: symbl.url,
      appId: 'app',
      appSecret: 'app-secret-123',
      retry: 0,
      // A slow session check (x-slow): the client is gone by the time it says yes.
      authorize: (request) =>
        !request.headers.has('x-slow') || new Promise<boolean>((r) => request.signal.addEventListener('abort', () => r(true))),
    })
    const server = createServer(toNodeListener(handler))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const requests: Record<string, [string, boolean?]> = {
      trace: ['TRACE /symbl-token HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      badHost: ['GET /symbl-token HTTP/1.1\r\nHost: a b\r\n\r\n'],
      absolute: ['GET http://other.test/symbl-token HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      noHost: ['GET /symbl-token HTTP/1.0\r\n\r\n'],
      gone: ['GET /symbl-token HTTP/1.1\r\nHost: localhost\r\n\r\n', true],
      halfBody: ['POST /symbl-token HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc', true],
      goneDuringAuthorize: ['GET /symbl-token HTTP/1.1\r\nHost: localhost\r\nx-slow: 1\r\n\r\n', true],
    }
    for (const [name, [text, endEarly]] of Object.entries(requests)) {
      const answer = await raw(port, text, endEarly)
      say(`ok:${name}:${answer.split('\r\n')[0] || 'closed'}`)
    }
    // Let any failure of the requests whose clients left surface before declaring the process alive
    // (a token fetch started for a client that left fails on this Symbl stand-in within milliseconds).
    await new Promise((r) => setTimeout(r, 300))
    say(`ok:after:${(await raw(port, 'GET /symbl-token HTTP/1.1\r\nHost: localhost\r\n\r\n')).split('\r\n')[0]}`)
    server.close()
    symbl.close()
    break
  }
  default:
    throw new Error(`unknown SCENARIO ${process.env.SCENARIO}`)
}
await tick()
say('alive')
