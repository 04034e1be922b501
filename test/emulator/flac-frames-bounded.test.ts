// The FLAC stream splitter's work and memory per message are bounded (the probe after issue 11): it
// copied its whole buffer for every message (small messages over a frame in progress: quadratic), and
// it waited for all of the metadata blocks in its buffer, re-reading them from the start each time, so
// `fLaC` followed by endless non-last blocks grew it without bound (21 MB took 20 s). The tests time
// nothing: before the fix each ran for minutes.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FlacFrameSplitter, MAX_FRAME } from '../../src/emulator/core/audio/flac-frames.js'
import { pcm, wav } from './helpers.js'

const hasSox = spawnSync('sox', ['--version']).status === 0
const dir = mkdtempSync(join(tmpdir(), 'emu-flac-bounded-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function soxFlac(): Uint8Array {
  writeFileSync(
    join(dir, 'in.wav'),
    wav(
      pcm(16000, [
        [0.5, 0],
        [1, 0.3],
        [0.5, 0],
      ]),
      16000,
    ),
  )
  const made = spawnSync('sox', [join(dir, 'in.wav'), join(dir, 'out.flac')])
  if (made.status !== 0) throw new Error(`sox: ${made.stderr}`)
  return new Uint8Array(readFileSync(join(dir, 'out.flac')))
}

/** Offset of the first frame: after `fLaC` and the metadata blocks. */
function metadataEnd(b: Uint8Array): number {
  let at = 4
  for (;;) {
    const last = (b[at] as number) & 0x80
    at += 4 + (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))
    if (last) return at
  }
}

function pushAll(splitter: FlacFrameSplitter, bytes: Uint8Array, chunk: number, watch?: (held: number) => void): Uint8Array[] {
  const frames: Uint8Array[] = []
  for (let at = 0; at < bytes.length; at += chunk) {
    frames.push(...splitter.push(bytes.subarray(at, at + chunk)))
    watch?.(splitter.buffered)
  }
  return [...frames, ...splitter.end()]
}

describe('FlacFrameSplitter bounds', () => {
  it('endless non-last metadata blocks: nothing kept, 64 MB in 8 KB messages', () => {
    const splitter = new FlacFrameSplitter()
    splitter.push(new Uint8Array([0x66, 0x4c, 0x61, 0x43]))
    let most = 0
    const block = new Uint8Array(0xffffff + 4)
    block.set([0x01, 0xff, 0xff, 0xff]) // PADDING, not last, 16 MiB - 1
    for (let i = 0; i < 4; i++)
      for (let at = 0; at < block.length; at += 8192) {
        expect(splitter.push(block.subarray(at, at + 8192))).toEqual([])
        most = Math.max(most, splitter.buffered)
      }
    expect(most).toBeLessThanOrEqual(8192)
  })

  it.skipIf(!hasSox)('48 MB of padding blocks before the frames: the same frames as without them, sent in 8 KB messages', () => {
    const flac = soxFlac()
    const end = metadataEnd(flac)
    const expected = pushAll(new FlacFrameSplitter(), flac, flac.length)
    expect(expected.length).toBeGreaterThan(3)
    // The original metadata with its last flag cleared, then three 16 MiB padding blocks (the last flagged).
    const meta = flac.slice(0, end)
    let at = 4
    for (;;) {
      const last = (meta[at] as number) & 0x80
      if (last) {
        meta[at] = (meta[at] as number) & 0x7f
        break
      }
      at += 4 + (((meta[at + 1] as number) << 16) | ((meta[at + 2] as number) << 8) | (meta[at + 3] as number))
    }
    const pad = (last: boolean) => {
      const b = new Uint8Array(0xffffff + 4)
      b.set([last ? 0x81 : 0x01, 0xff, 0xff, 0xff])
      return b
    }
    const padded = new Uint8Array(Buffer.concat([meta, pad(false), pad(false), pad(true), flac.subarray(end)]))
    let most = 0
    const frames = pushAll(new FlacFrameSplitter(), padded, 8192, (held) => {
      most = Math.max(most, held)
    })
    expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(expected.map((f) => Buffer.from(f).toString('hex')))
    expect(most).toBeLessThan(1024 * 1024)
  })

  it.skipIf(!hasSox)('a frame in progress fed 8 bytes at a time up to MAX_FRAME: held bytes stay bounded', () => {
    const flac = soxFlac()
    const header = flac.subarray(metadataEnd(flac), metadataEnd(flac) + 16)
    const bytes = new Uint8Array(header.length + MAX_FRAME + 4096)
    bytes.set(header)
    let most = 0
    const frames = pushAll(new FlacFrameSplitter(), bytes, 8, (held) => {
      most = Math.max(most, held)
    })
    expect(frames).toEqual([])
    expect(most).toBeLessThanOrEqual(MAX_FRAME + 4096 + 16)
  })
})
