// The floors our targets stand on: what the dependencies the design card mandates (ky for HTTP,
// eventemitter3 for events) cost by themselves, before any SDK code. Issues #2 and #5 set the
// targets: full browser client ≤ 12 KB min+gzip, streaming + microphone ≤ 6 KB, request overhead
// ≤ 1.2× a bare fetch. If a floor is already above a target, no SDK change can reach it.
// Run: npx tsx bench/floors.ts
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import ky from 'ky'
import { kb, minGzipSize } from './_bundle.js'

// Sizes: each snippet bundled as an app would (browser conditions, minified, lazy chunks summed).
const size = async (code: string) => (await minGzipSize(code)).gzip
const kyOnly = await size(`import ky from 'ky'; export const k = ky`)
const ee = await size(`import EventEmitter from 'eventemitter3'; export const e = EventEmitter`)
const both = await size(`import ky from 'ky'; import EventEmitter from 'eventemitter3'; export const x = [ky, EventEmitter]`)
const mic = await size(`import { captureMicrophone } from 'symbl-sdk'; export const c = captureMicrophone`)
const all = await size(
  `import ky from 'ky'; import EventEmitter from 'eventemitter3'; import { captureMicrophone } from 'symbl-sdk'; export const x = [ky, EventEmitter, captureMicrophone]`,
)
console.log(`floors: ky alone: ${kb(kyOnly)} min+gzip`)
console.log(`floors: eventemitter3 alone: ${kb(ee)} min+gzip`)
console.log(`floors: ky + eventemitter3: ${kb(both)} min+gzip`)
console.log(`floors: microphone capture with its AudioWorklet source (all chunks): ${kb(mic)} min+gzip`)
console.log(
  `floors: ky + eventemitter3 + microphone/worklet, bundled together: ${kb(all)} min+gzip (separate sum ${kb(both + mic)}); ` +
    `targets: full client ≤ 12 KB, streaming + mic ≤ 6 KB, before any SDK code`,
)

// Request overhead on loopback, alternating rounds like bench/request-overhead.ts. The Request lines
// show how much of ky's cost is building and cloning the Request (on a GET, little); the rest is ky's
// own per-call work (options, hooks, response decoration, promise hops).
const body = JSON.stringify({ id: '4549300882243584', type: 'meeting', name: 'Weekly sync', members: [] })
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
})
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/conversations/4549300882243584`
const init = { headers: { authorization: 'Bearer x' } }
const lean = ky.create({ retry: 0, timeout: false })

const calls: Array<[string, () => Promise<unknown>]> = [
  ['bare fetch', async () => (await fetch(url, init)).json()],
  ['ky (retry 0, timeout false)', () => lean(url, init).json()],
  ['fetch(new Request(url, init))', async () => (await fetch(new Request(url, init))).json()],
  [
    'fetch(new Request(url, init)) + request.clone()',
    async () => {
      const request = new Request(url, init)
      request.clone()
      return (await fetch(request)).json()
    },
  ],
  // What ky 1.x does to the request with timeout false and no hooks: a Request from the URL, another
  // carrying its AbortController's signal, and a clone kept for retries.
  [
    "ky's request path: Request → Request with signal → clone()",
    async () => {
      const request = new Request(new Request(url, init), { signal: new AbortController().signal })
      request.clone()
      return (await fetch(request)).json()
    },
  ],
]

async function time(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < n; i++) await fn()
  return performance.now() - start
}

for (const [, fn] of calls) await time(fn, 300)
const rounds = 6
const n = 800
const totals = calls.map(() => 0)
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < calls.length; i++) totals[i] += await time(calls[i][1], n)
}
const per = (t: number) => ((t / (rounds * n)) * 1000).toFixed(0)
for (let i = 1; i < calls.length; i++) {
  console.log(
    `floors: ${calls[i][0]} on ${process.version}: ${per(totals[i])} µs/request vs bare fetch ${per(totals[0])} µs, ratio ${(totals[i] / totals[0]).toFixed(2)}` +
      (i === 1 ? ' (target ≤ 1.2)' : ''),
  )
}
server.close()
