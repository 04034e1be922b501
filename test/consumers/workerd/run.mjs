// Bundles src/worker.js the way wrangler does (esbuild, conditions workerd/worker/browser, platform
// neutral, ESM), runs it in workerd (no nodejs_compat) with the app id/secret and the emulator's
// address as bindings, asks it for a round trip, a token and the no-credentials error, and stops it.
// Its last line is the JSON the consumer runner reads.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

const { SYMBL_APP_ID, SYMBL_APP_SECRET, SYMBL_BASE_URL } = process.env
rmSync('dist', { recursive: true, force: true })
mkdirSync('dist')
const result = await esbuild.build({
  entryPoints: ['src/worker.js'],
  bundle: true,
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'es2022',
  minify: true,
  outfile: 'dist/worker.js',
  logLevel: 'silent',
})
for (const w of result.warnings) console.error(`warning: ${w.text}`)
if (result.warnings.length) process.exit(1)
const bundle = readFileSync('dist/worker.js', 'utf8')
if (/["']node:|\bprocess\.env/.test(bundle)) throw new Error('the Worker bundle imports a node: module or reads process.env')

const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => ok(port))
  })
})
const text = (s) => JSON.stringify(String(s ?? ''))
writeFileSync(
  'dist/config.capnp',
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The emulator listens on 127.0.0.1: workerd's default outbound network allows only public addresses.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = [],
  bindings = [
    (name = "SYMBL_APP_ID", text = ${text(SYMBL_APP_ID)}),
    (name = "SYMBL_APP_SECRET", text = ${text(SYMBL_APP_SECRET)}),
    (name = "SYMBL_BASE_URL", text = ${text(SYMBL_BASE_URL)}),
  ],
  globalOutbound = "internet",
);
`,
)

const workerd = spawn('npx', ['--no-install', 'workerd', 'serve', 'dist/config.capnp'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
})
const stop = () => {
  try {
    process.kill(-workerd.pid, 'SIGTERM')
  } catch {}
}
const base = `http://127.0.0.1:${port}`
const get = async (path) => {
  const r = await fetch(base + path)
  return { status: r.status, body: await r.json() }
}
try {
  for (let i = 0; ; i++) {
    try {
      await fetch(base)
      break
    } catch (e) {
      if (i > 100 || workerd.exitCode !== null) throw new Error(`workerd did not start: ${e.message}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  const trip = await get('/round-trip')
  if (trip.status !== 200 || !trip.body.ok || trip.body.platform !== 'worker') throw new Error(`round trip: ${JSON.stringify(trip.body)}`)
  const refused = await get('/refused-handshake')
  if (refused.status !== 200 || refused.body.refused?.status !== 503) throw new Error(`refused handshake: ${JSON.stringify(refused.body)}`)
  const token = await get('/symbl-token')
  if (token.status !== 200 || typeof token.body.accessToken !== 'string') throw new Error(`token endpoint: ${JSON.stringify(token.body)}`)
  const bad = (await get('/no-credentials')).body
  for (const [where, e] of Object.entries({ client: bad.client, tokenHandler: bad.tokenHandler })) {
    if (!e?.isConfigError || !e.message.includes('env.SYMBL_APP_SECRET') || e.message.includes('symbl.conf file'))
      throw new Error(`no credentials (${where}): expected a ConfigError naming env, got ${JSON.stringify(e)}`)
  }
  console.log(
    JSON.stringify({
      ...trip.body,
      refusedHandshake: refused.body,
      token: 'ok',
      noCredentials: bad.client.name,
      bundleBytesGzip: gzipSync(bundle, { level: 9 }).length,
    }),
  )
} finally {
  stop()
}
