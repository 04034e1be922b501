import { execFileSync } from 'node:child_process'
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AudioFormatError } from '../../src/audio/errors.js'
import { pcmToLinear16 } from '../../src/audio/pcm-stream.js'
import { decodeWav, openWav, WavDecoder } from '../../src/audio/wav.js'
import { ValidationError } from '../../src/errors.js'
import { tone, toneAmplitude } from './audio-measure.js'
import { concat } from '../fixtures/concat.js'

// ---- A small WAV writer, so every header variant is built exactly ----

interface WavSpec {
  tag?: number // 1 PCM, 3 float, anything else for error cases
  channels?: number
  rate?: number
  /** Container bytes per sample. */
  bytes?: number
  validBits?: number
  extensible?: boolean
  /** Interleaved samples in [-1, 1]. */
  samples?: ArrayLike<number>
  /** Chunks placed before fmt, between fmt and data, after data. */
  before?: Uint8Array[]
  between?: Uint8Array[]
  after?: Uint8Array[]
  dataSize?: number
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1))
  out.set(new TextEncoder().encode(id))
  new DataView(out.buffer).setUint32(4, body.length, true)
  out.set(body, 8)
  return out
}

function makeWav(spec: WavSpec): Uint8Array {
  const { tag = 1, channels = 1, rate = 16000, bytes = 2, extensible = false, samples = [] } = spec
  const fmt = new DataView(new ArrayBuffer(extensible ? 40 : 16))
  fmt.setUint16(0, extensible ? 0xfffe : tag, true)
  fmt.setUint16(2, channels, true)
  fmt.setUint32(4, rate, true)
  fmt.setUint32(8, rate * channels * bytes, true)
  fmt.setUint16(12, channels * bytes, true)
  fmt.setUint16(14, bytes * 8, true)
  if (extensible) {
    fmt.setUint16(16, 22, true)
    fmt.setUint16(18, spec.validBits ?? bytes * 8, true)
    fmt.setUint16(24, tag, true)
    new Uint8Array(fmt.buffer).set([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 26)
  }
  const data = new DataView(new ArrayBuffer(samples.length * bytes))
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]
    const o = i * bytes
    if (tag === 3) {
      if (bytes === 4) data.setFloat32(o, v, true)
      else if (bytes === 8) data.setFloat64(o, v, true)
    } else if (bytes === 1) data.setUint8(o, Math.max(0, Math.min(255, Math.round(v * 128 + 128))))
    else if (bytes === 2) data.setInt16(o, Math.max(-32768, Math.min(32767, Math.round(v * 32768))), true)
    else if (bytes === 3) {
      const s = Math.max(-8388608, Math.min(8388607, Math.round(v * 8388608)))
      data.setUint8(o, s & 255)
      data.setUint8(o + 1, (s >> 8) & 255)
      data.setUint8(o + 2, (s >> 16) & 255)
    } else data.setInt32(o, Math.max(-2147483648, Math.min(2147483647, Math.round(v * 2147483648))), true)
  }
  const dataChunk = chunk('data', new Uint8Array(data.buffer))
  if (spec.dataSize !== undefined) new DataView(dataChunk.buffer).setUint32(4, spec.dataSize, true)
  const parts = [
    ...(spec.before ?? []),
    chunk('fmt ', new Uint8Array(fmt.buffer)),
    ...(spec.between ?? []),
    dataChunk,
    ...(spec.after ?? []),
  ]
  const body = concat([new TextEncoder().encode('WAVE'), ...parts], Uint8Array)
  return concat([new TextEncoder().encode('RIFF'), u32(body.length), body], Uint8Array)
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, v, true)
  return b
}

function* pieces(bytes: Uint8Array, size: (i: number) => number): Generator<Uint8Array> {
  for (let o = 0, i = 0; o < bytes.length; i++) {
    const n = size(i)
    yield bytes.subarray(o, o + n)
    o += n
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

function int16Of(chunks: Uint8Array[]): Int16Array {
  const bytes = concat(chunks, Uint8Array)
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2)
}

async function reason(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    expect(err).toBeInstanceOf(AudioFormatError)
    expect(err).toBeInstanceOf(ValidationError)
    return (err as AudioFormatError).reason
  }
  throw new Error('expected an AudioFormatError')
}

// ---- Formats ----

const ramp = [0, 0.25, -0.25, 0.5, -0.5, 0.75, -1, 0.999]

describe('WAV formats', () => {
  const cases: [string, WavSpec, number][] = [
    ['8-bit unsigned', { bytes: 1 }, 1 / 128],
    ['16-bit', { bytes: 2 }, 1 / 32768],
    ['24-bit', { bytes: 3 }, 1 / 8388608],
    ['32-bit int', { bytes: 4 }, 1e-7],
    ['32-bit float', { tag: 3, bytes: 4 }, 1e-7],
    ['64-bit float', { tag: 3, bytes: 8 }, 1e-7],
    ['extensible 24-bit', { bytes: 3, extensible: true }, 1 / 8388608],
    ['extensible 20-bit in 32', { bytes: 4, validBits: 20, extensible: true }, 1e-6],
    ['extensible float', { tag: 3, bytes: 4, extensible: true }, 1e-7],
  ]
  for (const [name, spec, tol] of cases) {
    it(`decodes ${name}`, () => {
      const { info, samples } = decodeWav(makeWav({ ...spec, samples: ramp, rate: 22050 }))
      expect(info.sampleRate).toBe(22050)
      expect(info.encoding).toBe(spec.tag === 3 ? 'float' : 'pcm')
      expect(info.frames).toBe(ramp.length)
      expect(samples.length).toBe(ramp.length)
      ramp.forEach((v, i) => expect(Math.abs(samples[i] - v)).toBeLessThanOrEqual(tol + 1e-7))
    })
  }

  it('mixes any channel count down to mono (average)', () => {
    const stereo = decodeWav(makeWav({ channels: 2, samples: [0.5, -0.5, 0.5, 0.5, -1, 0] })).samples
    expect(Array.from(stereo)).toEqual([0, 0.5, -0.5])
    const six = decodeWav(makeWav({ channels: 6, extensible: true, samples: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5] }))
    expect(six.info.channels).toBe(6)
    expect(Array.from(six.samples)).toEqual([0.5])
  })

  it('skips other chunks (odd sizes padded), ignores what follows the data', () => {
    const bytes = makeWav({
      samples: ramp,
      before: [chunk('JUNK', new Uint8Array(3))],
      between: [chunk('LIST', new Uint8Array(17)), chunk('fact', u32(8))],
      after: [chunk('id3 ', new Uint8Array(9).fill(7))],
    })
    expect(decodeWav(bytes).samples.length).toBe(ramp.length)
  })

  it('gives the same samples whatever the chunking (one byte at a time)', () => {
    const bytes = makeWav({ bytes: 3, channels: 2, samples: tone(440, 8000, 0.05) })
    const whole = decodeWav(bytes).samples
    const d = new WavDecoder()
    const parts: Float32Array[] = []
    for (const b of pieces(bytes, () => 1)) parts.push(d.push(b))
    d.end()
    expect(concat(parts, Float32Array)).toEqual(whole)
  })

  it('reads a streamed WAV whose header leaves the length open (0 or 0xFFFFFFFF)', () => {
    for (const dataSize of [0, 0xffffffff]) {
      const { info, samples } = decodeWav(makeWav({ samples: ramp, dataSize }))
      expect(info.dataBytes).toBeUndefined()
      expect(samples.length).toBe(ramp.length)
    }
  })
})

describe('openWav streaming', () => {
  it('streams samples and LINEAR16 at 16 kHz from async chunks of odd sizes', async () => {
    const x = tone(1000, 44100, 1, 0.5)
    const stereo = new Float32Array(x.length * 2)
    x.forEach((v, i) => stereo.set([v, v], 2 * i))
    const bytes = makeWav({ rate: 44100, channels: 2, bytes: 3, samples: stereo })
    async function* source() {
      yield* pieces(bytes, (i) => 1 + ((i * 7919) % 5000))
    }
    const wav = await openWav(source())
    expect(wav.info).toMatchObject({ sampleRate: 44100, channels: 2, bitsPerSample: 24, frames: 44100, durationSeconds: 1 })
    const chunks = await collect(wav.linear16())
    const pcm = int16Of(chunks)
    expect(pcm.length).toBe(16000)
    expect(chunks.slice(0, -1).every((c) => c.length === 640)).toBe(true) // 20 ms chunks by default
    const steadyPart = Array.from(pcm.subarray(500, 15500), (v) => v / 32768)
    expect(Math.abs(toneAmplitude(steadyPart, 1000, 16000) - 0.5)).toBeLessThan(1e-3)
  })

  it('chunkMs and targetSampleRate are honoured; chunks never exceed 8192 bytes', async () => {
    const bytes = makeWav({ rate: 48000, samples: tone(300, 48000, 0.5) })
    const a = await collect((await openWav(bytes)).linear16({ targetSampleRate: 8000, chunkMs: 100 }))
    expect(a[0].length).toBe(1600)
    expect(int16Of(a).length).toBe(4000)
    const b = await collect((await openWav(bytes)).linear16({ targetSampleRate: 48000, chunkMs: 1000 }))
    expect(b[0].length).toBe(8192)
    await expect(openWav(bytes).then((w) => collect(w.linear16({ targetSampleRate: 96000 })))).rejects.toThrow(ValidationError)
  })
})

describe('openWav on a long stream', () => {
  it('works incrementally: output flows while the source is still being read', async () => {
    // A 3-minute 48 kHz stereo WAV produced lazily in 64 KiB pieces (never held whole).
    const seconds = 180
    const frameBytes = 4
    const dataBytes = 48000 * seconds * frameBytes
    const header = makeWav({ rate: 48000, channels: 2, samples: [] }).slice(0, 44)
    new DataView(header.buffer).setUint32(40, dataBytes, true)
    let produced = 0
    const piece = new Uint8Array(65536)
    new Int16Array(piece.buffer).forEach((_, i, a) => (a[i] = Math.round(8000 * Math.sin(i / 20))))
    async function* source() {
      yield header
      for (; produced < dataBytes; produced += piece.length) yield piece.subarray(0, Math.min(piece.length, dataBytes - produced))
    }
    const wav = await openWav(source())
    expect(wav.info.durationSeconds).toBe(seconds)
    let samples = 0
    let producedAtFirstChunk = -1
    for await (const chunk of wav.linear16({ chunkMs: 100 })) {
      if (producedAtFirstChunk < 0) producedAtFirstChunk = produced
      samples += chunk.length / 2
    }
    expect(producedAtFirstChunk).toBeLessThan(4 * piece.length)
    expect(samples).toBe(16000 * seconds)
  })
})

describe('WAV errors', () => {
  it('not a WAV', async () => {
    expect(await reason(() => decodeWav(new TextEncoder().encode('hello world, not audio')))).toBe('not-wav')
    expect(await reason(() => decodeWav(new TextEncoder().encode('RIFF\x04\x00\x00\x00AVI LIST')))).toBe('not-wav')
    expect(await reason(openWav([new TextEncoder().encode('FORM')]))).toBe('not-wav')
  })

  it('compressed formats name the codec', async () => {
    for (const tag of [0x55, 0x02, 0x11, 0x07]) {
      const err = await reason(() => decodeWav(makeWav({ tag, samples: ramp })))
      expect(err).toBe('compressed')
    }
    expect(() => decodeWav(makeWav({ tag: 0x55, samples: ramp }))).toThrow(/MP3, format 0x0055/)
    expect(await reason(() => decodeWav(makeWav({ tag: 0x1234, samples: ramp })))).toBe('unsupported')
    expect(await reason(() => decodeWav(makeWav({ tag: 3, bytes: 2, samples: ramp })))).toBe('unsupported')
  })

  it('zero-length input, zero-length data', async () => {
    expect(await reason(() => decodeWav(new Uint8Array(0)))).toBe('empty')
    expect(await reason(openWav([]))).toBe('empty')
    expect(await reason(() => decodeWav(makeWav({ samples: [] })))).toBe('empty')
    expect(await reason(openWav(makeWav({ samples: [] })))).toBe('empty')
  })

  it('truncated header', async () => {
    const bytes = makeWav({ samples: ramp })
    for (const n of [3, 11, 20, 43]) {
      expect(await reason(() => decodeWav(bytes.subarray(0, n))), `${n} bytes`).toBe('truncated')
    }
    expect(await reason(openWav(pieces(bytes.subarray(0, 30), () => 7)))).toBe('truncated')
  })

  it('the RIFF magic is checked whatever the chunking (RIFX and AIFF fed a byte at a time)', async () => {
    for (const magic of ['RIFX', 'FORM', 'RIF ']) {
      const bytes = makeWav({ samples: ramp })
      bytes.set(new TextEncoder().encode(magic))
      const d = new WavDecoder()
      expect(await reason(() => [...pieces(bytes, () => 1)].forEach((b) => d.push(b))), magic).toBe('not-wav')
      expect(await reason(openWav(pieces(bytes, (i) => (i === 0 ? 1 : 3)))), magic).toBe('not-wav')
    }
    const fine = new WavDecoder()
    for (const b of pieces(makeWav({ samples: ramp }), () => 1)) fine.push(b)
    expect(() => fine.end()).not.toThrow()
  })

  it('absurd sample rates and channel counts are refused up front (no giant filter is built)', async () => {
    for (const rate of [1, 999, 384_001, 0xfffffff0]) {
      const bytes = makeWav({ rate: 16000, samples: ramp })
      new DataView(bytes.buffer).setUint32(24, rate, true)
      const t0 = performance.now()
      expect(await reason(openWav(bytes)), `${rate} Hz`).toBe('unsupported')
      expect(() => decodeWav(bytes)).toThrow(new RegExp(`${rate} Hz`))
      expect(performance.now() - t0).toBeLessThan(1000)
    }
    expect(await reason(() => decodeWav(makeWav({ channels: 65, samples: new Array(65).fill(0) })))).toBe('unsupported')
    expect(decodeWav(makeWav({ rate: 384_000, samples: ramp })).info.sampleRate).toBe(384_000)
    expect(decodeWav(makeWav({ rate: 1000, samples: ramp })).info.sampleRate).toBe(1000)
  })

  it('invalid headers', async () => {
    expect(await reason(() => decodeWav(makeWav({ channels: 0, samples: ramp })))).toBe('invalid')
    const dataFirst = concat(
      [new TextEncoder().encode('RIFF'), u32(12), new TextEncoder().encode('WAVE'), chunk('data', new Uint8Array(4))],
      Uint8Array,
    )
    expect(await reason(() => decodeWav(dataFirst))).toBe('invalid')
  })
})

describe('raw PCM streams', () => {
  it('s16le / f32le / u8, stereo, frames split across chunks -> 16 kHz LINEAR16', async () => {
    const x = tone(1000, 44100, 0.5, 0.5)
    for (const [encoding, bytesPer] of [
      ['s16le', 2],
      ['f32le', 4],
      ['u8', 1],
    ] as const) {
      const bytes = new Uint8Array(x.length * 2 * bytesPer)
      const view = new DataView(bytes.buffer)
      x.forEach((v, i) => {
        for (let c = 0; c < 2; c++) {
          const o = (2 * i + c) * bytesPer
          if (encoding === 's16le') view.setInt16(o, Math.round(v * 32767), true)
          else if (encoding === 'f32le') view.setFloat32(o, v, true)
          else view.setUint8(o, Math.round(v * 127 + 128))
        }
      })
      const out = await collect(
        pcmToLinear16(
          pieces(bytes, (i) => 1 + (i % 7) * 333),
          { encoding, sampleRate: 44100, channels: 2 },
        ),
      )
      const pcm = int16Of(out)
      expect(pcm.length, encoding).toBe(8000)
      const amp = toneAmplitude(
        Array.from(pcm.subarray(300, 7700), (v) => v / 32768),
        1000,
        16000,
      )
      expect(Math.abs(amp - 0.5), encoding).toBeLessThan(encoding === 'u8' ? 0.01 : 1e-3)
    }
  })

  it('validates its options', async () => {
    await expect(collect(pcmToLinear16([], { encoding: 'mp3' as never, sampleRate: 16000 }))).rejects.toThrow(ValidationError)
    await expect(collect(pcmToLinear16([], { encoding: 's16le', sampleRate: 0 }))).rejects.toThrow(/sampleRate/)
    await expect(collect(pcmToLinear16([], { encoding: 's16le', sampleRate: 16000, channels: 0 }))).rejects.toThrow(/channels/)
  })
})

// ---- Files made by sox (skipped where sox is not installed) ----

const hasSox = (() => {
  try {
    execFileSync('sox', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe.skipIf(!hasSox)('files made by sox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'symbl-wav-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const make = (name: string, args: string[]) => {
    const file = join(dir, name)
    execFileSync('sox', ['-n', ...args, file, 'synth', '0.5', 'sine', '1000', 'vol', '0.5'], { stdio: 'ignore' })
    return file
  }

  const formats: [string, string[]][] = [
    ['u8', ['-r', '8000', '-c', '1', '-b', '8', '-e', 'unsigned-integer']],
    ['s16 stereo', ['-r', '44100', '-c', '2', '-b', '16']],
    ['s24 (extensible)', ['-r', '22050', '-c', '2', '-b', '24']],
    ['s32', ['-r', '48000', '-c', '1', '-b', '32', '-e', 'signed-integer']],
    ['f32', ['-r', '96000', '-c', '1', '-b', '32', '-e', 'floating-point']],
    ['f64', ['-r', '32000', '-c', '1', '-b', '64', '-e', 'floating-point']],
    ['s16 3 channels (extensible)', ['-r', '16000', '-c', '3', '-b', '16']],
  ]
  for (const [name, args] of formats) {
    it(`reads ${name}`, async () => {
      const file = make(`${name.replace(/\W/g, '_')}.wav`, args)
      const rate = Number(args[1])
      const wav = await openWav(createReadStream(file, { highWaterMark: 4093 }))
      expect(wav.info.sampleRate).toBe(rate)
      expect(wav.info.channels).toBe(Number(args[3]))
      const pcm = int16Of(await collect(wav.linear16()))
      expect(pcm.length).toBe(8000)
      const amp = toneAmplitude(
        Array.from(pcm.subarray(400, 7600), (v) => v / 32768),
        1000,
        16000,
      )
      expect(Math.abs(amp - 0.5)).toBeLessThan(name === 'u8' ? 0.01 : 1e-3)
    })
  }

  it('reads a WAV piped out of sox (length left open in the header)', async () => {
    const bytes = execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'synth', '0.25', 'sine', '500'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const { samples } = decodeWav(bytes)
    expect(samples.length).toBe(4000)
  })

  it('rejects compressed sox files and AIFF', async () => {
    for (const [encoding, name] of [
      ['ima-adpcm', /IMA ADPCM/],
      ['ms-adpcm', /Microsoft ADPCM/],
      ['gsm-full-rate', /GSM/],
      ['u-law', /mu-law/],
    ] as const) {
      const file = make(`${encoding}.wav`, ['-r', '8000', '-c', '1', '-e', encoding])
      await expect(openWav(createReadStream(file))).rejects.toThrow(name)
    }
    const aiff = make('x.aiff', ['-r', '8000', '-c', '1', '-b', '16'])
    expect(await reason(openWav(readFileSync(aiff)))).toBe('not-wav')
  })
})
