// The published types under the strictest settings a consumer may use (@tsconfig/strictest:
// exactOptionalPropertyTypes, noPropertyAccessFromIndexSignature, noUncheckedIndexedAccess, …).
// The declarations are emitted from the source into a temporary directory (as the build does), and
// a consumer file that uses the public types is type-checked against them with `tsc`. Also: every
// public type is exported under its own name (no `export { X as Y }` in the entries).
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../../..')
const TSC = join(ROOT, 'node_modules/.bin/tsc')

// @tsconfig/strictest 2.x, spelled out (the package is not a dependency).
const STRICTEST = {
  strict: true,
  allowUnusedLabels: false,
  allowUnreachableCode: false,
  exactOptionalPropertyTypes: true,
  noFallthroughCasesInSwitch: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noPropertyAccessFromIndexSignature: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  isolatedModules: true,
  checkJs: true,
  esModuleInterop: true,
  skipLibCheck: true,
}

/** A consumer of the public types: the calls with `{ signal, timeout }`, options objects, callbacks, answers. */
const CONSUMER = `
import {
  AudioNotDeliveredError,
  Symbl,
  SymblError,
  TimeoutError,
  type Conversation,
  type Logger,
  type MessagesOptions,
  type RequestOptions,
  type RetryOptions,
  type StreamingOptions,
  type StreamingState,
  type SymblOptions,
  type TokenProvider,
  type WaitOptions,
  type MediaFileOptions,
  type PstnOptions,
  type TelephonyStopResponse,
  type JobStatus,
  type SubscriptionOptions,
  type UndeliveredAudio,
} from 'symbl-sdk'

// Values that may be undefined, passed on as they are (exactOptionalPropertyTypes).
declare const maybeSignal: AbortSignal | undefined
declare const maybeTimeout: number | undefined

const logger: Logger = { warn: (message) => console.warn(message) }
const tokenProvider: TokenProvider = async ({ reason, rejectedToken }) => ({ accessToken: reason + (rejectedToken ?? ''), expiresIn: 60 })
const retry: RetryOptions = { limit: 3, baseDelayMs: 100 }
const options: SymblOptions = { baseUrl: 'http://127.0.0.1:8787', timeout: 10_000, retry, logger, tokenProvider }
const symbl = new Symbl(options)

export async function calls(): Promise<JobStatus | undefined> {
  const request: RequestOptions = { signal: maybeSignal, timeout: maybeTimeout }
  const messagesOptions: MessagesOptions = { sentiment: true, ...request }
  const conversation: Conversation = await symbl.text.process({ messages: [{ payload: { content: 'Hello' } }] }, { wait: false, ...request })
  const { messages } = await conversation.getMessages(messagesOptions)
  const first = messages[0]
  if (first) console.log(first.text, first.from?.name, first.sentiment?.polarity.score)
  await symbl.conversations.getMembers(conversation.conversationId, { timeout: false })
  await conversation.putMembers('member', { name: 'Ana' }, { signal: AbortSignal.timeout(1000) })
  await conversation.getFormattedTranscript({ contentType: 'text/srt', timeout: 5000 })
  const wait: WaitOptions = { waitTimeout: 60_000, pollInterval: { initialMs: 500 }, onStatus: (status) => console.log(status), ...request }
  await conversation.wait(wait)
  const file: MediaFileOptions = { contentType: 'audio/wav', parameters: { enableSpeakerDiarization: true, diarizationSpeakerCount: 2 }, ...request }
  await symbl.audio.processFile(new Uint8Array(44), file)
  const pstn: PstnOptions = { phoneNumber: '14085550100', ...request }
  const call = await symbl.telephony.startPstn(pstn)
  await call.pushSpeakerEvent({ type: 'joined', user: { name: 'Ana' } }, request)
  // The public field's type is exported under its own name.
  const socketOptions: SubscriptionOptions = symbl.telephony.socketOptions
  symbl.telephony.socketOptions = { ...socketOptions, openTimeoutMs: 10_000, reconnect: { maxAttempts: 3 } }
  const stopped: TelephonyStopResponse = await symbl.telephony.stop(call.connectionId, request)
  console.log(stopped.connectionId, stopped['anything'])
  const streaming: StreamingOptions = { insightTypes: ['question'], timeout: 15_000, signal: maybeSignal }
  const connection = await symbl.streaming.startConnection(streaming)
  const state: StreamingState = connection.state
  console.log(state)
  // A connection's calls end with the same options object.
  await connection.modify({ sampleRateHertz: 8000 }, request)
  await connection.drain({ timeout: false, signal: maybeSignal })
  try {
    await connection.stop(request)
  } catch (error) {
    // The error's fields are the UndeliveredAudio counts.
    const lost: UndeliveredAudio | undefined = error instanceof AudioNotDeliveredError ? error : undefined
    console.log(lost?.undeliveredMs)
  }
  await call.stop({ timeout: maybeTimeout })
  // @ts-expect-error a number is neither options nor (deprecated) an AbortSignal
  await symbl.telephony.stop(call.connectionId, 5)
  // @ts-expect-error query flags are booleans
  await conversation.getMessages({ sentiment: 'yes' })
  try {
    return await conversation.getJobStatus({ timeout: 1000 })
  } catch (error) {
    if (error instanceof TimeoutError || error instanceof SymblError) console.log(error.code)
    return undefined
  }
}
`

let dir: string

/** Type-checks `source` as a consumer file under the strictest settings; the compiler's output, '' when clean. */
async function check(name: string, source: string): Promise<string> {
  await writeFile(join(dir, name), source)
  await writeFile(
    join(dir, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        ...STRICTEST,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'],
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        noEmit: true,
        paths: { 'symbl-sdk': [join(dir, 'types/node.d.ts')] },
      },
      files: [name],
    }),
  )
  return run(TSC, ['--noEmit', '-p', join(dir, `tsconfig.${name}.json`)], { cwd: dir }).then(
    () => '',
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  )
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbl-strictest-'))
  // The declarations as the build emits them (tsconfig.build.json), from the current source.
  await run(TSC, ['-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'types')], { cwd: ROOT })
}, 60_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('types under @tsconfig/strictest', () => {
  it('a consumer using the public types type-checks against the emitted declarations', async () => {
    expect(await check('consumer.ts', CONSUMER)).toBe('')
  }, 60_000)

  it('a consumer that passes a wrong type is refused (the check can fail)', async () => {
    const wrong = `import { Symbl } from 'symbl-sdk'\nexport const p = new Symbl().conversations.getMembers('1', { timeout: 'soon' })\n`
    expect(await check('wrong.ts', wrong)).toMatch(/wrong\.ts.*error TS2322/s)
  }, 60_000)
})

describe('public names', () => {
  it('the entries export every public type under its own name: no `export { X as Y }`', async () => {
    for (const entry of ['index.ts', 'node.ts', 'browser.ts', 'cdn.ts']) {
      const source = await readFile(join(ROOT, 'src', entry), 'utf8')
      const exports = source.match(/export (type )?\{[^}]*\}/g) ?? []
      for (const list of exports) expect(list, `src/${entry}`).not.toMatch(/\bas\b/)
    }
  })
})
