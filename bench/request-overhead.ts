// Per-request overhead of the SDK (auth, retry policy, error mapping, ky) against a bare fetch of
// the same URL, both on loopback in the same process, alternating rounds. Target: ratio ≤ 1.2 for
// a small answer. A second figure uses a typical transcript answer (50 messages), where the fixed
// overhead weighs less.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Symbl } from '../src/node.js'

const small = JSON.stringify({ id: '4549300882243584', type: 'meeting', name: 'Weekly sync', members: [] })
const message = (i: number) => ({
  id: String(6412283618000896 + i),
  text: 'Best package for you is $69.99 per month, and we can start next week if that works.',
  from: { id: 'e2c5acf8-b9ed-421a-b3b3-02a5ae9796a0', name: 'Roger', userId: 'roger@example.com' },
  startTime: '2020-07-10T11:16:21.024Z',
  endTime: '2020-07-10T11:16:26.724Z',
  timeOffset: 5.9 + i,
  duration: 5.7,
  conversationId: '6749556955938816',
  sentiment: { polarity: { score: 0.6 }, suggested: 'positive' },
})
const messages = JSON.stringify({ messages: Array.from({ length: 50 }, (_, i) => message(i)) })

const server = createServer((req, res) => {
  const body = req.url?.endsWith('/messages') ? messages : small
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
})
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const symbl = new Symbl({ baseUrl: base, accessToken: 'bench-token' })
const id = '4549300882243584'
const bare = (path: string) => async () =>
  (await fetch(`${base}/v1/conversations/${id}${path}`, { headers: { authorization: 'Bearer bench-token' } })).json()

async function time(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < n; i++) await fn()
  return performance.now() - start
}

async function compare(name: string, sdkCall: () => Promise<unknown>, bareCall: () => Promise<unknown>): Promise<void> {
  await time(sdkCall, 300)
  await time(bareCall, 300)
  const rounds = 6
  const n = 800
  let sdk = 0
  let plain = 0
  for (let r = 0; r < rounds; r++) {
    plain += await time(bareCall, n)
    sdk += await time(sdkCall, n)
  }
  const per = (t: number) => ((t / (rounds * n)) * 1000).toFixed(0)
  console.log(
    `request overhead, ${name}: symbl ${per(sdk)} µs/request, bare fetch ${per(plain)} µs/request, ratio ${(sdk / plain).toFixed(2)}`,
  )
}

await compare(
  'symbl.conversations.getConversation (small answer; target ratio ≤ 1.2)',
  () => symbl.conversations.getConversation(id),
  bare(''),
)
await compare('symbl.conversations.getMessages (50 messages, 14 KB)', () => symbl.conversations.getMessages(id), bare('/messages'))
server.close()
