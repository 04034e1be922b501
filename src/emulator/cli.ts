// `symbl-emulator --port 8787 [--host 127.0.0.1] [--job-delay ms]`: runs the emulator until
// SIGINT/SIGTERM, then closes sockets and the server cleanly.

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startEmulator } from './server.js'

const HELP = `Usage: symbl-emulator [--port 8787] [--host 127.0.0.1] [--job-delay ms] [--max-jobs n] [--app-id id --app-secret secret] [--account-trackers file.json]

Local emulator of the Symbl.ai API (REST + WebSocket). Any appId/appSecret pair is accepted unless
--app-id/--app-secret restrict it. --account-trackers: a JSON file with [{"name", "vocabulary": [...]}],
the account's trackers used by jobs and streams that set enableAllTrackers.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'job-delay': { type: 'string' },
      'max-jobs': { type: 'string' },
      'app-id': { type: 'string' },
      'app-secret': { type: 'string' },
      'account-trackers': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(HELP)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`)
  const jobDelayMs = values['job-delay'] !== undefined ? Number(values['job-delay']) : undefined
  if (jobDelayMs !== undefined && !(jobDelayMs >= 0)) throw new Error(`invalid --job-delay ${values['job-delay']}`)
  const credentials = values['app-id'] && values['app-secret'] ? { appId: values['app-id'], appSecret: values['app-secret'] } : undefined
  const accountTrackers = values['account-trackers'] ? (JSON.parse(readFileSync(values['account-trackers'], 'utf8')) as Array<{ name: string; vocabulary: string[] }>) : undefined
  const emulator = await startEmulator({
    accountTrackers,
    port,
    host: values.host,
    jobDelayMs,
    maxConcurrentJobs: values['max-jobs'] ? Number(values['max-jobs']) : undefined,
    credentials,
  })
  console.log(`Symbl emulator listening on ${emulator.url} (WebSocket ${emulator.wsUrl})`)
  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    console.log(`${signal}: closing the emulator`)
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((e: unknown) => {
  console.error(`symbl-emulator: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
