// Per-request overhead of the SDK (auth, retry policy, error mapping, ky) against a bare fetch of
// the same URL, both on loopback in the same process, alternating rounds. Target: ratio ≤ 1.2.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Symbl } from '../src/node.js'

const body = JSON.stringify({ id: '4549300882243584', type: 'meeting', name: 'Weekly sync', members: [] })
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
})
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const symbl = new Symbl({ baseUrl: base, accessToken: 'bench-token' })
const conversations = symbl.conversations as unknown as { getConversation?: (id: string) => Promise<unknown> }
const sdkGet = conversations.getConversation
  ? () => conversations.getConversation!('4549300882243584')
  : () => symbl.http.request({ method: 'GET', path: '/v1/conversations/4549300882243584' })
const bareGet = async () => (await fetch(`${base}/v1/conversations/4549300882243584`, { headers: { authorization: 'Bearer bench-token' } })).json()

async function time(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < n; i++) await fn()
  return performance.now() - start
}
await time(sdkGet, 300)
await time(bareGet, 300)
const rounds = 6
const n = 1000
let sdk = 0
let bare = 0
for (let r = 0; r < rounds; r++) {
  bare += await time(bareGet, n)
  sdk += await time(sdkGet, n)
}
const per = (t: number) => ((t / (rounds * n)) * 1000).toFixed(0)
console.log(`request overhead: symbl.conversations GET ${per(sdk)} µs/request, bare fetch ${per(bare)} µs/request, ratio ${(sdk / bare).toFixed(2)} (target ≤ 1.2)`)
server.close()
