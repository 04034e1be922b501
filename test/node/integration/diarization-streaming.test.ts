// Speakers from audio on a live stream (issue 16): a start_request with
// `config.enableSpeakerDiarization` and `config.diarizationSpeakerCount` (our names: the contract lists
// no streaming field) gets each speech segment's speaker from its voice, told in the message_response
// as the segment ends. Two espeak-ng voices streamed through the SDK must be >= 90 % separated.
import { describe, expect, it } from 'vitest'
import type { StreamingOptions } from '../../../src/streaming/types.js'
import { conversationWav, hasVoiceTools, speakerAccuracy } from '../../emulator/diarization-audio.js'
import { useEmulator } from './helpers.js'

const env = useEmulator()

/** The 16-bit PCM of a WAV's data chunk (the files here are 16 kHz mono 16-bit). */
function pcmOf(wav: Uint8Array): Int16Array {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength)
  for (let at = 12; at + 8 <= wav.length; ) {
    const id = String.fromCharCode(...wav.subarray(at, at + 4))
    const size = view.getUint32(at + 4, true)
    if (id === 'data') return new Int16Array(wav.slice(at + 8, at + 8 + size).buffer)
    at += 8 + size + (size % 2)
  }
  throw new Error('no data chunk')
}

async function stream(speakers: number, config: StreamingOptions['config']) {
  const { wav, turns } = conversationWav(speakers)
  const pcm = pcmOf(wav)
  const connection = await env.symbl.streaming.startConnection({ keepAlive: false, config })
  const live: string[] = []
  connection.on('message_response', (e) => live.push(...e.messages.map((m) => m.from?.name ?? '')))
  for (let i = 0; i < pcm.length; i += 1600) {
    await connection.sendAudio(pcm.subarray(i, i + 1600))
    if (i % 16000 === 0) await new Promise((r) => setImmediate(r))
  }
  const conversation = await connection.stop()
  const { messages } = await conversation.getMessages()
  return { messages, live, turns }
}

describe.skipIf(!hasVoiceTools)('diarization of a live stream (espeak-ng voices)', () => {
  it('two voices: each message_response names the voice, >= 90 % of speech time right', async () => {
    const { messages, live, turns } = await stream(2, {
      enableSpeakerDiarization: true,
      diarizationSpeakerCount: 2,
      speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 },
    })
    expect(live).toEqual(messages.map((m) => m.from?.name))
    expect(new Set(live)).toEqual(new Set(['Speaker 1', 'Speaker 2']))
    const labelled = messages.map((m) => ({
      start: m.timeOffset ?? 0,
      end: (m.timeOffset ?? 0) + (m.duration ?? 0),
      label: m.from?.name ?? '',
    }))
    expect(speakerAccuracy(labelled, turns).accuracy).toBeGreaterThanOrEqual(0.9)
  })

  it('without diarization the stream has one speaker; a flag without a count is an error frame', async () => {
    const { live } = await stream(2, { speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 } })
    expect(live.length).toBeGreaterThan(4)
    expect(new Set(live).size).toBe(1)
    const failed = await env.symbl.streaming
      .startConnection({ keepAlive: false, startTimeoutMs: 3000, config: { enableSpeakerDiarization: true } })
      .catch((e: unknown) => e)
    expect(String((failed as Error).message)).toMatch(/diarizationSpeakerCount" is required/)
  })
})
