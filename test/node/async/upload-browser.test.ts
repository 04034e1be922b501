// The browser transport, run in Node with a stand-in XMLHttpRequest (and without one, where it
// falls back to fetch). Real browsers run it through the browser project.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { browserUpload } from '../../../src/async/upload-browser.js'
import type { UploadRequest } from '../../../src/platform.js'

class FakeXhr {
  static last: FakeXhr
  method = ''
  url = ''
  headers: Record<string, string> = {}
  sent: unknown
  status = 0
  responseText = ''
  responseType = ''
  upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXhr.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string) {
    if (name === 'content-length') throw new Error('Refused to set unsafe header')
    this.headers[name] = value
  }
  getAllResponseHeaders() {
    return 'content-type: application/json\r\nx-thing: 1\r\n'
  }
  send(body: unknown) {
    this.sent = body
    queueMicrotask(() => {
      this.upload.onprogress?.({ loaded: 3 })
      this.upload.onprogress?.({ loaded: 6 })
      this.status = 201
      this.responseText = '{"conversationId":"1","jobId":"j"}'
      this.onload?.()
    })
  }
  abort() {
    this.onabort?.()
  }
}

function request(body: UploadRequest['body'], extra: Partial<UploadRequest> = {}): UploadRequest & { progress: number[] } {
  const progress: number[] = []
  return {
    url: 'https://api.symbl.test/v1/process/audio',
    method: 'POST',
    headers: { 'content-type': 'audio/wav', 'content-length': '6', authorization: 'Bearer t' },
    body,
    size: 6,
    signal: new AbortController().signal,
    onProgress: (n) => progress.push(n),
    fetch: () => Promise.reject(new Error('fetch must not be used')),
    progress,
    ...extra,
  }
}

afterEach(() => vi.unstubAllGlobals())

describe('browser upload transport', () => {
  it('sends a Blob through XMLHttpRequest with progress, leaving Content-Length to the browser', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const blob = new Blob([new Uint8Array([1, 2, 3, 4, 5, 6])])
    const req = request(blob)
    const response = await browserUpload(req)
    expect(response.status).toBe(201)
    expect(response.headers.get('x-thing')).toBe('1')
    expect(await response.json()).toEqual({ conversationId: '1', jobId: 'j' })
    expect(FakeXhr.last).toMatchObject({
      method: 'POST',
      url: req.url,
      headers: { 'content-type': 'audio/wav', authorization: 'Bearer t' },
    })
    expect(FakeXhr.last.sent).toBe(blob)
    expect(req.progress).toEqual([3, 6])
  })

  it('collects a ReadableStream into a Blob first (browsers cannot stream request bodies over HTTP/1.1)', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2, 3]))
        c.enqueue(new Uint8Array([4, 5, 6]))
        c.close()
      },
    })
    await browserUpload(request(stream))
    expect(FakeXhr.last.sent).toBeInstanceOf(Blob)
    expect(new Uint8Array(await (FakeXhr.last.sent as Blob).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6]))
  })

  it('rejects with the abort reason when the signal aborts', async () => {
    class Hanging extends FakeXhr {
      send(body: unknown) {
        this.sent = body
      }
    }
    vi.stubGlobal('XMLHttpRequest', Hanging)
    const controller = new AbortController()
    const pending = browserUpload(request(new Uint8Array(6), { signal: controller.signal }))
    await Promise.resolve()
    controller.abort(new Error('stop'))
    await expect(pending).rejects.toThrow('stop')
  })

  it('reports a network failure as a TypeError, like fetch', async () => {
    class Failing extends FakeXhr {
      send() {
        queueMicrotask(() => this.onerror?.())
      }
    }
    vi.stubGlobal('XMLHttpRequest', Failing)
    await expect(browserUpload(request(new Uint8Array(6)))).rejects.toBeInstanceOf(TypeError)
  })

  it('falls back to fetch without XMLHttpRequest, reporting progress at the end', async () => {
    vi.stubGlobal('XMLHttpRequest', undefined)
    const fetch = vi.fn(async () => new Response('{}', { status: 201 }))
    const req = request(new Uint8Array(6), { fetch: fetch as never })
    await browserUpload(req)
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe(req.url)
    expect(init.headers).toEqual({ 'content-type': 'audio/wav', authorization: 'Bearer t' })
    expect(req.progress).toEqual([6])
  })
})
