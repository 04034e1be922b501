// The command line's arguments: Node's own `util.parseArgs` (strict: an unknown option is an
// error, not ignored), the options every command shares, and the usage error (exit status 2).
import { parseArgs } from 'node:util'

/** A wrong command line: printed as one line naming the fix, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean }

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  'base-url': { type: 'string' },
  emulator: { type: 'boolean' },
  'config-file': { type: 'string' },
  // Only to say why it is refused (see `parse`): without it, parseArgs would call it unknown.
  'app-secret': { type: 'string' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>

export const COMMON_HELP = `Options of every command:
  --json               machine-readable output only (stdout), no progress
  --base-url <url>     the API address (else SYMBL_BASE_URL, else https://api.symbl.ai)
  --emulator           run against the local emulator, started in this process (offline)
  --config-file <path> read this symbl.conf ([credentials] app_id, app_secret) instead of
                       SYMBL_APP_ID/SYMBL_APP_SECRET, ./symbl.conf or ~/symbl.conf; an app secret
                       is never taken from the command line
  --progress           show progress on stderr even when it is not a terminal (--no-progress: never)
  -v, --verbose        print stack traces of errors
  -h, --help           this help`

export type CommonValues = {
  json?: boolean | undefined
  verbose?: boolean | undefined
  help?: boolean | undefined
  'base-url'?: string | undefined
  emulator?: boolean | undefined
  'config-file'?: string | undefined
  progress?: boolean | undefined
  'no-progress'?: boolean | undefined
}

export interface Parsed<V> {
  values: V & CommonValues
  positionals: string[]
}

/** Parses `args` with the common options plus `options`; parseArgs' own complaints become usage errors. */
export function parse<O extends Record<string, OptionSpec>>(
  args: string[],
  options: O,
): Parsed<{ [K in keyof O]?: O[K]['type'] extends 'string' ? (O[K]['multiple'] extends true ? string[] : string) : boolean }> {
  let parsed: { values: Record<string, unknown>; positionals: string[] }
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e))
  }
  if (parsed.values['app-secret'] !== undefined) {
    // Never echoed: it is a secret. On a command line it lands in shell history and `ps` output.
    throw new UsageError(
      '--app-secret is not accepted on the command line (other users can read it in the process list): set SYMBL_APP_SECRET or put it in symbl.conf',
    )
  }
  return parsed as never
}

/** A positive integer option, or a usage error naming the option. */
export function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer (got "${value}")`)
  return n
}

/** Exactly `count` positionals, or a usage error that shows the command's usage line. */
export function expectPositionals(positionals: string[], count: number, usage: string): string[] {
  if (positionals.length < count) throw new UsageError(`missing argument: ${usage}`)
  if (positionals.length > count) throw new UsageError(`unexpected argument "${positionals[count]}": ${usage}`)
  return positionals
}
