// `symbl-emulator --port 8787 [--host 127.0.0.1] [--job-delay ms]`: runs the emulator until
// SIGINT/SIGTERM, then closes sockets and the server cleanly.

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startEmulator } from './server.js'
import { readTranscripts, type TranscriptSet } from './transcripts-file.js'

const HELP = `Usage: symbl-emulator [--port 8787] [--host 127.0.0.1] [--job-delay ms] [--max-jobs n] [--app-id id --app-secret secret] [--account-trackers file.json] [--allow-host name]... [--transcripts file.jsonl|dir]...

Local emulator of the Symbl.ai API (REST + WebSocket). Any appId/appSecret pair is accepted unless
--app-id/--app-secret restrict it. --account-trackers: a JSON file with [{"name", "vocabulary": [...]}],
the account's trackers used by jobs and streams that set enableAllTrackers. --allow-host: a further
Host header name to answer (by default only localhost, 127.0.0.1, [::1] and the --host are; this
refuses DNS-rebinding pages). --transcripts: what was said (the emulator has no speech recognizer), as
JSON Lines, one transcript line per line: {"key": "conn-123", "text": "Hello", "speaker": {"name": "Jane"},
"start": 0.2, "end": 1.4}; key: a streaming connectionId, an upload's name, a URL, a conversation id or a
phone number; start/end (seconds) optional; "once": true for one use. A folder: its *.jsonl/*.json files.`

function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'job-delay': { type: 'string' },
      'max-jobs': { type: 'string' },
      'app-id': { type: 'string' },
      'app-secret': { type: 'string' },
      'account-trackers': { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      transcripts: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

/** A wrong command line: one line naming the fix, exit status 2 (the usual usage-error status). */
class UsageError extends Error {}

/** Every --transcripts file read before the emulator starts: a bad line stops it with file:line. */
function transcripts(paths: string[] | undefined): TranscriptSet[] {
  return (paths ?? []).flatMap((path) => readTranscripts(path))
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse()
  } catch (e) {
    // parseArgs' own errors (unknown option, missing value) are usage errors too.
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
  const { values } = parsed
  if (values.help) {
    console.log(HELP)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be an integer from 0 to 65535 (got "${values.port}")`)
  const jobDelayMs = values['job-delay'] !== undefined ? Number(values['job-delay']) : undefined
  if (jobDelayMs !== undefined && !(jobDelayMs >= 0 && jobDelayMs <= 2_147_483_647))
    throw new UsageError(`--job-delay must be a number of milliseconds from 0 to 2147483647 (got "${values['job-delay']}")`)
  const maxJobs = values['max-jobs'] !== undefined ? Number(values['max-jobs']) : undefined
  if (maxJobs !== undefined && !(Number.isInteger(maxJobs) && maxJobs >= 1))
    throw new UsageError(`--max-jobs must be a positive integer (got "${values['max-jobs']}")`)
  // One without the other used to be ignored silently: the emulator then accepted any pair.
  // (The values are never echoed: the secret must not reach a terminal log.)
  const appId = values['app-id']
  const appSecret = values['app-secret']
  if ((appId === undefined) !== (appSecret === undefined) || appId === '' || appSecret === '') {
    throw new UsageError(
      appId
        ? '--app-id needs --app-secret too (give both to accept only that pair, or neither to accept any pair)'
        : '--app-secret needs --app-id too (give both to accept only that pair, or neither to accept any pair)',
    )
  }
  const credentials = appId && appSecret ? { appId, appSecret } : undefined
  const accountTrackers = values['account-trackers']
    ? (JSON.parse(readFileSync(values['account-trackers'], 'utf8')) as Array<{ name: string; vocabulary: string[] }>)
    : undefined
  const preloads = transcripts(values.transcripts)
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  try {
    emulator = await startEmulator({
      accountTrackers,
      port,
      host: values.host,
      jobDelayMs,
      maxConcurrentJobs: maxJobs,
      credentials,
      allowedHosts: values['allow-host'],
    })
  } catch (e) {
    const code = (e as { code?: unknown }).code
    if (code === 'EADDRINUSE')
      throw new Error(`port ${port} on ${values.host} is already in use: choose another with --port (or --port 0 for any free port)`)
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new Error(`cannot listen on host "${values.host}": choose a local interface with --host (e.g. 127.0.0.1)`)
    throw e
  }
  // In file order, so a later line for the same key wins, as with preloadTranscript.
  for (const set of preloads) emulator.core.preloadTranscript(set.key, set.messages, { once: set.once })
  if (preloads.length) {
    const lines = preloads.reduce((n, s) => n + s.messages.length, 0)
    console.log(`Preloaded ${lines} transcript line${lines === 1 ? '' : 's'} for ${preloads.length} key${preloads.length === 1 ? '' : 's'}`)
  }
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
  // One plain line, never a stack: usage errors exit 2, others 1.
  console.error(`symbl-emulator: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(e instanceof UsageError ? 2 : 1)
})
