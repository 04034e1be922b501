// The `symbl` command line as a user runs it: the built binary (`node dist/node/cli.js`, which
// `npm test` builds first) against a real emulator, with credentials from the environment, a home
// and a working directory of its own (no symbl.conf found by accident).
import { type ChildProcess, spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
  closeSync,
  copyFileSync,
} from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer, request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js'
import { speakerSentiment } from '../../../src/index.js'
import { wav } from '../../fixtures/wav.js'

const ROOT = resolve(import.meta.dirname, '../../..')
const CLI = resolve(ROOT, 'dist/node/cli.js')
const SAMPLE = resolve(ROOT, 'test/fixtures/two-speakers-8k.wav')
const SECRET = 'cli-test-secret-5f2c9a71'
const LINES = [
  {
    text: 'What issues are you facing with your phone? I am sorry it has been awful.',
    speaker: { name: 'Surbhi', userId: 'surbhi@example.com' },
  },
  { text: 'There is a lot of terrible white noise on every call, I hate it.', speaker: { name: 'Anthony', userId: 'anthony@example.com' } },
  { text: 'I will send a technician tomorrow at one PM, great news.', speaker: { name: 'Surbhi', userId: 'surbhi@example.com' } },
]
const TEXT = {
  messages: [
    { payload: { content: 'Hi Bob, can you send me the quarterly report by Friday?' }, from: { name: 'Ana', userId: 'ana@example.com' } },
    {
      payload: { content: 'Sure. I love how the numbers look this quarter, great work.' },
      from: { name: 'Bob', userId: 'bob@example.com' },
    },
    {
      payload: { content: "That is terrible news about the budget. Let's schedule a follow up meeting next week." },
      from: { name: 'Ana', userId: 'ana@example.com' },
    },
  ],
}

let emulator: RunningEmulator
let dir: string

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function start(args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<Run> } {
  const base: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' }
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...base, SYMBL_BASE_URL: emulator.url, SYMBL_APP_ID: 'cli-test-app', SYMBL_APP_SECRET: SECRET, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c: Buffer) => (stdout += c))
  child.stderr?.on('data', (c: Buffer) => (stderr += c))
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  return { child, done }
}

const run = (args: string[], env?: Record<string, string | undefined>) => start(args, env).done

async function ok(args: string[], env?: Record<string, string | undefined>): Promise<string> {
  const r = await run(args, env)
  expect(r.code, `symbl ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout}`).toBe(0)
  expect(r.stderr + r.stdout).not.toContain(SECRET)
  return r.stdout
}

/** Resolves once the child's stderr contains `text`. */
function stderrContains(child: ChildProcess, text: string): Promise<void> {
  let seen = ''
  return new Promise((resolve) => {
    child.stderr?.on('data', (c: Buffer) => {
      seen += c
      if (seen.includes(text)) resolve()
    })
  })
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('The CLI tests run dist/node/cli.js: run `npm run build` first')
  dir = mkdtempSync(join(tmpdir(), 'symbl-cli-'))
  emulator = await startEmulator({ jobDelayMs: 20 })
  // The emulator has no speech recognizer: it is told what the recording says.
  emulator.core.preloadTranscript('call.wav', LINES)
  copyFileSync(SAMPLE, join(dir, 'call.wav'))
  writeFileSync(join(dir, 'text.json'), JSON.stringify(TEXT))
  writeFileSync(join(dir, 'bad.json'), '{"messages": [')
})

afterAll(async () => {
  await emulator?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('symbl: help and usage errors', () => {
  it('--help lists every command and exits 0; no command prints it and exits 2; each command has --help', async () => {
    const help = await ok(['--help'])
    for (const c of ['process', 'conversation', 'sentiment', 'stream', 'token']) expect(help).toContain(`symbl ${c}`)
    expect((await run([])).code).toBe(2)
    for (const c of ['process', 'conversation', 'sentiment', 'stream', 'token']) {
      const text = await ok([c, '--help'])
      expect(text).toContain(`Usage: symbl ${c}`)
      expect(text).toContain('--emulator')
    }
  })

  it.each([
    [['nope'], /unknown command "nope"/],
    [['process'], /missing argument: symbl process/],
    [['process', 'call.wav', '--bogus'], /Unknown option '--bogus'/],
    [['process', 'call.wav', '--speakers', '0'], /--speakers must be a positive integer/],
    [['process', 'missing.wav'], /cannot read missing.wav: no such file/],
    [['process', 'bad.json'], /bad.json is not valid JSON/],
    [['process', 'text.json', '--speakers', '2'], /--speakers is for recordings/],
    [['conversation', '123', 'bogus'], /unknown part "bogus"/],
    [['conversation', '123', 'messages', '--format', 'srt'], /--format is for the transcript only/],
    [['sentiment', '123', '--chart', 'x.png'], /--chart must name an .svg or .html file/],
    [['stream', 'missing.wav'], /cannot read missing.wav/],
    [['token', 'extra'], /unexpected argument "extra"/],
    [['token', '--emulator', '--base-url', 'http://127.0.0.1:1'], /--emulator and --base-url exclude each other/],
  ])('%j: one line naming the fix, exit 2', async (args, message) => {
    const r = await run(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(r.stdout).toBe('')
  })

  it('refuses --app-secret without echoing it', async () => {
    const r = await run(['token', '--app-secret', 'do-not-echo-this-9x7'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--app-secret is not accepted on the command line/)
    expect(r.stderr).not.toContain('do-not-echo-this-9x7')
  })

  it('without credentials says where to put them (exit 2); --emulator needs none', async () => {
    const r = await run(['token'], { SYMBL_APP_ID: undefined, SYMBL_APP_SECRET: undefined })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no Symbl credentials: set SYMBL_APP_ID and SYMBL_APP_SECRET/)
    const offline = await ok(['process', 'text.json', '--emulator', '--json'], {
      SYMBL_APP_ID: undefined,
      SYMBL_APP_SECRET: undefined,
      SYMBL_BASE_URL: undefined,
    })
    expect(JSON.parse(offline).conversationId).toMatch(/^\d+$/)
  })

  it('--config-file is read, and wins over the environment', async () => {
    writeFileSync(join(dir, 'other.conf'), '[credentials]\napp_id = from-file\napp_secret = file-secret-123456\n')
    const token = (await ok(['token', '--config-file', 'other.conf'])).trim()
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { azp: string }
    expect(payload.azp).toBe('from-file')
    const missing = await run(['token', '--config-file', 'nowhere.conf'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/Cannot read the config file nowhere.conf/)
  })
})

describe('symbl process, conversation, sentiment', () => {
  let textId: string
  let callId: string

  it('process text.json --json: machine-readable output only, with the summary', async () => {
    const out = JSON.parse(await ok(['process', 'text.json', '--json', '--name', 'Quarterly']))
    textId = out.conversationId
    expect(out.status).toBe('completed')
    expect(out.messages).toBe(3)
    expect(out.speakers.map((s: { speaker: string }) => s.speaker)).toEqual(['Ana', 'Bob'])
    expect(out.actionItems.length).toBeGreaterThan(0)
    expect(out.followUps.map((f: { text: string }) => f.text).join(' ')).toMatch(/follow up meeting/)
    const conversation = JSON.parse(await ok(['conversation', textId, 'messages', '--json']))
    expect(conversation.messages).toHaveLength(3)
  })

  it('process <recording>: progress on stderr when asked, then the readable summary', async () => {
    const r = await run(['process', 'call.wav', '--progress'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/Uploading call\.wav\s+100% █+\s+[\d.]+ KB \/ [\d.]+ KB/)
    expect(r.stderr).toMatch(/Processing: completed/)
    const id = r.stdout.match(/^Conversation (\d+) \(job [\w-]+\): 3 messages$/m)?.[1]
    expect(id, r.stdout).toBeDefined()
    callId = id!
    expect(r.stdout).toMatch(/^Speakers \(2\):$/m)
    expect(r.stdout).toMatch(/^ {2}- Surbhi: \d+:\d\d talk time \(\d+ %\)$/m)
    expect(r.stdout).toMatch(/^ {2}- Anthony: /m)
    expect(r.stdout).toMatch(/^Questions \(1\):\n {2}- What issues are you facing with your phone\?/m)
    // Not a terminal and no --progress: stderr stays empty.
    const quiet = await run(['process', 'call.wav'])
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).toBe('')
  })

  it('process <recording> --speakers 2 asks for diarization of 2 speakers, and names the conversation after the file', async () => {
    // A recording proxy in front of the emulator: what the CLI really sent.
    const seen: string[] = []
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      const upstream = httpRequest(new URL(req.url ?? '/', emulator.url), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
      const out = JSON.parse(await ok(['process', 'call.wav', '--speakers', '2', '--json'], { SYMBL_BASE_URL: url }))
      expect(out.status).toBe('completed')
      const upload = seen.find((r) => r.startsWith('POST /v1/process/audio'))
      expect(upload, seen.join('\n')).toBeDefined()
      const query = new URL(upload!.split(' ')[1], url).searchParams
      expect(query.get('enableSpeakerDiarization')).toBe('true')
      expect(query.get('diarizationSpeakerCount')).toBe('2')
      expect(query.get('name')).toBe('call.wav')
    } finally {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })

  it("process <url>: the API fetches the recording; named after the URL's file", async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'audio/wav' }).end(readFileSync(SAMPLE)))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/recordings/call.wav`
      const out = JSON.parse(await ok(['process', url, '--json']))
      expect(out.status).toBe('completed')
      // The preloaded transcript is keyed by the name: it matched, so the name was call.wav.
      expect(out.speakers.map((s: { speaker: string }) => s.speaker)).toEqual(['Surbhi', 'Anthony'])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('nothing of the CLI reaches the browser build', () => {
    const files = readdirSync(resolve(ROOT, 'dist/browser'), { recursive: true }).map(String)
    expect(files.length).toBeGreaterThan(0)
    expect(files.filter((f) => f.startsWith('cli/') || f.startsWith('cli.'))).toEqual([])
    for (const f of files.filter((f) => f.endsWith('.js')))
      expect(readFileSync(resolve(ROOT, 'dist/browser', f), 'utf8')).not.toContain('Usage: symbl')
  })

  it('process --no-wait prints the ids at once', async () => {
    const out = await ok(['process', 'text.json', '--no-wait'])
    expect(out).toMatch(/^Submitted: conversation \d+, job [\w-]+$/m)
  })

  it('conversation <id> <part>: every part, readable and as JSON', async () => {
    expect(await ok(['conversation', textId, 'messages', '--sentiment'])).toMatch(/^\[0:00\] Ana: Hi Bob, .*\([+-]\d\.\d\d\)$/m)
    expect(await ok(['conversation', textId, 'members'])).toMatch(/^Ana <ana@example.com> {2}\(id /m)
    const insights = await ok(['conversation', textId, 'insights'])
    expect(insights).toMatch(/^Action items \(\d+\):/m)
    expect(insights).toMatch(/^Follow-ups \(1\):/m)
    expect(await ok(['conversation', textId, 'topics'])).toMatch(/^Topics \(\d+\):/m)
    expect(await ok(['conversation', textId, 'analytics'])).toMatch(/^ {2}Ana: talks \d+:\d\d \(\d+\.\d %\)/m)
    expect(await ok(['conversation', textId, 'summary'])).toMatch(/^Summary/m)
    expect(await ok(['conversation', textId, 'entities'])).toMatch(/^Entities/m)
    expect(await ok(['conversation', textId, 'trackers'])).toBeTruthy()
    expect(await ok(['conversation', textId, 'transcript', '--format', 'srt'])).toMatch(
      /^1\n00:00:00,000 --> 00:00:\d\d,\d{3}\nAna: Hi Bob/m,
    )
    expect(await ok(['conversation', textId, 'transcript'])).toMatch(/Ana/)
    for (const part of [
      'messages',
      'members',
      'insights',
      'questions',
      'action-items',
      'follow-ups',
      'topics',
      'entities',
      'analytics',
      'summary',
    ]) {
      const json = JSON.parse(await ok(['conversation', textId, part, '--json']))
      expect(typeof json).toBe('object')
    }
  })

  it('an API failure is one line and exit 1; --verbose adds the stack', async () => {
    const r = await run(['conversation', '1234567890123456', 'messages'])
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^symbl: .*(not exist|invalid)/)
    const verbose = await run(['conversation', '1234567890123456', 'messages', '--verbose'])
    expect(verbose.code).toBe(1)
    expect(verbose.stderr).toMatch(/\n\s+at /)
  })

  it('sentiment <id>: the terminal chart, an SVG and an HTML file, and --json, from the same series', async () => {
    const messages = JSON.parse(await ok(['conversation', callId, 'messages', '--sentiment', '--json'])).messages
    const series = speakerSentiment(messages)
    expect(series.map((s) => s.speaker)).toEqual(['Surbhi', 'Anthony'])
    const text = await ok(['sentiment', callId, '--width', '50'])
    expect(text).toMatch(/^ \+1\.0 ┤/m)
    expect(text).toMatch(/^ -1\.0 ┤/m)
    expect(text).toMatch(/^ {2}● Surbhi \(2 messages, mean [+-]\d\.\d\d\)$/m)
    expect(text).toMatch(/^ {2}■ Anthony \(1 message, mean -\d\.\d\d\)$/m)
    // Each point is drawn: Anthony's one negative message is below the zero line.
    const rows = text.split('\n').filter((l) => /[┤│]/.test(l))
    const anthonyRow = rows.findIndex((l) => l.includes('■'))
    expect(anthonyRow).toBeGreaterThan(rows.findIndex((l) => l.startsWith('  0.0')))
    expect(JSON.parse(await ok(['sentiment', callId, '--json'])).series).toEqual(series)

    await ok(['sentiment', callId, '--chart', 'chart.svg'])
    const svg = readFileSync(join(dir, 'chart.svg'), 'utf8')
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(svg).toContain('data-speaker="Surbhi"')
    expect(svg).toContain('data-speaker="Anthony"')
    // Markers: Surbhi's circles (2 points + legend), Anthony's squares (1 + legend).
    expect(svg.match(/<circle /g)).toHaveLength(3)
    expect(svg.match(/<rect x=/g)?.length).toBeGreaterThanOrEqual(2)
    await ok(['sentiment', callId, '--chart', 'chart.html'])
    const html = readFileSync(join(dir, 'chart.html'), 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html.match(/<tr><td>/g)).toHaveLength(3)
    expect(html).not.toMatch(/<script|src="http/) // self-contained
  })

  it('conversation <id> delete needs --yes when stdin is not a terminal', async () => {
    const refused = await run(['conversation', textId, 'delete'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/pass --yes/)
    expect(await ok(['conversation', textId, 'delete', '--yes'])).toContain(`Deleted conversation ${textId}.`)
    expect((await run(['conversation', textId, 'messages'])).code).toBe(1)
  })
})

describe('symbl token', () => {
  it('prints a token and never the secret; --json adds its expiry', async () => {
    const token = (await ok(['token'])).trim()
    expect(token.split('.')).toHaveLength(3)
    const json = JSON.parse(await ok(['token', '--json']))
    expect(json.accessToken).toBe(token)
    expect(Date.parse(json.expiresAt)).toBeGreaterThan(Date.now())
  })
})

describe('symbl stream', () => {
  // 3 s of 16 kHz audio: two tone bursts, which the emulator hears as two utterances.
  const tones = () => {
    const rate = 16000
    const s = new Int16Array(rate * 3)
    for (let i = 0; i < s.length; i++) {
      const t = i / rate
      const loud = (t > 0.3 && t < 1.2) || (t > 1.8 && t < 2.6)
      s[i] = loud ? Math.round(9000 * Math.sin(2 * Math.PI * 180 * t)) : 0
    }
    return wav(s, rate)
  }

  it('streams a recording, prints the captions and the conversation id; --json prints one event per line', async () => {
    writeFileSync(join(dir, 'tones.wav'), tones())
    const out = await ok(['stream', 'tones.wav', '--speaker', 'Jane'])
    expect(out.match(/^Jane: /gm)).toHaveLength(2)
    expect(out).toMatch(/^Conversation \d+$/m)
    const lines = (await ok(['stream', 'tones.wav', '--json']))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.filter((l) => l.type === 'message_response')).toHaveLength(2)
    expect(lines.at(-1)).toEqual({ conversationId: expect.stringMatching(/^\d+$/), interrupted: false })
  })

  it('Ctrl-C stops cleanly: the audio sent so far is kept and the conversation id printed', async () => {
    // 20 s sent at real time: interrupted after the first caption.
    const rate = 16000
    const s = new Int16Array(rate * 20)
    for (let i = 0; i < s.length; i++) s[i] = (i / rate) % 2 < 1 ? Math.round(9000 * Math.sin((2 * Math.PI * 180 * i) / rate)) : 0
    writeFileSync(join(dir, 'long.wav'), wav(s, rate))
    const { child, done } = start(['stream', 'long.wav', '--realtime', '--speaker', 'Jane'])
    await new Promise<void>((resolve) => child.stdout?.on('data', (c: Buffer) => String(c).includes('Jane:') && resolve()))
    child.kill('SIGINT')
    const r = await done
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/Interrupted: stopping the conversation/)
    const id = r.stdout.match(/^Conversation (\d+) \(interrupted\)$/m)?.[1]
    expect(id).toBeDefined()
    const { messages } = JSON.parse(await ok(['conversation', id!, 'messages', '--json']))
    expect(messages.length).toBeGreaterThanOrEqual(1)
  })
})

describe('symbl process: a 200 MB upload', () => {
  /** A WAV of `bytes` of silence, written in pieces (never 200 MB in memory). */
  function bigWav(path: string, bytes: number): void {
    const header = Buffer.from(wav(new Int16Array(0), 16000))
    header.writeUInt32LE(36 + bytes, 4)
    header.writeUInt32LE(bytes, 40)
    const fd = openSync(path, 'w')
    writeSync(fd, header)
    const zero = Buffer.alloc(4 * 1024 * 1024)
    for (let left = bytes; left > 0; left -= zero.length) writeSync(fd, zero, 0, Math.min(zero.length, left))
    closeSync(fd)
  }

  it('shows the upload progress (bytes, rate, ETA) up to 100 %', async () => {
    bigWav(join(dir, 'big.wav'), 200 * 1024 * 1024)
    const r = await run(['process', 'big.wav', '--progress', '--no-wait'])
    expect(r.code, r.stderr).toBe(0)
    const percents = [...r.stderr.matchAll(/Uploading big\.wav\s+(\d+)% /g)].map((m) => Number(m[1]))
    expect(percents.length).toBeGreaterThan(3)
    expect(percents).toEqual([...percents].sort((a, b) => a - b))
    expect(percents.at(-1)).toBe(100)
    expect(r.stderr).toMatch(/\d+\.\d MB \/ 200\.0 MB {2}[\d.]+ MB\/s {2}ETA \d+:\d\d/)
    expect(r.stdout).toMatch(/^Submitted: conversation \d+/m)
  }, 120_000)

  it('Ctrl-C during the upload cancels it: exit 130, "cancelled"', async () => {
    const { child, done } = start(['process', 'big.wav', '--progress'])
    await stderrContains(child, 'Uploading big.wav')
    child.kill('SIGINT')
    const r = await done
    expect(r.code).toBe(130)
    expect(r.stderr).toMatch(/symbl: cancelled\./)
    expect(r.stdout).toBe('')
  }, 120_000)
})

describe("the README's run", () => {
  it('prints what the README shows for examples/support-call.json (ids and dates aside)', async () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8')
    const block = readme.slice(readme.indexOf('## The command line')).match(/```console\n([\s\S]*?)```/)?.[1]
    expect(block).toBeDefined()
    // Each `$ npx symbl …` command and the lines it printed, until the next `$`.
    const shown = block!.split(/^\$ /m).filter((c) => c.startsWith('npx symbl '))
    expect(shown.length).toBeGreaterThanOrEqual(3)
    copyFileSync(resolve(ROOT, 'examples/support-call.json'), join(dir, 'support-call.json'))
    const normal = (text: string) =>
      text
        .replace(/\d{16}/g, 'ID')
        .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'JOB')
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'DATE')
        .replace(/[ \t]+$/gm, '')
        .trim()
    let id = ''
    for (const command of shown) {
      const [line, ...printed] = command.split('\n')
      const args = line
        .replace(/^npx symbl /, '')
        .replace(/ \| head -(\d+)$/, '')
        .replace('examples/support-call.json', 'support-call.json')
        .replace(/\d{16}/, id)
        .split(' ')
      let out = await ok(args)
      const head = line.match(/\| head -(\d+)$/)?.[1]
      if (head) out = out.split('\n').slice(0, Number(head)).join('\n')
      id ||= out.match(/^Conversation (\d+)/)?.[1] ?? ''
      expect(normal(out), line).toBe(normal(printed.join('\n')))
    }
  })
})
