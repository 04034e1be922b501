import { FakeServer } from '/work/main/test/node/streaming/fake-server.js'
import { Symbl } from '/work/main/src/node.js'
const server = await FakeServer.start({ checkCounter: true })
const symbl = new Symbl({ baseUrl: server.url, accessToken: 'x' })
for (const [mq, hwm] of [[0.25, 65536], [10, 262144], [2, 262144]]) {
  const a = await symbl.streaming.startConnection({ maxQueueSeconds: mq, highWaterMark: hwm })
  const chunk = new Uint8Array(64_000)
  let t = Date.now()
  for (let i = 0; i < 400; i++) await a.sendAudio(chunk)
  await a.stop()
  console.log(mq, hwm, Date.now() - t, 'ms', a.stats)
}
await server.close()
