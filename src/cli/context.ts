// What every command needs: the client (credentials as the SDK reads them, or the emulator started
// in this process), the output, and a signal that Ctrl-C aborts so requests are cancelled, not cut.
import { findAppCredentials, Symbl } from '../node.js'
import { type CommonValues, UsageError } from './args.js'
import { Output } from './output.js'

export interface Context {
  symbl: Symbl
  out: Output
  /** Aborted by the first Ctrl-C (SIGINT) or SIGTERM. */
  signal: AbortSignal
  /** Closes what the context started (the emulator, the signal handlers). */
  close(): Promise<void>
}

/** App credentials for an in-process emulator when none are configured: it accepts any pair. */
const EMULATOR_CREDENTIALS = { appId: 'symbl-cli', appSecret: 'symbl-cli-emulator' }

export async function createContext(values: CommonValues): Promise<Context> {
  const out = new Output({ json: !!values.json, progress: values['no-progress'] ? false : values.progress })
  const controller = new AbortController()
  const interrupted = () => {
    if (controller.signal.aborted) process.exit(130) // a second Ctrl-C: the user means it
    controller.abort(new Interrupted())
  }
  process.on('SIGINT', interrupted)
  process.on('SIGTERM', interrupted)
  let closeEmulator = async () => {}
  const close = async () => {
    process.off('SIGINT', interrupted)
    process.off('SIGTERM', interrupted)
    await closeEmulator()
  }
  try {
    let baseUrl = values['base-url']
    // An explicit --config-file wins over the environment (the SDK's own order is options, then
    // environment, then files): read it here and hand its pair on as options.
    const fromFile = values['config-file'] ? findAppCredentials({ configFile: values['config-file'] }, {}) : undefined
    let credentials: { appId?: string; appSecret?: string } = fromFile ? { appId: fromFile.appId, appSecret: fromFile.appSecret } : {}
    if (values.emulator) {
      if (baseUrl !== undefined) throw new UsageError('--emulator and --base-url exclude each other: give one')
      // Loaded only here (the package's `symbl-sdk/emulator`): a run against the API never loads it.
      const { startEmulator } = await import('../emulator/index.js')
      const emulator = await startEmulator({ port: 0 })
      closeEmulator = () => emulator.close()
      baseUrl = emulator.url
      if (!findAppCredentials(credentials)) credentials = EMULATOR_CREDENTIALS
    } else if (!fromFile && !findAppCredentials({})) {
      // Said the command line's way (the SDK's own message lists its constructor options).
      throw new UsageError(
        'no Symbl credentials: set SYMBL_APP_ID and SYMBL_APP_SECRET, or put app_id and app_secret in the [credentials] section of symbl.conf (here or in your home directory), or give --config-file; --emulator runs offline without any',
      )
    }
    return { symbl: new Symbl({ ...credentials, baseUrl }), out, signal: controller.signal, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** The reason of the context's signal after Ctrl-C: exit status 130, "Cancelled." */
export class Interrupted extends Error {
  override name = 'Interrupted'
  constructor() {
    super('Cancelled.')
  }
}
