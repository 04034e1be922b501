import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { redact } from '../logger.js'
import type { AppCredentials } from './app-token.js'
import type { CredentialOptions } from './types.js'

export type { CredentialOptions }

export type CredentialSource = 'options' | 'environment' | 'symbl.conf'

export const NO_CREDENTIALS =
  'No Symbl credentials found. Give them in one of these ways: the `tokenProvider` option (a function returning a token), ' +
  'the `accessToken` option, the `appId` and `appSecret` options, the SYMBL_APP_ID and SYMBL_APP_SECRET environment variables, ' +
  'or a symbl.conf file in the current directory or your home directory with a [credentials] section holding app_id and app_secret'

/** What `createTokenHandler` says without credentials: it makes tokens, so only the app id and secret will do. */
export const NO_APP_CREDENTIALS =
  'createTokenHandler found no Symbl app credentials: it makes tokens from your app id and secret (from the Symbl platform). ' +
  'Give them as the `appId` and `appSecret` options, the SYMBL_APP_ID and SYMBL_APP_SECRET environment variables, ' +
  'or a symbl.conf file in the current directory or your home directory with a [credentials] section holding app_id and app_secret'

/**
 * The REST base URL on a server: the `baseUrl` option when given (the client checks it), else the
 * SYMBL_BASE_URL environment variable (checked here, so the error names it), else undefined (the
 * client's default). An empty variable counts as unset, as shells often leave one.
 */
export function findBaseUrl(baseUrl: string | undefined, env: Record<string, string | undefined> = process.env): string | undefined {
  if (baseUrl !== undefined) return baseUrl
  const value = env.SYMBL_BASE_URL?.trim()
  if (!value) return undefined
  const fix = 'set it to the API address, e.g. https://api.symbl.ai or http://127.0.0.1:8787 for the emulator, or unset it'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // Quoted without any user info: what precedes an `@` may be a password.
    throw new ConfigError(
      `The SYMBL_BASE_URL environment variable (${JSON.stringify(redact(value.replace(/^([^/]*\/\/)[^/]*@/, '$1…@')))}) is not a valid URL: ${fix}`,
    )
  }
  // As for the baseUrl option: fetch would quote a URL's password in every error message.
  if (url.username || url.password) {
    throw new ConfigError(
      `The SYMBL_BASE_URL environment variable must not contain a user name or password (user:password@): Symbl authenticates with tokens; ${fix}`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`The SYMBL_BASE_URL environment variable must start with http: or https:, got ${url.protocol}: ${fix}`)
  }
  if (url.search || url.hash)
    throw new ConfigError(`The SYMBL_BASE_URL environment variable must not have a query string or fragment: ${fix}`)
  return value
}

/**
 * Finds app credentials the way the Python SDK does, plus environment variables: options first,
 * then SYMBL_APP_ID/SYMBL_APP_SECRET, then `symbl.conf` in the current directory (only if it holds
 * both keys), then `~/symbl.conf`.
 */
export function findAppCredentials(
  options: CredentialOptions,
  env: Record<string, string | undefined> = process.env,
): (AppCredentials & { source: CredentialSource }) | undefined {
  const fromOptions = pair(options.appId, options.appSecret, 'the appId and appSecret options')
  if (fromOptions) return { ...fromOptions, source: 'options' }
  const fromEnv = pair(env.SYMBL_APP_ID, env.SYMBL_APP_SECRET, 'SYMBL_APP_ID and SYMBL_APP_SECRET')
  if (fromEnv) return { ...fromEnv, source: 'environment' }
  const files = options.configFile
    ? [options.configFile]
    : [...currentDir().map((dir) => join(dir, 'symbl.conf')), join(homedir(), 'symbl.conf')]
  for (const file of files) {
    const creds = readConf(file, Boolean(options.configFile))
    if (creds) return { ...creds, source: 'symbl.conf' }
  }
  return undefined
}

/** The current directory, or none when it was deleted under the process (`process.cwd()` then throws ENOENT). */
function currentDir(): string[] {
  try {
    return [process.cwd()]
  } catch {
    return []
  }
}

function pair(appId: string | undefined, appSecret: string | undefined, where: string): AppCredentials | undefined {
  const id = appId?.trim()
  const secret = appSecret?.trim()
  if (!id && !secret) return undefined
  if (!id || !secret) {
    throw new ConfigError(`Only ${id ? 'the app id' : 'the app secret'} was given in ${where}; both are needed`)
  }
  return { appId: id, appSecret: secret }
}

function readConf(file: string, required: boolean): AppCredentials | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (required) throw new ConfigError(`Cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`)
    return undefined
  }
  const values = parseIni(text).credentials ?? {}
  if (values.app_id && values.app_secret) return { appId: values.app_id, appSecret: values.app_secret }
  if (required) throw new ConfigError(`${file} has no [credentials] section with both app_id and app_secret`)
  return undefined
}

/** A small INI reader covering what Python's configparser accepts in symbl.conf. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {}
  let current: Record<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[(.+)\]$/.exec(line)
    if (header) {
      current = sections[header[1].trim()] ??= {}
      continue
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
    if (kv && current) current[kv[1].toLowerCase()] = kv[2].trim()
  }
  return sections
}
