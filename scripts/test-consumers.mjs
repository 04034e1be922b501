// `npm run test:consumers`: the packed package, installed and built the way users build it.
//   1. `npm pack` once (the built dist/: run `node scripts/build.mjs` first) to test/consumers/.pack/
//   2. each app in test/consumers/*/ installs that tarball (`npm install`, offline from the cache), then
//      builds with its `build` script (browser apps) and runs its round trip against the local emulator:
//      browser apps in headless Chromium (window.__result), Node apps through their `start` script; an app
//      with both (test/consumers/nextjs: `next build`, then `next start` driven in Chromium) builds, then starts;
//      apps with a `check` script instead (test/consumers/typescript: tsc over the README and examples/) run it
//   3. a table (consumer, built, ran, bytes the app ships for the SDK, seconds), the line `N passed, N failed`,
//      test-results/consumers.json (read by scripts/test.mjs) and test-results/consumers.md
// `npm run test:consumers -- vite esbuild` runs only those apps. CHROMIUM_PATH overrides /usr/bin/chromium.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = resolve(import.meta.dirname, '..')
const dir = join(root, 'test/consumers')
const packDir = join(dir, '.pack')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const credentials = { appId: 'consumer-app-id', appSecret: 'consumer-secret-7d1f3a9c5e' }
const only = process.argv.slice(2)
const started = Date.now()

if (!existsSync(join(root, 'dist/node/emulator.js'))) {
  console.error('test:consumers: no dist/ (run `node scripts/build.mjs` first)')
  process.exit(1)
}

/** Runs a command, resolving with its exit code and output (never rejects; a timeout kills it). */
function run(cmd, args, { cwd, env, timeoutMs = 90_000 } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => {
      out += `\n(timed out after ${timeoutMs / 1000} s)`
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, out })
    })
  })
}

const consumers = readdirSync(dir)
  .filter((name) => !name.startsWith('.') && name !== 'shared' && existsSync(join(dir, name, 'package.json')))
  .filter((name) => only.length === 0 || only.includes(name))
  .map((name) => {
    const pkg = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8'))
    // devDependencies (a runtime binary: Bun, Deno) are tooling, not counted in what the app ships.
    const tooling = Object.keys(pkg.devDependencies ?? {})
    // build only: a static browser app; build and start: a server app (Next.js) whose start script runs it.
    const server = Boolean(pkg.scripts?.build && pkg.scripts?.start)
    return {
      name,
      cwd: join(dir, name),
      browser: Boolean(pkg.scripts?.build) && !server,
      server,
      // A page's Content-Security-Policy (test/consumers/strict-csp), {api}/{ws} standing for the emulator's origin.
      csp: pkg.contentSecurityPolicy,
      description: pkg.description ?? '',
      tooling,
    }
  })

// A `check` script (no build, no start): an app that type-checks, its last line JSON { ok, files, cells }.
for (const c of consumers) c.check = !c.browser && Boolean(JSON.parse(readFileSync(join(c.cwd, 'package.json'), 'utf8')).scripts?.check)

// 1. Pack once.
rmSync(packDir, { recursive: true, force: true })
mkdirSync(packDir, { recursive: true })
const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' })
const tarball = pack.stdout.trim().split('\n').pop()
if (pack.status !== 0 || !tarball || !existsSync(join(packDir, tarball))) {
  console.error(`npm pack failed:\n${pack.stderr}`)
  process.exit(1)
}
renameSync(join(packDir, tarball), join(packDir, 'symbl-sdk.tgz'))
console.log(`packed ${tarball} (${(statSync(join(packDir, 'symbl-sdk.tgz')).size / 1024).toFixed(1)} KB)`)

// The emulator from the built package, accepting only this app's id/secret.
const { startEmulator } = await import(join(root, 'dist/node/emulator.js'))
const emulator = await startEmulator({ port: 0, host: '127.0.0.1', jobDelayMs: 50, credentials })
// Every handshake of this stream id refused with 503: Bun, Deno and Workers check that the SDK sees the status
// there (test/consumers/shared/refused-handshake.js).
emulator.faults.refuseHandshakes(1_000_000, 503, /\/consumer-refused-handshake$/)

// 2a. Install, two at a time (offline from npm's cache: the tarball's dependencies are the root's).
async function install(c) {
  const t = Date.now()
  rmSync(join(c.cwd, 'node_modules/symbl-sdk'), { recursive: true, force: true })
  const r = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: c.cwd,
  })
  c.seconds = (Date.now() - t) / 1000
  if (r.code !== 0) c.error = `npm install: ${r.out.trim().split('\n').slice(-5).join(' | ')}`
}
async function inPairs(items, fn) {
  const queue = [...items]
  await Promise.all(
    [0, 1].map(async () => {
      for (let c = queue.shift(); c; c = queue.shift()) await fn(c)
    }),
  )
}
await inPairs(consumers, install)

// 2b. Build (browser apps), two at a time.
const jsFiles = (d) =>
  readdirSync(d, { recursive: true })
    .filter((f) => typeof f === 'string' && /\.m?js$/.test(f))
    .map((f) => join(d, f))
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length
async function build(c) {
  if (c.error || !(c.browser || c.server)) return
  const t = Date.now()
  const r = await run('npm', ['run', '--silent', 'build'], { cwd: c.cwd, timeoutMs: c.server ? 240_000 : 90_000 })
  c.seconds += (Date.now() - t) / 1000
  const dist = join(c.cwd, 'dist')
  if (r.code !== 0) c.error = `build: ${r.out.trim().split('\n').slice(0, 8).join(' | ')}`
  else if (c.server)
    c.built = true // its start script checks the build's client chunks
  else if (!existsSync(join(dist, 'index.html'))) c.error = 'build: no dist/index.html'
  else {
    c.built = true
    c.bytes = jsFiles(dist).reduce((n, f) => n + gz(f), 0)
    const leak = readdirSync(dist, { recursive: true }).find(
      (f) =>
        typeof f === 'string' && statSync(join(dist, f)).isFile() && readFileSync(join(dist, f), 'utf8').includes(credentials.appSecret),
    )
    if (leak) c.error = `the app secret is in the bundle (${leak})`
  }
}
await inPairs(consumers, build)

// 2c. Run: browser apps in one headless Chromium, each served by its own static server, which also
// answers /symbl-token with a token of the emulator (the secret stays on this side, as on an app's server).
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json' }
function serve(dist, fetched, csp) {
  const api = new URL(emulator.url)
  const policy = csp?.replaceAll('{api}', api.origin).replaceAll('{ws}', `ws://${api.host}`)
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    if (path === '/symbl-token') {
      const r = await fetch(`${emulator.url}/oauth2/token:generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'application', ...credentials }),
      })
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text())
      return
    }
    const file = normalize(join(dist, path === '/' ? 'index.html' : path))
    if (!file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end()
    if (/\.m?js$/.test(file)) fetched.add(file)
    res
      .writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        ...(policy ? { 'content-security-policy': policy } : {}),
      })
      .end(readFileSync(file))
  })
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)))
}

/** A 48 kHz 16-bit mono WAV: one second of 0.6 s of a 440 Hz tone (half scale) and 0.4 s of silence. */
function toneWav() {
  const rate = 48000
  const data = Buffer.alloc(rate * 2)
  for (let i = 0; i < rate * 0.6; i++) data.writeInt16LE(Math.round(16000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2)
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36)
  header.writeUInt32LE(data.length, 40)
  return Buffer.concat([header, data])
}

// Each browser app opens in headless Chromium and in Firefox ESR (Debian's, driven by playwright 1.64.1 as in
// vitest.config.ts). A missing browser is named in the report (skipped), never silently left out.
const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
const browserApps = consumers.filter((c) => c.browser && c.built && !c.error)
const browsers = []
if (browserApps.length) {
  const { chromium, firefox } = await import('playwright-core')
  // The fake microphone without a permission prompt, and audio without a user gesture. Chromium's own fake
  // device beeps for 20 ms, which the emulator's speech finder drops as clicks: it plays a file instead,
  // 0.6 s of a 440 Hz tone then 0.4 s of silence, looped, so streamed audio gives the emulator speech segments.
  // Firefox's fake device is a steady 1 kHz tone at -20 dBFS: one long segment.
  const fakeMic = join(packDir, 'fake-microphone.wav')
  writeFileSync(fakeMic, toneWav())
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    `--use-file-for-fake-audio-capture=${fakeMic}`,
  ]
  const firefoxUserPrefs = {
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'media.cubeb.force_mock_context': true,
    'media.autoplay.default': 0,
  }
  for (const [name, path, launch, install] of [
    ['Chromium', chromiumPath, () => chromium.launch({ executablePath: chromiumPath, args }), 'chromium'],
    [
      'Firefox',
      firefoxPath,
      () => firefox.launch({ channel: 'moz-firefox', executablePath: firefoxPath, firefoxUserPrefs }),
      'firefox-esr',
    ],
  ]) {
    if (existsSync(path)) browsers.push({ name, instance: await launch() })
    else
      for (const c of browserApps)
        c.skipped = [c.skipped, `${name}: none at ${path} (apt-get install -y ${install})`].filter(Boolean).join('; ')
  }
}

/** Opens the app's built page in one browser; resolves with the page's result or a failure message. */
async function openPage(c, browser, fetched) {
  const server = await serve(join(c.cwd, 'dist'), fetched, c.csp)
  const context = await browser.newContext()
  const page = await context.newPage()
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html?api=${encodeURIComponent(emulator.url)}`)
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 })
    const result = await page.evaluate(() => window.__result)
    return result.ok ? { result } : { result, error: `page: ${result.error}` }
  } catch (e) {
    return { error: `page: ${e.message.split('\n')[0]}${pageErrors.length ? ` (${pageErrors.join(' | ')})` : ''}` }
  } finally {
    await context.close()
    server.close()
  }
}

for (const c of browserApps) {
  if (!browsers.length) continue
  const t = Date.now()
  c.result = {}
  const errors = []
  for (const { name, instance } of browsers) {
    const fetched = new Set() // what the page fetched, counted in the first browser (the same files in each)
    const { result, error } = await openPage(c, instance, fetched)
    c.result[name] = result ?? null
    if (error) errors.push(`${name}: ${error}`)
    c.loadedBytes ??= [...fetched].reduce((n, f) => n + gz(f), 0)
  }
  if (errors.length) c.error = errors.join('; ')
  else {
    c.ran = true
    c.ranIn = browsers.map((b) => b.name)
  }
  c.seconds += (Date.now() - t) / 1000
}
for (const { instance } of browsers) await instance.close()

// Node apps: their `start` script, app id/secret and the emulator's address from the environment.
const du = (d) =>
  existsSync(d)
    ? readdirSync(d, { recursive: true }).reduce((n, f) => {
        const s = lstatSync(join(d, f)) // a link in .bin is not counted twice (Bun's is its binary)
        return n + (s.isFile() ? s.size : 0)
      }, 0)
    : 0
// A tool's package and the platform packages it installed (its optionalDependencies, e.g. @oven/bun-linux-x64).
const toolingBytes = (modules, name) => {
  const manifest = join(modules, name, 'package.json')
  if (!existsSync(manifest)) return 0
  const optional = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).optionalDependencies ?? {})
  return [name, ...optional].reduce((n, p) => n + du(join(modules, p)), 0)
}
for (const c of consumers.filter((c) => !c.browser && !c.check)) {
  if (c.error) continue
  c.built = true
  if (c.server && !existsSync(chromiumPath)) {
    c.skipped = `no Chromium at ${chromiumPath} (apt-get install -y chromium)`
    continue
  }
  if (!c.server) c.bytes = du(join(c.cwd, 'node_modules')) - c.tooling.reduce((n, t) => n + toolingBytes(join(c.cwd, 'node_modules'), t), 0)
  const t = Date.now()
  const r = await run('npm', ['start', '--silent'], {
    cwd: c.cwd,
    env: {
      SYMBL_APP_ID: credentials.appId,
      SYMBL_APP_SECRET: credentials.appSecret,
      SYMBL_BASE_URL: emulator.url,
      CHROMIUM_PATH: chromiumPath,
    },
    timeoutMs: c.server ? 120_000 : 60_000,
  })
  c.seconds += (Date.now() - t) / 1000
  let result
  try {
    result = JSON.parse(r.out.trim().split('\n').pop())
  } catch {}
  // An app that bundles (test/consumers/workerd) reports its bundle's size instead of node_modules.
  if (typeof result?.bundleBytesGzip === 'number')
    c.summary = `${(result.bundleBytesGzip / 1024).toFixed(1)} KB min+gzip (the Worker bundle)`
  else if (typeof result?.summary === 'string') c.summary = result.summary
  if (r.code === 0 && result?.ok) c.ran = true
  else c.error = `start (exit ${r.code}): ${r.out.trim().split('\n').slice(0, 6).join(' | ')}`
}
for (const c of consumers.filter((c) => c.check)) {
  if (c.error) continue
  const t = Date.now()
  const r = await run('npm', ['run', '--silent', 'check'], { cwd: c.cwd })
  c.seconds += (Date.now() - t) / 1000
  let result
  try {
    result = JSON.parse(r.out.trim().split('\n').pop())
  } catch {}
  c.built = c.ran = r.code === 0 && result?.ok === true
  const failures = r.out.split('\n').filter((l) => /FAIL|error/.test(l))
  if (c.ran) c.summary = `${result.cells.length} tsc runs passed, ${result.files} files`
  else c.error = `check (exit ${r.code}): ${failures.slice(0, 6).join(' | ') || r.out.trim().slice(-400)}`
}
await emulator.close()

// 3. The table, the JSON for scripts/test.mjs, the markdown for the README.
const kb = (n) => (n ? `${(n / 1024).toFixed(1)} KB` : '–')
const size = (c) =>
  c.summary ??
  (!c.bytes
    ? '–'
    : c.browser
      ? `${kb(c.bytes)} min+gzip${c.loadedBytes ? ` (${kb(c.loadedBytes)} loaded)` : ''}`
      : `${kb(c.bytes)} installed`)
const rows = consumers.map((c) => ({
  consumer: c.name,
  built: c.built ? 'yes' : 'no',
  ran: c.ran ? (c.ranIn ? `yes (${c.ranIn.join(', ')})` : 'yes') : c.skipped ? 'skipped' : 'no',
  sdk: size(c),
  seconds: (c.seconds ?? 0).toFixed(1),
}))
const head = { consumer: 'consumer', built: 'built', ran: 'ran', sdk: 'what the app ships for the SDK', seconds: 's' }
const widths = Object.keys(head).map((k) => Math.max(...[head, ...rows].map((r) => r[k].length)))
const line = (r) =>
  Object.keys(head)
    .map((k, i) => r[k].padEnd(widths[i]))
    .join('  ')
console.log(`\n${line(head)}\n${rows.map(line).join('\n')}`)
const failed = consumers.filter((c) => c.error)
for (const c of failed) console.log(`\n${c.name} failed: ${c.error}`)
for (const c of consumers.filter((c) => c.skipped)) console.log(`\n${c.name} not run: ${c.skipped}`)

const summary = {
  passed: consumers.filter((c) => c.ran && !c.error).length,
  failed: failed.length,
  skipped: consumers.filter((c) => c.skipped && !c.error).length,
  seconds: (Date.now() - started) / 1000,
  node: process.versions.node,
  consumers: consumers.map(
    ({ name, description, browser, server, check, built, ran, bytes, loadedBytes, seconds, error, skipped, summary, result }) => ({
      name,
      description,
      kind: browser ? 'browser' : server ? 'server' : check ? 'check' : 'node',
      summary: summary ?? null,
      result: result ?? null,
      built: Boolean(built),
      ran: Boolean(ran),
      bytes: bytes ?? null,
      loadedBytes: loadedBytes ?? null,
      seconds,
      error: error ?? null,
      skipped: skipped ?? null,
    }),
  ),
}
mkdirSync(join(root, 'test-results'), { recursive: true })
writeFileSync(join(root, 'test-results/consumers.json'), `${JSON.stringify(summary, null, 2)}\n`)
const md = [
  '| consumer | how | built | ran | what the app ships for the SDK |',
  '| --- | --- | --- | --- | --- |',
  ...consumers.map((c, i) => `| ${c.name} | ${c.description} | ${rows[i].built} | ${rows[i].ran} | ${rows[i].sdk} |`),
  '',
  `From \`npm run test:consumers\` on Node ${process.versions.node}: the packed tarball installed into each app of test/consumers/, built, and run against the emulator (token, \`text.process\`, \`getMessages({ sentiment: true })\`, a streaming session; browser pages in headless Chromium and Firefox ESR). Browser sizes: every JS file the production build emits, each minified by the bundler and gzipped (level 9), and in brackets what the page fetched for the round trip (in Chromium); Next.js: what the page loaded, the framework included; Node: the app's installed node_modules (the SDK and its dependencies).`,
  '',
]
writeFileSync(join(root, 'test-results/consumers.md'), md.join('\n'))
console.log(`\n${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`)
process.exit(summary.failed > 0 ? 1 : 0)
