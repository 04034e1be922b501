// The Node upload transport reuses two read buffers, which is only safe because it waits for each
// chunk to be written before reading the next. A fast loopback server cannot show a mistake there
// (writes finish at once); a server that stops reading can: the socket fills up, writes queue, and
// a reader that ran ahead would overwrite queued chunks, corrupting the body.
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Symbl } from '../../../src/node.js'

const size = 24 * 1024 * 1024 + 777 // well past the kernel's loopback socket buffers
const content = new Uint8Array(size)
for (let i = 0; i < size; i++) content[i] = (i * 131 + (i >> 12)) & 0xff
const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-slow-'))
  await writeFile(join(dir, 'slow.wav'), content)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

it('a server that stops reading for a while still receives the file intact, and progress waits for it', async () => {
  let received = ''
  let receivedBytes = 0
  const progressAtResume: number[] = []
  let progress = 0
  const server = createServer((req, res) => {
    const hash = createHash('sha256')
    req.pause() // read nothing for a while: the client's writes back up
    setTimeout(() => {
      progressAtResume.push(progress)
      req.on('data', (c: Buffer) => (hash.update(c), (receivedBytes += c.length)))
      req.resume()
    }, 400)
    req.on('end', () => {
      received = hash.digest('hex')
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ conversationId: '7', jobId: 'j' }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  try {
    const symbl = new Symbl({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, accessToken: 't' })
    const conversation = await symbl.audio.processFile(join(dir, 'slow.wav'), { wait: false, onUploadProgress: (p) => (progress = p.sentBytes) })
    expect(conversation.conversationId).toBe('7')
    expect(receivedBytes).toBe(size)
    expect(received).toBe(digest(content))
    // While the server read nothing, what counted as sent stayed within what sockets can hold.
    expect(progressAtResume[0]).toBeLessThan(size / 2)
    expect(progress).toBe(size)
  } finally {
    server.close()
  }
})
