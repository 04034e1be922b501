// Runs every script of examples/ as a user would (`npx tsx examples/<name>.ts`, credentials and base
// URL from the environment) against a started emulator, and checks what it prints. The scripts
// import `symbl-sdk`, i.e. the built package (npm test builds first).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TelephonyApi } from '../../src/index.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'

const ROOT = resolve(import.meta.dirname, '../..')
const SAMPLE = 'two-speakers-8k.wav'
const LINES = [
  { text: 'What issues are you facing with your phone?', speaker: { name: 'Surbhi', userId: 'surbhi@example.com' } },
  { text: 'There is a lot of white noise on every call.', speaker: { name: 'Anthony', userId: 'anthony@example.com' } },
  { text: 'I will send a technician tomorrow at one PM.', speaker: { name: 'Surbhi', userId: 'surbhi@example.com' } },
]

let emulator: RunningEmulator

function run(script: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, SYMBL_BASE_URL: emulator.url, SYMBL_APP_ID: 'example-app-id', SYMBL_APP_SECRET: 'example-app-secret' }
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${script}`, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c))
  child.stderr.on('data', (c: Buffer) => (stderr += c))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

async function ok(script: string, ...args: string[]): Promise<string> {
  const r = await run(script, ...args)
  expect(r.code, `${script} exited ${r.code}\n${r.stderr}\n${r.stdout}`).toBe(0)
  return r.stdout
}

describe('examples/ against the emulator', () => {
  beforeAll(async () => {
    if (!existsSync(resolve(ROOT, 'dist/node/index.js')))
      throw new Error('The examples import `symbl-sdk` (dist/): run `npm run build` first')
    emulator = await startEmulator({ jobDelayMs: 20 })
    // The emulator has no speech recognizer: say what the sample recording contains.
    emulator.core.preloadTranscript(SAMPLE, LINES) // uploads named after the file
    emulator.core.preloadTranscript((ctx) => ctx.kind === 'audio' && Boolean(ctx.url?.endsWith(`/${SAMPLE}`)), LINES)
    emulator.core.preloadTranscript(
      (ctx) => ctx.kind === 'streaming',
      [
        { ...LINES[0], start: 0.1, end: 2.5 },
        { ...LINES[1], start: 3.2, end: 5.6 },
        { text: 'Can you send me the invoice by Friday?', speaker: LINES[2].speaker, start: 6.2, end: 9.0 },
      ],
    )
    emulator.core.preloadTranscript('14087778888', [
      { text: 'Hello from the phone call.', speaker: { name: 'Caller' }, start: 0.1, end: 0.5 },
      { text: 'Can you send me the agenda?', speaker: { name: 'Host' }, start: 0.6, end: 1.0 },
    ])
  })

  afterAll(async () => {
    await emulator?.close()
  })

  it('process-text.ts: the Text API example prints the transcript', async () => {
    const out = await ok('process-text.ts')
    expect(out).toContain('Surbhi Rathore')
    expect(out).toContain('Hi Anthony. I saw your complaints about bad call reception')
    expect(out).toContain('Anthony Claudia')
  })

  it('process-audio-file.ts: uploads the sample recording and prints its transcript', async () => {
    const out = await ok('process-audio-file.ts')
    for (const line of LINES) expect(out).toContain(line.text)
    expect(out).toContain("name: 'Anthony'")
  })

  it('process-audio-file.ts: a missing file fails with a clear message', async () => {
    const r = await run('process-audio-file.ts', 'no-such-file.wav')
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/no-such-file\.wav/)
  })

  it('process-audio-url.ts: processes a URL (the sample, served on loopback)', async () => {
    const out = await ok('process-audio-url.ts')
    for (const line of LINES) expect(out).toContain(line.text)
  })

  it('conversation-insights.ts: reads messages, the conversation, action items, follow-ups, members, topics, questions', async () => {
    const out = await ok('conversation-insights.ts')
    for (const label of ['messages:', 'conversation:', 'action items:', 'follow ups:', 'members:', 'topics:', 'questions:'])
      expect(out).toContain(label)
    expect(out).toContain('What time works for the design review?')
    // The question shows up under questions, after the other sections.
    expect(out.slice(out.indexOf('questions:'))).toContain('What time works for the design review?')
  })

  it('streaming-wav.ts: streams the WAV, prints live results, stops and reads the conversation', async () => {
    const out = await ok('streaming-wav.ts')
    expect(out).toMatch(/connected: conversationId \d+/)
    expect(out).toContain('recognition result: What issues are you facing with your phone?')
    expect(out).toContain('message response: Anthony: There is a lot of white noise on every call.')
    expect(out).toMatch(/insight response: action_item Can you send me the invoice by Friday\?/)
    expect(out).toContain("text: 'Can you send me the invoice by Friday?'")
  })

  it.skipIf(typeof (TelephonyApi.prototype as { startPstn?: unknown }).startPstn !== 'function')(
    'telephony-pstn.ts: starts a call, prints live results, stops it and reads the conversation',
    async () => {
      const out = await ok('telephony-pstn.ts', '14087778888', '2.5')
      expect(out).toMatch(/call started: connectionId \S+, conversationId \d+/)
      expect(out).toContain('message response: Caller: Hello from the phone call.')
      expect(out).toContain('call stopped')
      expect(out).toContain("text: 'Can you send me the agenda?'")
    },
  )
})
