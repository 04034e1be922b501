// `npm run demo`: the local emulator (unless SYMBL_APP_ID and SYMBL_APP_SECRET are set), the demo
// server (token endpoint, config) and the demo page on vite's dev server; prints the page's URL.
//
//   npm run demo                                   # everything local and offline
//   SYMBL_APP_ID=… SYMBL_APP_SECRET=… npm run demo # the real API (SYMBL_BASE_URL to override it)
//   npm run demo -- --port 0 --emulator-port 0     # free ports (tests)
//
// Flags (or env): --port (DEMO_PORT, 5173), --emulator-port (EMULATOR_PORT, 8787),
// --server-port (DEMO_SERVER_PORT, 0 = free), --host (DEMO_HOST, 127.0.0.1), --no-watch (no hot reload).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createServer, type ViteDevServer } from 'vite'
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js'
import { LIVE_ID_PREFIX, LIVE_SCRIPT, startDemoServer, type RunningDemoServer } from './server.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`)
  return n
}

/** What the demo talks to, said as it is: credentials in the environment do not make a local server Symbl. */
function describeApi(baseUrl: string): string {
  let host = ''
  try {
    host = new URL(baseUrl).hostname
  } catch {}
  if (/^(api\.symbl\.ai)$/i.test(host)) return `the Symbl API at ${baseUrl} (credentials from SYMBL_APP_ID/SYMBL_APP_SECRET)`
  if (/^(localhost|127(\.\d+){3}|\[::1\])$/i.test(host))
    return `a local API at ${baseUrl} (not the real Symbl API: an emulator or your own server; credentials from SYMBL_APP_ID/SYMBL_APP_SECRET)`
  return `a Symbl-compatible API at ${baseUrl} (credentials from SYMBL_APP_ID/SYMBL_APP_SECRET)`
}

/** A port already taken becomes one line naming the flag that picks another, not a stack. */
function portInUse(error: unknown, port: number, flag: string, hint = ''): never {
  if ((error as { code?: unknown })?.code === 'EADDRINUSE' || /already in use/i.test(String((error as Error)?.message)))
    throw new Error(
      `port ${port} is already in use${hint}. Stop what uses it, or choose another port: npm run demo -- ${flag} <port> (0 picks a free one)`,
    )
  throw error
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'emulator-port': { type: 'string' },
      'server-port': { type: 'string' },
      host: { type: 'string' },
      'no-watch': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log('Usage: npm run demo -- [--port 5173] [--emulator-port 8787] [--server-port 0] [--host 127.0.0.1] [--no-watch]')
    return
  }
  const env = process.env
  const host = values.host ?? env.DEMO_HOST ?? '127.0.0.1'
  const pagePort = port(values.port ?? env.DEMO_PORT, 5173, '--port')
  const emulatorPort = port(values['emulator-port'] ?? env.EMULATOR_PORT, 8787, '--emulator-port')
  const serverPort = port(values['server-port'] ?? env.DEMO_SERVER_PORT, 0, '--server-port')
  // --no-watch: no file watching and no hot reload (tests; a page must not reload in the middle of a stream).
  const watch = !values['no-watch']

  const closers: Array<() => Promise<unknown>> = []
  let closing = false
  const shutdown = async (code: number): Promise<void> => {
    if (closing) return
    closing = true
    for (const close of closers.reverse()) await close().catch(() => {})
    process.exit(code)
  }
  process.on('SIGINT', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))

  try {
    // The CDN page needs the IIFE bundle.
    const cdnBundlePath = resolve(root, 'dist/cdn/symbl.iife.js')
    if (!existsSync(cdnBundlePath)) {
      console.log('Building the SDK (dist/cdn/symbl.iife.js is missing)…')
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
    }

    const real = Boolean(env.SYMBL_APP_ID && env.SYMBL_APP_SECRET)
    let emulator: RunningEmulator | undefined
    if (!real) {
      emulator = await startEmulator({ port: emulatorPort, host: '127.0.0.1', jobDelayMs: 300 }).catch((error: unknown) =>
        portInUse(
          error,
          emulatorPort,
          '--emulator-port',
          " (is `npm run emulator` running? The demo starts its own emulator, with the demo's script preloaded)",
        ),
      )
      closers.push(() => emulator!.close())
      // No speech recognizer in the emulator: Live connections of this demo play a short script.
      emulator.core.preloadTranscript(
        (ctx) => ctx.kind === 'streaming' && Boolean(ctx.connectionId?.startsWith(LIVE_ID_PREFIX)),
        LIVE_SCRIPT,
      )
    }
    const baseUrl = real ? (env.SYMBL_BASE_URL ?? 'https://api.symbl.ai') : emulator!.url
    const demoServer: RunningDemoServer = await startDemoServer({
      baseUrl,
      // The emulator accepts any pair; these never leave this process.
      appId: real ? env.SYMBL_APP_ID! : 'demo-app-id',
      appSecret: real ? env.SYMBL_APP_SECRET! : 'demo-app-secret',
      mode: real ? 'symbl' : 'emulator',
      cdnBundlePath,
      port: serverPort,
      host: '127.0.0.1',
    })
    closers.push(() => demoServer.close())

    const proxy = Object.fromEntries(['/symbl-token', '/demo-config', '/symbl.iife.js'].map((p) => [p, demoServer.url]))
    const vite: ViteDevServer = await createServer({
      root: here,
      configFile: false,
      logLevel: 'warn',
      clearScreen: false,
      cacheDir: resolve(root, 'node_modules/.vite-demo'),
      server: { port: pagePort, host, strictPort: pagePort !== 0, proxy, ...(watch ? {} : { hmr: false, watch: null }) },
      // The page imports the SDK by its package name, as an app would; here it is the browser entry's source.
      resolve: { alias: { 'symbl-sdk': resolve(root, 'src/browser.ts') } },
      optimizeDeps: { entries: ['index.html'], include: ['ky', 'eventemitter3'] },
    })
    closers.push(() => vite.close())
    await vite.listen().catch((error: unknown) => portInUse(error, pagePort, '--port'))
    const address = vite.httpServer?.address()
    const actualPort = typeof address === 'object' && address ? address.port : pagePort
    const shownHost = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host
    console.log(real ? `API: ${describeApi(baseUrl)}` : `Emulator: ${emulator!.url}`)
    console.log(`Token endpoint: ${demoServer.url}/symbl-token`)
    console.log(`Demo: http://${shownHost}:${actualPort}/`)
    console.log(`CDN page: http://${shownHost}:${actualPort}/cdn.html`)
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`)
    await shutdown(1)
  }
}

void main()
