// What a live-captions page really downloads: the SDK bundled as an app's bundler would
// (bench/_bundle.ts, the published build), served from a local server, opened in headless
// Chromium with the fake microphone, streaming to the emulator until stop(). Every JS response the
// page fetched is counted, each gzipped as it would be served. A measurement, not a guess of which
// lazy chunks the path needs.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { launchChromium } from './_chromium.js'
import { startEmulator } from '../src/emulator/index.js'
import { bundleChunks } from './_bundle.js'

/** The page: a token from the query (its server would hand it out), captions on, the microphone, stop. */
export const LIVE_PAGE = `import { Symbl } from 'symbl-sdk'
const query = new URLSearchParams(location.search)
const symbl = new Symbl({ baseUrl: query.get('api'), accessToken: query.get('token') })
const connection = await symbl.streaming.startConnection({ insightTypes: ['question', 'action_item'] })
connection.on('message_response', ({ messages }) => messages.forEach((m) => document.body.append(m.payload.content)))
await connection.sendAudioFromMic()
await new Promise((r) => setTimeout(r, 1500))
const conversation = await connection.stop()
document.title = 'stopped ' + conversation.conversationId`

export interface PageLoad {
  files: Array<{ name: string; min: number; gzip: number }>
  gzip: number
  /** The same files gzipped as one (what splitting into chunks costs in compression). */
  oneFileGzip: number
  conversationId: string
}

export async function measureLivePage(): Promise<PageLoad> {
  const chunks = await bundleChunks(LIVE_PAGE)
  const byName = new Map(chunks.map((c) => [`/${c.fileName}`, c.code]))
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end('<!doctype html><meta charset="utf-8"><title>live</title><script type="module" src="/out.js"></script>')
    }
    const code = byName.get(path)
    if (code === undefined) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/javascript' })
    res.end(code)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const emu = await startEmulator({ port: 0 })
  const browser = await launchChromium()
  try {
    const tokenAnswer = await fetch(`${emu.url}/oauth2/token:generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'application', appId: 'bench-app', appSecret: 'bench-secret' }),
    })
    const { accessToken } = (await tokenAnswer.json()) as { accessToken: string }
    const context = await browser.newContext({ permissions: ['microphone'] })
    const page = await context.newPage()
    const files: PageLoad['files'] = []
    const bodies: Buffer[] = []
    page.on('response', async (response) => {
      if (!response.url().endsWith('.js')) return
      const body = await response.body()
      bodies.push(body)
      files.push({ name: new URL(response.url()).pathname.slice(1), min: body.length, gzip: gzipSync(body, { level: 9 }).length })
    })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const port = (server.address() as AddressInfo).port
    await page.goto(`http://127.0.0.1:${port}/?api=${encodeURIComponent(emu.url)}&token=${encodeURIComponent(accessToken)}`)
    await page
      .waitForFunction(() => document.title.startsWith('stopped ') || document.title === 'failed', null, { timeout: 30_000 })
      .catch(() => {
        throw new Error(`the live page did not stop within 30 s${errors.length ? `: ${errors.join('; ')}` : ''}`)
      })
    const conversationId = (await page.title()).replace('stopped ', '')
    const oneFileGzip = gzipSync(Buffer.concat(bodies), { level: 9 }).length
    return { files, gzip: files.reduce((n, f) => n + f.gzip, 0), oneFileGzip, conversationId }
  } finally {
    await browser.close()
    await emu.close()
    server.close()
  }
}
