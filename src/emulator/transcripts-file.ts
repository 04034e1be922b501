// `symbl-emulator --transcripts <file|dir>`: what was said, for the emulator that has no speech
// recognizer (issue 16), read from files with the same rules as `core.preloadTranscript`. A file
// holds JSON Lines, one line per transcript line (or one JSON array of the same objects):
//   {"key": "conn-123", "text": "Can you send it by Friday?", "speaker": {"name": "Jane"}, "start": 0.2, "end": 2.1}
// `key` is what preloadTranscript takes (a streaming connectionId, an upload's name, a URL, a
// conversation id, a phone number or SIP URI); lines with the same key form one transcript, in file
// order; `"once": true` on any of them makes it one-shot. Blank lines and lines starting with `#`
// are skipped. A directory means every *.jsonl and *.json file in it, by name. Every mistake is an
// error naming the file and line, and nothing is preloaded from a bad file.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { PreloadedMessage } from './core/types.js'

export interface TranscriptSet {
  key: string
  messages: PreloadedMessage[]
  once: boolean
}

/** A transcripts file that cannot be used; the message names the file and line. */
export class TranscriptsFileError extends Error {
  override name = 'TranscriptsFileError'
}

const FIELDS = new Set(['key', 'text', 'speaker', 'start', 'end', 'once'])
const SPEAKER_FIELDS = new Set(['name', 'userId', 'email'])

/**
 * The largest transcripts file read (ours: a transcript line is about 100 bytes, so this is over a
 * million lines). A larger file, or a device such as /dev/zero, would fill memory before it failed.
 */
export const MAX_TRANSCRIPTS_FILE_BYTES = 256 * 1024 * 1024

/** The transcripts in a file or in every *.jsonl / *.json file of a directory. */
export function readTranscripts(path: string): TranscriptSet[] {
  let stat: ReturnType<typeof statSync>
  try {
    stat = statSync(path)
  } catch (e) {
    if ((e as { code?: string }).code === 'ELOOP') throw new TranscriptsFileError(`--transcripts: ${path} is a symbolic link loop`)
    throw new TranscriptsFileError(`--transcripts: ${path} does not exist (give a .jsonl/.json file or a folder of them)`)
  }
  if (!stat.isDirectory()) return parseTranscripts(path, readText(path))
  const files = readdirSync(path)
    .filter((f) => /\.jsonl?$/i.test(f))
    .sort()
  if (!files.length) throw new TranscriptsFileError(`--transcripts: no .jsonl or .json file in the folder ${path}`)
  return files.flatMap((f) => parseTranscripts(join(path, f), readText(join(path, f))))
}

/**
 * A regular file's text, strict UTF-8 (a BOM is dropped by the parsers). Only regular files: a FIFO
 * blocked the emulator's start forever without a word, and /dev/zero read until memory ran out.
 */
function readText(file: string): string {
  const cannot = (why: string) => new TranscriptsFileError(`${file}: cannot be read (${why})`)
  let stat: ReturnType<typeof statSync>
  try {
    stat = statSync(file)
  } catch (e) {
    throw cannot(e instanceof Error ? e.message : String(e))
  }
  if (stat.isDirectory()) throw cannot('it is a folder; a folder given to --transcripts is read one level deep')
  if (!stat.isFile()) throw cannot('not a regular file (a pipe or a device); save the transcript lines to a file')
  if (stat.size > MAX_TRANSCRIPTS_FILE_BYTES)
    throw cannot(`${stat.size} bytes; at most ${MAX_TRANSCRIPTS_FILE_BYTES} bytes per file: split it into several files in a folder`)
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw cannot(e instanceof Error ? e.message : String(e))
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw cannot('not UTF-8 text; save it as UTF-8')
  }
}

/** Parses one file's text; `file` names it in errors. */
export function parseTranscripts(file: string, text: string): TranscriptSet[] {
  const entries = text.trimStart().startsWith('[') ? arrayEntries(file, text) : lineEntries(file, text)
  if (!entries.length) throw new TranscriptsFileError(`${file}: no transcript lines (one JSON object per line, each with "key" and "text")`)
  const sets = new Map<string, TranscriptSet>()
  for (const { line, value } of entries) {
    const { key, message, once } = checkEntry(`${file}:${line}`, value)
    const set = sets.get(key) ?? { key, messages: [], once: false }
    set.messages.push(message)
    set.once ||= once
    sets.set(key, set)
  }
  return [...sets.values()]
}

function lineEntries(file: string, text: string): Array<{ line: number; value: unknown }> {
  const out: Array<{ line: number; value: unknown }> = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    try {
      out.push({ line: i + 1, value: JSON.parse(line) })
    } catch (e) {
      throw new TranscriptsFileError(
        `${file}:${i + 1}: not valid JSON (${e instanceof Error ? e.message : String(e)}); each line must be one JSON object`,
      )
    }
  })
  return out
}

/**
 * A JSON array file: its elements, each parsed on its own so that an error names the line the
 * element starts on (V8's JSON errors do not always give a position).
 */
function arrayEntries(file: string, text: string): Array<{ line: number; value: unknown }> {
  const spans = elementSpans(text)
  if (typeof spans === 'number')
    throw new TranscriptsFileError(
      `${file}:${lineOf(text, spans)}: not valid JSON (unbalanced brackets or an unclosed string in the array)`,
    )
  // Line numbers counted as the spans advance (one pass: counting from the start for each element
  // made a 1 MB array take 7 s, and 10 MB minutes).
  let counted = 0
  let line = 1
  return spans.map(([from, to]) => {
    line += newlines(text, counted, from)
    counted = from
    try {
      return { line, value: JSON.parse(text.slice(from, to)) as unknown }
    } catch (e) {
      throw new TranscriptsFileError(
        `${file}:${line}: the array element starting here is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      )
    }
  })
}

/**
 * [start, end) of each element of the top-level array (strings and nesting skipped), or the offset
 * where the structure breaks.
 */
function elementSpans(text: string): Array<[number, number]> | number {
  const spans: Array<[number, number]> = []
  let depth = 0
  let inString = false
  let from = -1
  let last = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      last = i + 1
      continue
    }
    if (/\s/.test(c)) continue
    if (depth === 0) {
      if (c !== '[' || spans.length || from >= 0) return i
      depth = 1
      continue
    }
    if (depth === 1 && (c === ',' || c === ']')) {
      if (from >= 0) spans.push([from, last])
      else if (c === ',' || spans.length) return i // an empty element: [1,,2] or [1,]
      from = -1
      if (c === ']') {
        depth = 0
        const rest = text.slice(i + 1).trim()
        return rest ? i + 1 + text.slice(i + 1).indexOf(rest[0]) : spans
      }
      continue
    }
    if (from < 0) from = i
    if (c === '"') inString = true
    else if (c === '[' || c === '{') depth++
    else if (c === ']' || c === '}') depth--
    last = i + 1
  }
  return from >= 0 ? from : text.length
}

const lineOf = (text: string, offset: number): number => 1 + newlines(text, 0, offset)

function newlines(text: string, from: number, to: number): number {
  let n = 0
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++
  return n
}

function checkEntry(where: string, value: unknown): { key: string; message: PreloadedMessage; once: boolean } {
  const fail = (what: string): never => {
    throw new TranscriptsFileError(`${where}: ${what}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('expected a JSON object like {"key": "conn-123", "text": "Hello"}')
  const entry = value as Record<string, unknown>
  const unknown = Object.keys(entry).filter((k) => !FIELDS.has(k))
  if (unknown.length) fail(`unknown field "${unknown[0]}" (fields: ${[...FIELDS].join(', ')})`)
  if (typeof entry.key !== 'string' || !entry.key.trim())
    fail('"key" must be a non-empty string: the connectionId, upload name, URL, conversation id or phone number the line belongs to')
  if (typeof entry.text !== 'string' || !entry.text.trim()) fail('"text" must be a non-empty string: what was said')
  const message: PreloadedMessage = { text: entry.text as string }
  if (entry.speaker !== undefined) {
    const s = entry.speaker
    if (typeof s !== 'object' || s === null || Array.isArray(s))
      return fail('"speaker" must be an object like {"name": "Jane", "userId": "jane@example.com"}')
    const speaker = s as Record<string, unknown>
    const extra = Object.keys(speaker).filter((k) => !SPEAKER_FIELDS.has(k))
    if (extra.length) fail(`unknown speaker field "${extra[0]}" (fields: name, userId, email)`)
    if (typeof speaker.name !== 'string' || !speaker.name.trim()) fail('"speaker.name" must be a non-empty string')
    for (const k of ['userId', 'email'] as const)
      if (speaker[k] !== undefined && typeof speaker[k] !== 'string') fail(`"speaker.${k}" must be a string`)
    message.speaker = {
      name: speaker.name as string,
      ...(speaker.userId !== undefined ? { userId: speaker.userId as string } : {}),
      ...(speaker.email !== undefined ? { email: speaker.email as string } : {}),
    }
  }
  for (const k of ['start', 'end'] as const) {
    const t = entry[k]
    if (t === undefined) continue
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
      fail(`"${k}" must be a number of seconds >= 0 from the start of the audio (got ${JSON.stringify(t)})`)
    message[k] = t as number
  }
  if (message.start !== undefined && message.end !== undefined && message.end < message.start)
    fail(`"end" (${message.end}) is before "start" (${message.start})`)
  if (entry.once !== undefined && typeof entry.once !== 'boolean') fail('"once" must be true or false')
  return { key: (entry.key as string).trim(), message, once: entry.once === true }
}
