// `next start` on the build `next build` made (the runner builds first), then: the token route answers,
// the page renders on the server, the client component's round trip passes in headless Chromium (tokens
// from the route handler), the server component reads that conversation through the Node entry, and no
// Node code or app secret reached the client chunks. Its last line is the JSON the consumer runner reads.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, firefox } from 'playwright-core'

const { SYMBL_APP_SECRET, SYMBL_BASE_URL } = process.env
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
const check = (ok, what) => {
  if (!ok) throw new Error(what)
}

// The client chunks: what the browser can download.
const staticDir = join(import.meta.dirname, '.next/static')
check(existsSync(staticDir), 'no .next/static: run `next build` first')
const clientFiles = readdirSync(staticDir, { recursive: true })
  .filter((f) => typeof f === 'string' && f.endsWith('.js'))
  .map((f) => ({ f, text: readFileSync(join(staticDir, f), 'utf8') }))
// `ws` (its handshake GUID and extension name) and Node built-ins imported or required by name.
const nodeMarkers = [
  /258EAFA5-E914-47DA-95CA-C5AB0DC85B11/,
  /permessage-deflate/,
  /["']node:[a-z_]+["']/,
  /require\(["'](fs|net|tls|http|https|crypto|stream|ws)["']\)/,
]
for (const { f, text } of clientFiles) {
  check(!text.includes(SYMBL_APP_SECRET), `the app secret is in the client chunk ${f}`)
  const marker = nodeMarkers.find((m) => m.test(text))
  check(!marker, `Node code in the client chunk ${f}: ${marker}`)
}
// The microphone's code (lazily loaded capture with the AudioWorklet source) is among the client chunks.
for (const piece of ['getUserMedia', 'symbl-linear16-processor'])
  check(
    clientFiles.some(({ text }) => text.includes(piece)),
    `the microphone capture code (${piece}) is not in the client chunks`,
  )

const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => ok(port))
  })
})
const next = spawn('npx', ['--no-install', 'next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
})
const base = `http://127.0.0.1:${port}`
const browsers = []
try {
  for (let i = 0; ; i++) {
    try {
      await fetch(base)
      break
    } catch (e) {
      if (i > 300 || next.exitCode !== null) throw new Error(`next start did not start: ${e.message}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  // The route handler, both methods.
  for (const method of ['GET', 'POST']) {
    const r = await fetch(`${base}/api/symbl-token`, { method })
    const body = await r.json()
    check(r.status === 200 && typeof body.accessToken === 'string', `token route (${method}): ${r.status} ${JSON.stringify(body)}`)
  }
  // The edge runtime's route (deprecated in Next.js 16, still used on Vercel Edge): the Workers entry.
  const edge = await fetch(`${base}/api/edge-token`)
  const edgeBody = await edge.json()
  check(
    edge.status === 200 && typeof edgeBody.accessToken === 'string' && edge.headers.get('x-symbl-platform') === 'worker',
    `edge token route: ${edge.status} ${edge.headers.get('x-symbl-platform')} ${JSON.stringify(edgeBody)}`,
  )
  const html = await (await fetch(base)).text()
  check(html.includes('symbl-sdk in Next.js') && html.includes('starting'), 'the page did not render on the server')

  // The client component in Chromium, and in Firefox ESR when it is installed (the runner names it when not).
  const launches = [['Chromium', () => chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] })]]
  if (existsSync(firefoxPath)) launches.push(['Firefox', () => firefox.launch({ channel: 'moz-firefox', executablePath: firefoxPath })])
  const loaded = new Map()
  let result
  for (const [name, launch] of launches) {
    const browser = await launch()
    browsers.push(browser)
    const page = await browser.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('response', async (r) => {
      if (name === 'Chromium' && new URL(r.url()).pathname.endsWith('.js'))
        loaded.set(r.url(), gzipSync(await r.body().catch(() => Buffer.alloc(0)), { level: 9 }).length)
    })
    await page.goto(`${base}/?api=${encodeURIComponent(SYMBL_BASE_URL)}`)
    await page
      .waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 })
      .catch((e) => {
        throw new Error(`page (${name}): ${e.message.split('\n')[0]} ${errors.join(' | ')}`)
      })
    result = await page.evaluate(() => window.__result)
    check(result.ok, `page (${name}): ${result.error}`)
    result.browsers = [...(result.browsers ?? []), name]

    // The server component reads the conversation the page made, through the Node entry.
    const conversation = await (await fetch(`${base}/conversations/${result.conversationId}`)).text()
    check(/id="platform">node</.test(conversation), 'the server component did not run the Node entry')
    check(
      conversation.includes('I really love this new plan') && conversation.includes('report by Friday'),
      'the server component did not list the messages',
    )
    await browser.close()
  }
  result.browsers = launches.map(([name]) => name)

  const loadedBytes = [...loaded.values()].reduce((n, b) => n + b, 0)
  console.log(
    JSON.stringify({
      ...result,
      tokenRoute: 'ok',
      edgeTokenRoute: 'ok (the Workers entry)',
      serverComponent: 'ok',
      clientChunks: clientFiles.length,
      summary: `${(loadedBytes / 1024).toFixed(1)} KB min+gzip loaded by the page in ${loaded.size} files (React and Next.js included); ran in ${result.browsers.join(', ')}`,
    }),
  )
} finally {
  for (const browser of browsers) await browser.close().catch(() => {})
  try {
    process.kill(-next.pid, 'SIGTERM')
  } catch {}
}
