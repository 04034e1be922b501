// `symbl-emulator --transcripts`: transcript files read with the same rules as core.preloadTranscript
// (issue 16). The parser's errors name the file and line; the real CLI (tsx, a child process)
// preloads them, so an upload named after a key and a stream with a key's connectionId get those
// lines, and refuses a bad file with one line naming file:line.

import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { afterAll, describe, expect, it } from 'vitest'
import { parseTranscripts, readTranscripts } from '../../src/emulator/transcripts-file.js'
import { pcm, transcriptsError, wav } from './helpers.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'emu-transcripts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const error = transcriptsError

describe('transcripts files', () => {
  it('groups JSON Lines by key in file order, with speakers, times and once', () => {
    const sets = parseTranscripts(
      'a.jsonl',
      [
        '# a comment',
        '{"key": "conn-1", "text": "Can you send the report?", "speaker": {"name": "Jane", "userId": "jane@example.com"}, "start": 0.2, "end": 2}',
        '',
        '{"key": "meeting.wav", "text": "Hello there.", "once": true}',
        '{"key": "conn-1", "text": "Sure.", "speaker": {"name": "Raj"}}',
      ].join('\n'),
    )
    expect(sets).toEqual([
      {
        key: 'conn-1',
        once: false,
        messages: [
          { text: 'Can you send the report?', speaker: { name: 'Jane', userId: 'jane@example.com' }, start: 0.2, end: 2 },
          { text: 'Sure.', speaker: { name: 'Raj' } },
        ],
      },
      { key: 'meeting.wav', once: true, messages: [{ text: 'Hello there.' }] },
    ])
  })

  it('names the file and line of every mistake', () => {
    const line3 = (text: string) => error(() => parseTranscripts('t.jsonl', `\n{"key": "k", "text": "ok"}\n${text}\n`)).message
    expect(line3('{"key": "k", "text": "x"')).toMatch(/^t\.jsonl:3: not valid JSON .*each line must be one JSON object/)
    expect(line3('["k", "x"]')).toMatch(/^t\.jsonl:3: expected a JSON object/)
    expect(line3('{"key": "k", "txt": "x"}')).toMatch(/^t\.jsonl:3: unknown field "txt"/)
    expect(line3('{"text": "x"}')).toMatch(/^t\.jsonl:3: "key" must be a non-empty string/)
    expect(line3('{"key": "k", "text": ""}')).toMatch(/^t\.jsonl:3: "text" must be a non-empty string/)
    expect(line3('{"key": "k", "text": "x", "speaker": "Jane"}')).toMatch(/^t\.jsonl:3: "speaker" must be an object/)
    expect(line3('{"key": "k", "text": "x", "speaker": {"nom": "J"}}')).toMatch(/^t\.jsonl:3: unknown speaker field "nom"/)
    expect(line3('{"key": "k", "text": "x", "start": "0.2"}')).toMatch(/^t\.jsonl:3: "start" must be a number of seconds/)
    expect(line3('{"key": "k", "text": "x", "start": 2, "end": 1}')).toMatch(/^t\.jsonl:3: "end" \(1\) is before "start" \(2\)/)
    expect(line3('{"key": "k", "text": "x", "once": "yes"}')).toMatch(/^t\.jsonl:3: "once" must be true or false/)
    expect(error(() => parseTranscripts('e.jsonl', '\n# nothing\n')).message).toMatch(/^e\.jsonl: no transcript lines/)
  })

  it('reads a JSON array file, naming the line each bad element starts on', () => {
    const text = '[\n  {"key": "k", "text": "one"},\n  {\n    "key": "k",\n    "text": "two", "end": -1\n  }\n]\n'
    expect(error(() => parseTranscripts('arr.json', text)).message).toMatch(/^arr\.json:3: "end" must be a number of seconds >= 0/)
    expect(parseTranscripts('arr.json', text.replace('-1', '1'))[0].messages).toHaveLength(2)
    expect(error(() => parseTranscripts('open.json', '[\n {"key": "k", "text": "x"},\n {"key": "k"')).message).toMatch(
      /^open\.json:3: not valid JSON \(unbalanced/,
    )
    expect(error(() => parseTranscripts('obj.json', '[{"key": "k", "text": "x"}] {}')).message).toMatch(/^obj\.json:1: not valid JSON/)
    expect(parseTranscripts('nested.json', '[{"key": "k", "text": "a [b], {c}", "speaker": {"name": "J"}}]')[0].messages[0].text).toBe(
      'a [b], {c}',
    )
    expect(error(() => parseTranscripts('bad.json', '[\n {"key": "k",\n "text": }\n]')).message).toMatch(
      /^bad\.json:2: the array element starting here is not valid JSON/,
    )
  })

  it('reads every .jsonl/.json file of a folder by name, and says what is wrong with the path', () => {
    const folder = join(dir, 'folder')
    mkdirSync(folder)
    writeFileSync(join(folder, 'b.jsonl'), '{"key": "b", "text": "from b"}\n')
    writeFileSync(join(folder, 'a.json'), '[{"key": "a", "text": "from a"}]')
    writeFileSync(join(folder, 'notes.txt'), 'ignored')
    expect(readTranscripts(folder).map((s) => s.key)).toEqual(['a', 'b'])
    expect(error(() => readTranscripts(join(dir, 'missing.jsonl'))).message).toMatch(/does not exist/)
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    expect(error(() => readTranscripts(empty)).message).toMatch(/no \.jsonl or \.json file in the folder/)
  })
})

/** Starts the CLI; resolves with its URL once it listens (or with its exit when it fails). */
function cli(args: string[]) {
  const child = spawn(tsx, ['src/emulator/cli.ts', '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  const guard = setTimeout(() => child.kill('SIGTERM'), 30_000)
  void exited.then(() => clearTimeout(guard))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const listening = new Promise<string | undefined>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1]
      if (url) resolve(url)
    })
    void exited.then(() => resolve(undefined))
  })
  return { child, listening, exited, out: () => ({ stdout, stderr }) }
}

describe('symbl-emulator --transcripts', () => {
  it('preloads the lines: an upload named after a key and a stream with a key as connectionId get them', async () => {
    const file = join(dir, 'lines.jsonl')
    writeFileSync(
      file,
      [
        '{"key": "standup.wav", "text": "Can you send me the report by Friday?", "speaker": {"name": "Jane"}}',
        '{"key": "standup.wav", "text": "Yes, I will send it tomorrow.", "speaker": {"name": "Raj"}}',
        '{"key": "cli-conn-1", "text": "Hello from the stream.", "start": 0.1, "end": 0.5}',
      ].join('\n'),
    )
    const run = cli(['--transcripts', file])
    const url = await run.listening
    try {
      if (!url) throw new Error(`the CLI did not start: ${run.out().stderr}`)
      expect(run.out().stdout).toMatch(/Preloaded 3 transcript lines for 2 keys/)
      const token = (
        (await (
          await fetch(`${url}/oauth2/token:generate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'application', appId: 'a', appSecret: 'b' }),
          })
        ).json()) as { accessToken: string }
      ).accessToken
      const auth = { authorization: `Bearer ${token}` }
      const audio = wav(
        pcm(16000, [
          [0.3, 0],
          [1, 0.3],
          [0.5, 0],
          [1, 0.3],
          [0.4, 0],
        ]),
        16000,
      )
      const job = (await (
        await fetch(`${url}/v1/process/audio?name=standup.wav`, { method: 'POST', headers: auth, body: audio })
      ).json()) as {
        conversationId: string
        jobId: string
      }
      for (let i = 0; i < 200; i++) {
        const { status } = (await (await fetch(`${url}/v1/job/${job.jobId}`, { headers: auth })).json()) as { status: string }
        if (status === 'completed') break
        await new Promise((r) => setTimeout(r, 20))
      }
      const { messages } = (await (await fetch(`${url}/v1/conversations/${job.conversationId}/messages`, { headers: auth })).json()) as {
        messages: Array<{ text: string; from: { name: string } }>
      }
      expect(messages.map((m) => [m.from.name, m.text])).toEqual([
        ['Jane', 'Can you send me the report by Friday?'],
        ['Raj', 'Yes, I will send it tomorrow.'],
      ])

      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/streaming/cli-conn-1?access_token=${token}`)
      const texts: string[] = []
      ws.on('message', (d) => {
        const frame = JSON.parse(d.toString())
        if (frame.type === 'message_response') texts.push(frame.messages[0].payload.content)
      })
      await new Promise((r) => ws.once('open', r))
      ws.send(JSON.stringify({ type: 'start_request', config: { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 } } }))
      ws.send(new Uint8Array(pcm(16000, [[0.6, 0.2]]).buffer))
      ws.send(JSON.stringify({ type: 'stop_request' }))
      await new Promise((r) => ws.once('close', r))
      expect(texts).toEqual(['Hello from the stream.'])
    } finally {
      run.child.kill('SIGTERM')
      await run.exited
    }
  })

  it('a bad file stops it before listening: one line naming file:line, exit 1', async () => {
    const file = join(dir, 'bad.jsonl')
    writeFileSync(file, '{"key": "k", "text": "fine"}\n{"key": "k", "text": "late", "start": 3, "end": 1}\n')
    const run = cli(['--transcripts', file])
    expect(await run.listening).toBeUndefined()
    expect(await run.exited).toBe(1)
    const lines = run.out().stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(`symbl-emulator: ${file}:2: "end" (1) is before "start" (3)`)
  })
})
