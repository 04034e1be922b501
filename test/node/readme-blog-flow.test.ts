// The README's "Sentiment per speaker" section shows what the blog's flow prints against the emulator
// with a preloaded transcript. This runs that snippet (its transcript lines and parameters, read
// from the README itself) and checks the README's printed output is what the code really prints.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Symbl, speakerSentiment } from '../../src/node.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'

const ROOT = resolve(import.meta.dirname, '../..')
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('### Sentiment per speaker'), readme.indexOf('## Streaming'))

function snippetParts() {
  const preload = /emu\.core\.preloadTranscript\('([^']+)', (\[[\s\S]*?\n\])\)/.exec(section)
  const name = /parameters: \{ name: '([^']+)'/.exec(section)
  const printed = [...section.matchAll(/^\/\/ (\w+ \d+\.\ds -?\d\.\d\d(?:, \d+\.\ds -?\d\.\d\d)*)$/gm)].map((m) => m[1])
  if (!preload || !name || printed.length === 0) throw new Error('README: the blog-flow snippet changed shape; update this test')
  // The lines are a plain object literal in the README (no code in them): evaluate them as such.
  const lines = new Function(`return ${preload[2]}`)() as { text: string; speaker: { name: string }; start: number; end: number }[]
  return { key: preload[1], lines, name: name[1], printed }
}

let emu: RunningEmulator
beforeAll(async () => (emu = await startEmulator({ port: 0, jobDelayMs: 20 })))
afterAll(() => emu.close())

describe("README: the blog's flow on the emulator", () => {
  it('prints what the README says it prints', async () => {
    const { key, lines, name, printed } = snippetParts()
    expect(key).toBe(name) // the preload is found by parameters.name
    emu.core.preloadTranscript(key, lines)
    const symbl = new Symbl({ baseUrl: emu.url, appId: 'any', appSecret: 'any' })
    const conversation = await symbl.audio.processFile(resolve(ROOT, 'test/fixtures/two-speakers-8k.wav'), {
      parameters: { name, enableSpeakerDiarization: true, diarizationSpeakerCount: 2 },
    })
    const { messages } = await conversation.getMessages({ sentiment: true })
    const out = speakerSentiment(messages).map(
      ({ speaker, points }) => `${speaker} ${points.map((p) => `${p.time.toFixed(1)}s ${p.polarity.toFixed(2)}`).join(', ')}`,
    )
    expect(out).toEqual(printed)
    expect(out.length).toBe(2)
  })
})
