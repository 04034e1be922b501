// Bad microphone options, in real Chromium and Firefox: each is a ValidationError naming the option
// and the fix, thrown before the browser is asked for the microphone (no permission prompt for a
// call that cannot work), never a TypeError and never a misleading MicrophoneError.
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { captureMicrophone, type MicrophoneOptions } from '../../src/audio/microphone.js'
import { Symbl } from '../../src/browser.js'
import { SymblError, ValidationError } from '../../src/errors.js'
import type { StreamingConnection } from '../../src/streaming/connection.js'

const { url } = inject('symblServer')
const connections: StreamingConnection[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const c of connections.splice(0)) if (c.state !== 'closed') c.close()
})

async function expectRefused(call: () => Promise<unknown>, message: RegExp): Promise<void> {
  const gum = vi.spyOn(navigator.mediaDevices, 'getUserMedia')
  const error = await call().then(
    () => new Error('the call succeeded, but it should have failed'),
    (e: unknown) => e as Error,
  )
  expect(error).not.toBeInstanceOf(TypeError)
  expect(error).toBeInstanceOf(SymblError)
  expect(error).toBeInstanceOf(ValidationError)
  expect(error.message).toMatch(message)
  expect(gum).not.toHaveBeenCalled()
  gum.mockRestore()
}

const onChunk = () => {}
// [what, options, message]: the same options go to captureMicrophone and (without onChunk) to sendAudioFromMic.
const cases: Array<[string, Partial<MicrophoneOptions>, RegExp]> = [
  ['deviceId 5', { deviceId: 5 as never }, /deviceId must be a string from navigator\.mediaDevices\.enumerateDevices\(\), got number 5/],
  ['deviceId ""', { deviceId: '' }, /deviceId is empty: enumerateDevices\(\) gives empty ids before microphone permission/],
  ['deviceId null', { deviceId: null as never }, /deviceId must be a string .*got null/],
  [
    'constraints "raw"',
    { constraints: 'raw' as never },
    /constraints must be an object such as \{ echoCancellation: false \}, got the string "raw"/,
  ],
  ['constraints []', { constraints: [] as never }, /constraints must be an object .*got an array/],
  ['chunkMs "50"', { chunkMs: '50' as never }, /chunkMs must be a number of milliseconds from 20 to 100, got the string "50"/],
  ['chunkMs NaN', { chunkMs: NaN }, /chunkMs must be a number .*got number NaN/],
  ['chunkMs 1000', { chunkMs: 1000 }, /chunkMs must be a number of milliseconds from 20 to 100, got number 1000/],
  [
    'workletUrl ""',
    { workletUrl: '' },
    /workletUrl must be the URL of a hosted copy of processorSource\(\), a non-empty string, got an empty string/,
  ],
  ['workletUrl 5', { workletUrl: 5 as never }, /workletUrl must be .*got number 5/],
  ['onLevel "meter"', { onLevel: 'meter' as never }, /onLevel must be a function, got the string "meter"/],
  ['followDefaultDevice "yes"', { followDefaultDevice: 'yes' as never }, /followDefaultDevice must be true or false, got the string "yes"/],
  ['silenceSeconds 0', { silenceSeconds: 0 }, /silenceSeconds must be a number of seconds from 1 to 3600, got number 0/],
]

describe('captureMicrophone', () => {
  it.each(cases)('%s', async (_what, options, message) => {
    await expectRefused(() => captureMicrophone({ onChunk, ...options }), message)
  })

  it.each([
    ['no options', undefined, /captureMicrophone options must be an object .*got undefined/],
    ['null', null, /captureMicrophone options must be an object .*got null/],
    ['onChunk missing', {}, /onChunk must be a function that receives each chunk, got undefined/],
    ['onEnded 5', { onChunk, onEnded: 5 }, /onEnded must be a function, got number 5/],
    [
      'targetSampleRate null',
      { onChunk, targetSampleRate: null },
      /targetSampleRate must be a whole number of Hz from 8000 to 48000, got null/,
    ],
    ['targetSampleRate "16000"', { onChunk, targetSampleRate: '16000' }, /targetSampleRate must be .*got the string "16000"/],
  ])('%s', async (_what, options, message) => {
    await expectRefused(() => captureMicrophone(options as never), message)
  })
})

describe('connection.sendAudioFromMic', () => {
  it('refuses each bad option before asking for the microphone, then still opens it with good ones', async () => {
    const symbl = new Symbl({ baseUrl: url, accessToken: 'browser-token' })
    const c = await symbl.streaming.startConnection({ config: { speechRecognition: { sampleRateHertz: 16000 } } })
    connections.push(c)
    for (const [, options, message] of cases) await expectRefused(() => c.sendAudioFromMic(options), message)
    await expectRefused(() => c.sendAudioFromMic([] as never), /takes an options object, e\.g\. \{ deviceId \}, got an array/)
    await expectRefused(() => c.sendAudioFromMic({ onEnded: 5 } as never), /sendAudioFromMic: onEnded must be a function, got number 5/)
    await expectRefused(() => c.sendAudioFromMic({ onEvent: 5 } as never), /sendAudioFromMic: onEvent must be a function, got number 5/)
    await expectRefused(() => c.sendAudioFromMic({ targetSampleRate: 8000 } as never), /leave out onChunk and targetSampleRate/)
    await expectRefused(() => c.sendAudioFromMic({ onChunk } as never), /leave out onChunk and targetSampleRate/)
    // None of the refusals left the connection thinking a microphone was opening.
    const handle = await c.sendAudioFromMic({ constraints: { echoCancellation: false } })
    expect(handle.active).toBe(true)
    await c.stop()
  })
})
