import { createServer } from 'node:http'
import ky from 'ky'
import { Symbl } from './src/node.js'
import { kyRetry } from './src/http/retry.js'
import { normalizeRetry } from './src/http/retry.js'
const body = JSON.stringify({ id: '1', type: 'meeting', name: 'Weekly sync', members: [] })
const server = createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body) })
await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${(server.address() as any).port}`
const url = `${base}/v1/conversations/4549300882243584`
const symbl = new Symbl({ baseUrl: base, accessToken: 'bench-token' })
const inst = ky.create({ fetch: (i, o) => globalThis.fetch(i, o), throwHttpErrors: true, timeout: 30000, retry: kyRetry(normalizeRetry(undefined), true) })
const h = { authorization: 'Bearer bench-token', 'x-api-key': 'bench-token' }
const cases: Record<string, () => Promise<unknown>> = {
  bare: async () => (await fetch(url, { headers: { authorization: 'Bearer bench-token' } })).json(),
  kyAsUs: async () => JSON.parse(await (await inst(url, { method: 'GET', json: undefined, signal: undefined, timeout: 30000, headers: { accept: 'application/json', ...h } })).text()),
  kyNoTimeout: async () => JSON.parse(await (await inst(url, { method: 'GET', timeout: false, headers: { accept: 'application/json', ...h } })).text()),
  sdk: () => symbl.conversations.getConversation('4549300882243584'),
}
async function time(fn: () => Promise<unknown>, n: number) { const s = performance.now(); for (let i = 0; i < n; i++) await fn(); return performance.now() - s }
for (const f of Object.values(cases)) await time(f, 500)
const tot: Record<string, number> = Object.fromEntries(Object.keys(cases).map(k => [k, 0]))
for (let r = 0; r < 6; r++) for (const [k, f] of Object.entries(cases)) tot[k] += await time(f, 800)
for (const [k, t] of Object.entries(tot)) console.log(process.version, k, (t / 4800 * 1000).toFixed(0), 'µs', (t / tot.bare).toFixed(2))
server.close()
