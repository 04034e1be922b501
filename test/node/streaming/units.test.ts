import { describe, expect, it } from 'vitest'
import { MalformedFrameError, QueueFullError } from '../../../src/streaming/errors.js'
import { backoffDelay, reconnectPolicy } from '../../../src/socket/backoff.js'
import { parseFrame } from '../../../src/socket/frames.js'
import { ReplayEmitter } from '../../../src/socket/replay-emitter.js'
import { startRequest, toBytes, type AudioFormat } from '../../../src/streaming/frames.js'
import { ResendTail } from '../../../src/streaming/resend-tail.js'
import { MAX_FRAME, payload, SendQueue, type QueueItem } from '../../../src/streaming/send-queue.js'

const PCM: AudioFormat = { encoding: 'LINEAR16', sampleRateHertz: 16000 }

function drain(q: SendQueue): QueueItem[] {
  const out: QueueItem[] = []
  for (let item = q.shift(); item; item = q.shift()) out.push(item)
  q.admit()
  return out
}

describe('SendQueue', () => {
  it('splits into frames of at most 8192 bytes, copies, and coalesces a backlog of small PCM chunks', async () => {
    const q = new SendQueue(1e6, 'wait')
    const chunk = new Uint8Array(20_000).fill(7)
    await q.offer(chunk, PCM)
    chunk.fill(0) // the queue holds its own copy
    expect(drain(q).map((i) => [i.len, (payload(i) as Uint8Array)[0]])).toEqual([
      [8192, 7],
      [8192, 7],
      [3616, 7],
    ])
    for (let i = 0; i < 100; i++) await q.offer(new Uint8Array(320), PCM)
    const frames = drain(q)
    expect(frames.map((f) => f.len)).toEqual([320, 8192, 8192, 8192, 7104])
    expect(frames.every((f) => f.len <= MAX_FRAME)).toBe(true)
    expect(frames[2].startMs).toBe(((20_000 + 320 + 8192) * 1000) / 32000) // the timeline counts every byte queued
  })

  it('does not merge or cut compressed frames (Opus packets)', async () => {
    const q = new SendQueue(1e6, 'wait')
    const opus = { encoding: 'OPUS', sampleRateHertz: 48000 } as const
    for (let i = 0; i < 3; i++) await q.offer(new Uint8Array(100), opus)
    expect(drain(q).map((f) => f.len)).toEqual([100, 100, 100])
  })

  it('wait: resolves in order as room frees up and never exceeds the bound', async () => {
    const q = new SendQueue(10_000, 'wait')
    const done: number[] = []
    const all = [0, 1, 2].map((i) => q.offer(new Uint8Array(6000), PCM).then(() => done.push(i)))
    await Promise.resolve()
    expect(q.bytes).toBeLessThanOrEqual(10_000)
    expect(q.waitingBytes).toBe(6000 + 2000)
    while (q.length || q.waitingBytes) {
      drain(q)
      expect(q.bytes).toBeLessThanOrEqual(10_000)
    }
    await Promise.all(all)
    expect(done).toEqual([0, 1, 2])
    expect(q.maxBytes).toBe(10_000)
  })

  it('drop-oldest drops from the head; error rejects', async () => {
    const a = new SendQueue(10_000, 'drop-oldest')
    for (let i = 0; i < 5; i++) await a.offer(new Uint8Array(4000), PCM)
    expect(a.bytes).toBeLessThanOrEqual(10_000)
    expect(a.droppedBytes + a.bytes).toBe(20_000)
    const b = new SendQueue(10_000, 'error')
    await b.offer(new Uint8Array(8000), PCM)
    await expect(b.offer(new Uint8Array(8000), PCM)).rejects.toBeInstanceOf(QueueFullError)
    expect(b.bytes).toBe(8000)
  })

  it('keeps a control frame in order behind waiting audio', async () => {
    const q = new SendQueue(4000, 'wait')
    void q.offer(new Uint8Array(3000), PCM)
    void q.offer(new Uint8Array(3000), PCM)
    q.offerText('modify', PCM)
    const seen: Array<number | string> = []
    while (q.length || q.waitingBytes) for (const i of drain(q)) seen.push(typeof i.data === 'string' ? i.data : i.len)
    expect(seen).toEqual([3000, 1000, 2000, 'modify'])
  })
})

describe('ResendTail', () => {
  const item = (len: number, sentAt: number): QueueItem => ({ data: new Uint8Array(len), len, format: PCM, startMs: 0, sentAt })

  it('without acknowledgements keeps the last tailMs of wall-clock time and at least tailMs of audio', () => {
    const t = new ResendTail(1000, 1e9, false)
    for (let i = 0; i < 10; i++) t.add(item(3200, i * 10), i * 10) // 100 ms of audio every 10 ms
    expect(t.bytes).toBe(32_000) // all sent within the last second
    expect(t.take(10_000).length).toBe(10) // 1 s of audio: all of it is the minimum
    for (let i = 0; i < 30; i++) t.add(item(3200, 0), 0)
    expect(t.take(5000).reduce((n, i) => n + i.len, 0)).toBe(32_000)
  })

  it('with acknowledgements keeps everything unacknowledged plus tailMs of acknowledged audio, within the cap', () => {
    const t = new ResendTail(200, 1e9, true)
    for (let i = 0; i < 10; i++) t.add(item(3200, 0), 1e9) // 10 x 100 ms
    const mark = t.mark()
    for (let i = 0; i < 5; i++) t.add(item(3200, 0), 1e9)
    expect(t.unackedMs).toBe(1500)
    t.acknowledge(mark)
    expect(t.unackedMs).toBe(500)
    expect(t.bytes).toBe(7 * 3200) // 5 unacknowledged + 200 ms acknowledged
    const capped = new ResendTail(200, 10_000, true)
    for (let i = 0; i < 10; i++) capped.add(item(3200, 0), 1)
    expect(capped.bytes).toBeLessThanOrEqual(10_000)
  })
})

describe('frames and policies', () => {
  it('parses without throwing', () => {
    expect(parseFrame('__PONG__', () => [])).toEqual({ kind: 'pong' })
    expect(parseFrame('{"type":"x"}', () => [])).toEqual({ kind: 'frame', frame: { type: 'x' } })
    for (const bad of ['{', '1', 'null', '{"type":1}', new ArrayBuffer(2), undefined]) {
      const parsed = parseFrame(bad, () => [])
      expect(parsed.kind).toBe('bad')
      expect((parsed as { error: unknown }).error).toBeInstanceOf(MalformedFrameError)
    }
  })

  it('builds start_request with the format and without undefined fields', () => {
    expect(
      JSON.parse(
        startRequest(
          { config: { languageCode: 'en-US', speechRecognition: { encoding: 'LINEAR16' } } },
          { encoding: 'MULAW', sampleRateHertz: 8000 },
        ),
      ),
    ).toEqual({
      type: 'start_request',
      config: { languageCode: 'en-US', speechRecognition: { encoding: 'MULAW', sampleRateHertz: 8000 } },
    })
  })

  it('views typed arrays without copying', () => {
    const a = new Int16Array([1, 2, 3])
    const v = toBytes(a.subarray(1), PCM)
    expect(v.byteLength).toBe(4)
    expect(v.buffer).toBe(a.buffer)
  })

  it('backs off exponentially with 50-100% jitter, capped', () => {
    const p = reconnectPolicy({ initialDelayMs: 100, maxDelayMs: 1000 })
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(p, n, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000])
    expect(backoffDelay(p, 3, () => 0)).toBe(200)
    expect(reconnectPolicy(false).maxAttempts).toBe(0)
  })
})

describe('ReplayEmitter', () => {
  class E extends ReplayEmitter<{ a: (n: number) => void; b: (n: number) => void }> {
    fire(name: 'a' | 'b', n: number) {
      this.deliver(name, n)
    }
  }

  it('keeps at most 256 per event, hands them to the first listener in order, and leaves the rest to the next after a once', async () => {
    const e = new E()
    for (let i = 0; i < 300; i++) e.fire('a', i)
    const first: number[] = []
    e.once('a', (n) => first.push(n))
    await Promise.resolve()
    expect(first).toEqual([44])
    const rest: number[] = []
    e.on('a', (n) => rest.push(n))
    e.fire('a', 1000) // arrives while the replay is pending: stays behind it
    await Promise.resolve()
    expect(rest.length).toBe(256)
    expect(rest.at(-1)).toBe(1000)
    expect(rest[0]).toBe(45)
  })
})
