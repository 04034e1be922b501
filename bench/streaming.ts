// Streaming benchmarks (`npx tsx bench/streaming.ts`):
// 1. one connection pushing an hour of 16 kHz LINEAR16 to a local protocol server as fast as
//    backpressure allows: the real-time factor and the highest queue fill against its bound;
// 2. 100 concurrent connections each streaming 30 s of audio (faster than real time): peak RSS.
// The server (test/node/streaming/fake-server.ts) runs in the same process, so its memory and
// CPU are in the figures too.
import { Symbl } from '../src/node.js'
import type { StreamingConnection } from '../src/streaming/connection.js'
import { FakeServer } from '../test/node/streaming/fake-server.js'

const RATE = 16_000
const BYTES_PER_SECOND = RATE * 2
const CHUNK = new Uint8Array(BYTES_PER_SECOND / 10) // 100 ms blocks, like a file reader would give

async function push(connection: StreamingConnection, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) await connection.sendAudio(CHUNK)
}

async function throughput(server: FakeServer): Promise<void> {
  const symbl = new Symbl({ baseUrl: server.url, accessToken: 'bench' })
  const maxQueueSeconds = 2
  const connection = await symbl.streaming.startConnection({ maxQueueSeconds })
  const seconds = 3600
  const start = performance.now()
  await push(connection, seconds)
  await connection.stop()
  const elapsed = (performance.now() - start) / 1000
  const received = server.conv(connection.connectionId).audioBytes
  if (received !== seconds * BYTES_PER_SECOND) throw new Error(`server received ${received} bytes, expected ${seconds * BYTES_PER_SECOND}`)
  const queueMax = connection.stats().maxQueuedBytes / BYTES_PER_SECOND
  console.log(
    `streaming 1 h of 16 kHz PCM: ${Math.round(seconds / elapsed)}x real time (${elapsed.toFixed(1)} s, ${((seconds * BYTES_PER_SECOND) / elapsed / 1e6).toFixed(0)} MB/s), ` +
      `queue max ${queueMax.toFixed(2)} s (bound ${maxQueueSeconds} s)`,
  )
}

async function concurrent(server: FakeServer, count: number, seconds: number): Promise<void> {
  const symbl = new Symbl({ baseUrl: server.url, accessToken: 'bench' })
  ;(globalThis as { gc?: () => void }).gc?.()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  const start = performance.now()
  const connections = await Promise.all(Array.from({ length: count }, () => symbl.streaming.startConnection()))
  await Promise.all(connections.map(async (c) => push(c, seconds)))
  await Promise.all(connections.map((c) => c.stop()))
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  const elapsed = (performance.now() - start) / 1000
  const total = connections.reduce((n, c) => n + server.conv(c.connectionId).audioBytes, 0)
  if (total !== count * seconds * BYTES_PER_SECOND) throw new Error(`server received ${total} bytes`)
  console.log(
    `streaming ${count} connections x ${seconds} s: peak RSS ${Math.round(peak / 2 ** 20)} MB ` +
      `(baseline ${Math.round(baseline / 2 ** 20)} MB, ${elapsed.toFixed(1)} s, client and server in one process)`,
  )
}

const server = await FakeServer.start({ checkCounter: false })
try {
  await concurrent(server, 100, 30)
  await throughput(server)
} finally {
  await server.close()
}
