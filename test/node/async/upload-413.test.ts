// A server that refuses an upload over its limit answers 413 at once and closes the socket while
// the file is still being sent. The upload must fail with that answer (an HttpError 413 with the
// server's message), not with the "write EPIPE" of the next write, on both Node transports.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server.js'
import { HttpError } from '../../../src/errors.js'
import { Symbl } from '../../../src/node.js'

const SIZE = 8 * 1024 * 1024
let dir: string
let file: string
let early: Server
let earlyUrl: string
let emu: RunningEmulator

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-413-'))
  file = join(dir, 'big.wav')
  await writeFile(file, new Uint8Array(SIZE))
  // Reads nothing of the body: answers and closes, as a proxy with a body limit does.
  early = createServer((_req, res) => {
    const body = JSON.stringify({ message: 'Request body exceeds the limit of 1000 bytes.' })
    res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body)
  })
  await new Promise<void>((r) => early.listen(0, '127.0.0.1', r))
  earlyUrl = `http://127.0.0.1:${(early.address() as AddressInfo).port}`
  emu = await startEmulator({ maxUploadBytes: 1000, acceptAnyToken: true })
})
afterAll(async () => {
  await new Promise<void>((r) => early.close(() => r()))
  await emu.close()
  await rm(dir, { recursive: true, force: true })
})

describe("an upload over the server limit fails with the server's 413", () => {
  const servers = { 'a server that answers at once and closes': () => earlyUrl, 'the emulator with maxUploadBytes 1000': () => emu.url }
  const transports = { 'node:http': undefined, 'an injected fetch': (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) }
  for (const [serverName, url] of Object.entries(servers)) {
    for (const [transportName, injected] of Object.entries(transports)) {
      it(`${serverName}, through ${transportName}: from a path and from bytes`, async () => {
        const symbl = new Symbl({
          baseUrl: url(),
          accessToken: 'token',
          retry: 0,
          ...(injected ? { fetch: injected as typeof fetch } : {}),
        })
        // A few times each: the failure depended on where the write loop was when the answer came.
        for (let i = 0; i < 3; i++) {
          for (const input of [file, new Uint8Array(SIZE)]) {
            const error = await symbl.audio.processFile(input, { wait: false, contentType: 'audio/wav' }).then(
              () => undefined,
              (e: unknown) => e,
            )
            expect(error, String(error)).toBeInstanceOf(HttpError)
            expect((error as HttpError).status).toBe(413)
            expect((error as HttpError).serverMessage).toBe('Request body exceeds the limit of 1000 bytes.')
          }
        }
      })
    }
  }
})
