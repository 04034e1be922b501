// The Node upload transport reuses two read buffers, which is only safe because it waits for each
// chunk to be written before reading the next. A fast loopback server cannot show a mistake there
// (writes finish at once); a server that stops reading can: the socket fills up, writes queue, and
// a reader that ran ahead would overwrite queued chunks, corrupting the body.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Symbl } from '../../../src/node.js'
import { digest, startSlowReader } from './recording-server.js'

const size = 24 * 1024 * 1024 + 777 // well past the kernel's loopback socket buffers
const content = new Uint8Array(size)
for (let i = 0; i < size; i++) content[i] = (i * 131 + (i >> 12)) & 0xff
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-slow-'))
  await writeFile(join(dir, 'slow.wav'), content)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

it('a server that stops reading for a while still receives the file intact, and progress waits for it', async () => {
  const progressAtResume: number[] = []
  let progress = 0
  const server = await startSlowReader(400, () => progressAtResume.push(progress)) // the client's writes back up meanwhile
  try {
    const symbl = new Symbl({ baseUrl: server.base, accessToken: 't' })
    const conversation = await symbl.audio.processFile(join(dir, 'slow.wav'), {
      wait: false,
      onUploadProgress: (p) => (progress = p.sentBytes),
    })
    expect(conversation.conversationId).toBe('7')
    expect(server.bytes).toBe(size)
    expect(server.digest).toBe(digest(content))
    // While the server read nothing, what counted as sent stayed within what sockets can hold.
    expect(progressAtResume[0]).toBeLessThan(size / 2)
    expect(progress).toBe(size)
  } finally {
    await server.close()
  }
})
