// The server entries export captureMicrophone and processorSource too, because a server-rendered
// client component (Next.js) imports them through the Node or edge entry: the import must resolve,
// and a call on the server must be a clear MicrophoneError rather than a crash.
import { describe, expect, it } from 'vitest'
import * as node from '../../../src/node.js'
import * as worker from '../../../src/worker.js'
import * as browser from '../../../src/browser.js'

describe.each([
  ['node', node],
  ['worker', worker],
])('the %s entry', (_name, entry) => {
  it('exports captureMicrophone, which rejects with a MicrophoneError saying it needs a browser', async () => {
    const error = await entry.captureMicrophone({ onChunk: () => {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(entry.MicrophoneError)
    expect(error).toMatchObject({ reason: 'worklet-unavailable', code: 'microphone' })
    expect((error as Error).message).toMatch(/needs a browser.*useEffect/)
  })

  it("exports the browser entry's processorSource (the worklet's text, for a server that hosts it)", () => {
    expect(entry.processorSource()).toBe(browser.processorSource())
  })
})
