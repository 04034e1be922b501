// `symbl-emulator --transcripts` given what is not a transcripts file (the probe after issue 11): a
// FIFO blocked the start forever without a word, /dev/zero read until memory ran out, bytes that are
// not UTF-8 were taken as U+FFFD keys, and line numbers of a JSON array file were counted from the
// start for each element (1 MB: 7 s, 3 MB: about a minute). None of these tests times anything: before
// the fix the FIFO and /dev/zero reads never returned and the 3 MB array ran past the test timeout.

import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readTranscripts } from '../../src/emulator/transcripts-file.js'
import { transcriptsError } from './helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'emu-transcripts-hostile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const error = transcriptsError

describe('readTranscripts on what is not a transcripts file', () => {
  it('a FIFO is refused (it blocked the start forever)', () => {
    const fifo = join(dir, 'lines.jsonl')
    execFileSync('mkfifo', [fifo])
    expect(error(() => readTranscripts(fifo)).message).toBe(
      `${fifo}: cannot be read (not a regular file (a pipe or a device); save the transcript lines to a file)`,
    )
  })

  it('/dev/zero is refused (it was read until memory ran out)', () => {
    expect(error(() => readTranscripts('/dev/zero')).message).toContain('/dev/zero: cannot be read (not a regular file')
  })

  it('bytes that are not UTF-8 are refused, naming the file', () => {
    const file = join(dir, 'latin1.jsonl')
    writeFileSync(file, Buffer.concat([Buffer.from('{"key": "caf'), Buffer.from([0xe9]), Buffer.from('", "text": "hi"}\n')]))
    expect(error(() => readTranscripts(file)).message).toBe(`${file}: cannot be read (not UTF-8 text; save it as UTF-8)`)
  })

  it('a BOM and CRLF line ends are read', () => {
    const file = join(dir, 'bom.jsonl')
    writeFileSync(file, '\uFEFF{"key": "a", "text": "Hi."}\r\n{"key": "a", "text": "Yo."}\r\n')
    expect(readTranscripts(file)).toEqual([{ key: 'a', messages: [{ text: 'Hi.' }, { text: 'Yo.' }], once: false }])
    const array = join(dir, 'bom.json')
    writeFileSync(array, '\uFEFF[{"key": "a", "text": "Hi."}]\r\n')
    expect(readTranscripts(array)).toHaveLength(1)
  })

  it('in a folder: a symbolic link loop and a folder named .json are named; the files beside them are not read past', () => {
    const folder = join(dir, 'folder')
    mkdirSync(folder)
    symlinkSync('loop.jsonl', join(folder, 'loop.jsonl'))
    expect(error(() => readTranscripts(folder)).message).toMatch(/loop\.jsonl: cannot be read \(ELOOP/)
    const other = join(dir, 'folder2')
    mkdirSync(join(other, 'sub.json'), { recursive: true })
    expect(error(() => readTranscripts(other)).message).toBe(
      `${join(other, 'sub.json')}: cannot be read (it is a folder; a folder given to --transcripts is read one level deep)`,
    )
    symlinkSync(folder, join(dir, 'self'))
    symlinkSync(join(dir, 'self2'), join(dir, 'self2'))
    expect(error(() => readTranscripts(join(dir, 'self2'))).message).toBe(`--transcripts: ${join(dir, 'self2')} is a symbolic link loop`)
  })

  it('a 3 MB JSON array file is read, and an error in its last element names that line', () => {
    const file = join(dir, 'big.json')
    const lines = Array.from({ length: 60_000 }, (_, i) => JSON.stringify({ key: `k${i % 10}`, text: 'Can you send the report?' }))
    writeFileSync(file, `[\n${lines.join(',\n')}\n]\n`)
    const sets = readTranscripts(file)
    expect(sets).toHaveLength(10)
    expect(sets[0]?.messages).toHaveLength(6000)
    lines.push('{"key": "k1"}')
    writeFileSync(file, `[\n${lines.join(',\n')}\n]\n`)
    expect(error(() => readTranscripts(file)).message).toBe(`${file}:60002: "text" must be a non-empty string: what was said`)
  })
})
