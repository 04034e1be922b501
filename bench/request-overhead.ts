// Per-request overhead of the SDK (auth, retry policy, error mapping, ky) against ky alone and a
// bare fetch of the same URL, all on loopback in the same process, alternating rounds. Target (issue
// #12): the SDK's own layers add ≤ 10 % over ky alone, configured as the SDK configures it (the
// `once`/`idempotent` instances of src/http/ky-transport.ts: timeout 30 s, retry 2). A bare fetch is
// printed for scale: ky itself costs 1.25–1.6× a fetch on loopback (bench/floors.ts), which is why the
// older target of ≤ 1.2× a fetch was replaced. A second figure uses a typical transcript answer (50
// messages), where the fixed overhead weighs less.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTransport } from '../src/http/ky-transport.js'
import { normalizeRetry } from '../src/http/retry.js'
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
// ky as the SDK configures it (the same module builds the SDK's instances), with the same header.
const ky = createTransport({ fetch: globalThis.fetch, timeout: 30_000, retry: normalizeRetry(2) }).idempotent
const kyAlone = (path: string) => () =>
  ky.get(`${base}/v1/conversations/${id}${path}`, { headers: { authorization: 'Bearer bench-token', 'x-api-key': 'bench-token' } }).json()

async function time(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < n; i++) await fn()
  return performance.now() - start
}

async function compare(
  name: string,
  sdkCall: () => Promise<unknown>,
  kyCall: () => Promise<unknown>,
  bareCall: () => Promise<unknown>,
): Promise<number> {
  for (const warm of [sdkCall, kyCall, bareCall]) await time(warm, 300)
  const rounds = 6
  const n = 800
  let sdk = 0
  let kyTime = 0
  let plain = 0
  for (let r = 0; r < rounds; r++) {
    plain += await time(bareCall, n)
    kyTime += await time(kyCall, n)
    sdk += await time(sdkCall, n)
  }
  const per = (t: number) => ((t / (rounds * n)) * 1000).toFixed(0)
  const overKy = (sdk / kyTime - 1) * 100
  console.log(
    `request overhead, ${name}: symbl ${per(sdk)} µs/request, ky alone ${per(kyTime)} µs, bare fetch ${per(plain)} µs; ` +
      `SDK layers over ky ${overKy >= 0 ? '+' : ''}${overKy.toFixed(1)} % (target ≤ +10 %), ky over fetch ${(kyTime / plain).toFixed(2)}×`,
  )
  return overKy
}

await compare('symbl.conversations.getConversation (small answer)', () => symbl.conversations.getConversation(id), kyAlone(''), bare(''))
await compare(
  'symbl.conversations.getMessages (50 messages, 14 KB)',
  () => symbl.conversations.getMessages(id),
  kyAlone('/messages'),
  bare('/messages'),
)
server.close()
