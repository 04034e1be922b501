// An answer given before the request body is in (a 401 during an upload, a 413): the emulator reads the
// rest of the body before it closes (a lingering close), so a client still sending reads the status.
// Closing at once reset the socket under Firefox and WebKit, which then reported a network error with
// no status, and the SDK could not tell an expired token from a dead network. Raw sockets: the client
// here sends the whole body whatever arrives, as a browser does.
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js'

let emu: RunningEmulator
beforeAll(async () => {
  emu = await startEmulator({ port: 0, maxUploadBytes: 1024 * 1024 })
})
afterAll(() => emu.close())

/** Sends `bytes` of body after the headers, 64 KiB at a time; resolves with what came back and how the socket ended. */
function upload(headers: Record<string, string>, bytes: number): Promise<{ answer: string; sent: number; error?: string }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(emu.port, '127.0.0.1')
    let answer = ''
    let sent = 0
    let error: string | undefined
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')))
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message))
    socket.on('close', () => resolve({ answer, sent, error }))
    socket.on('connect', async () => {
      const head = Object.entries({ host: '127.0.0.1', 'content-length': String(bytes), ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')
      socket.write(`POST /v1/process/audio HTTP/1.1\r\n${head}\r\n`)
      const piece = Buffer.alloc(64 * 1024)
      while (sent < bytes && !socket.destroyed) {
        const n = Math.min(piece.length, bytes - sent)
        if (!socket.write(piece.subarray(0, n))) await new Promise((r) => socket.once('drain', r).once('close', r))
        sent += n
        // Let the server answer while the body is still coming, as over a real network.
        if (sent === 64 * 1024) await new Promise((r) => setTimeout(r, 50))
      }
      if (!socket.destroyed) socket.end()
    })
  })
}

describe('an answer before the body is in', () => {
  it('a bad token during a 16 MB upload: the 401 arrives and the socket is not reset while the body is sent', async () => {
    const bytes = 16 * 1024 * 1024
    const r = await upload({ authorization: 'Bearer not-a-token', 'content-type': 'audio/wav' }, bytes)
    expect(r.answer).toMatch(/^HTTP\/1\.1 401 /)
    expect(r.answer).toContain('Token validation failed for provided token.')
    expect(r.error).toBeUndefined()
    expect(r.sent).toBe(bytes)
  })

  it('an upload over maxUploadBytes: the 413 arrives and the rest of the body is read, not reset', async () => {
    const bytes = 4 * 1024 * 1024
    const tokenAnswer = await fetch(`${emu.url}/oauth2/token:generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'application', appId: 'early-answer', appSecret: 'early-answer-secret' }),
    })
    const { accessToken } = (await tokenAnswer.json()) as { accessToken: string }
    const r = await upload({ authorization: `Bearer ${accessToken}`, 'content-type': 'audio/wav' }, bytes)
    expect(r.answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(r.error).toBeUndefined()
    expect(r.sent).toBe(bytes)
  })
})
