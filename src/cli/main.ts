// `symbl`: the command line. Built only on the SDK's public API (src/node.ts), in its own entry
// (dist/node/cli.js), so nothing here reaches a browser bundle.
// Exit status: 0 success, 1 an API or job failure, 2 a usage or configuration error (what to fix
// is on the command line or in the credentials), 130 after Ctrl-C.
import { ConfigError, SymblError, ValidationError } from '../node.js'
import { COMMON_HELP, parse, UsageError } from './args.js'
import * as conversation from './commands/conversation.js'
import * as processCommand from './commands/process.js'
import * as sentiment from './commands/sentiment.js'
import * as stream from './commands/stream.js'
import * as token from './commands/token.js'
import { type Context, createContext, Interrupted } from './context.js'

interface Command {
  USAGE: string
  HELP: string
  run(ctx: Context, args: string[]): Promise<void>
}

const COMMANDS: Record<string, Command> = { process: processCommand, conversation, sentiment, stream, token }

const HELP = `Usage: symbl <command> [options]

Commands:
  ${processCommand.USAGE}
  ${conversation.USAGE}
  ${sentiment.USAGE}
  ${stream.USAGE}
  ${token.USAGE}

${COMMON_HELP}

Credentials: SYMBL_APP_ID and SYMBL_APP_SECRET, else symbl.conf ([credentials] app_id, app_secret)
in the current directory, then your home directory. --emulator needs none.
'symbl <command> --help' describes a command. Exit status: 0 success, 1 API or job failure,
2 usage or configuration error, 130 interrupted.`

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(args[0] && COMMANDS[args[0]] ? `${COMMANDS[args[0]].HELP}\n\n${COMMON_HELP}` : HELP)
    return name === undefined ? 2 : 0
  }
  if (name === '--version') {
    console.log(await version())
    return 0
  }
  const command = COMMANDS[name]
  let ctx: Context | undefined
  let verbose = args.includes('--verbose') || args.includes('-v')
  try {
    if (!command) throw new UsageError(`unknown command "${name}": give one of ${Object.keys(COMMANDS).join(', ')} (symbl --help)`)
    // The common options first, to know --help, --json and the client's settings; the command parses again with its own.
    const { values } = parse(args, knownOptions(command))
    verbose = !!values.verbose
    if (values.help) {
      console.log(`${command.HELP}\n\n${COMMON_HELP}`)
      return 0
    }
    ctx = await createContext(values)
    await command.run(ctx, args)
    return 0
  } catch (error) {
    return report(error, verbose, ctx)
  } finally {
    await ctx?.close()
  }
}

/** The command's own options, so the first parse knows them (their values are read by the command). */
function knownOptions(command: Command): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  return (command as Command & { OPTIONS?: Record<string, { type: 'string' | 'boolean'; short?: string }> }).OPTIONS ?? {}
}

/** One plain line naming what to fix; the stack only with --verbose. Returns the exit status. */
function report(error: unknown, verbose: boolean, ctx: Context | undefined): number {
  const write = (line: string) => (ctx ? ctx.out.error(line) : process.stderr.write(`${line}\n`))
  // After Ctrl-C, whatever failed failed because of it (requests are cancelled with the signal).
  if (error instanceof Interrupted || ctx?.signal.aborted) {
    write('symbl: cancelled.')
    return 130
  }
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof UsageError) {
    write(`symbl: ${message}`)
    return 2
  }
  write(`symbl: ${message}`)
  if (verbose && error instanceof Error && error.stack) write(error.stack)
  // Bad input and missing configuration are fixed by the user; anything else the API or job did.
  return error instanceof ValidationError || error instanceof ConfigError ? 2 : error instanceof SymblError ? 1 : 1
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}
