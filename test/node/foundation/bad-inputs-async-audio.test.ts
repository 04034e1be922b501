// Bad inputs to the Async API and to the audio helpers: each must fail at once with a typed SDK error
// naming what was wrong and how to fix it. Never a TypeError, never a silent success, never a
// request or a byte of audio sent with garbage. (The microphone's cases run in real browsers:
// test/browser/mic-bad-inputs.test.ts.)
import { describe, expect, it } from 'vitest'
import { AudioFormatError } from '../../../src/audio/errors.js'
import { Linear16Encoder } from '../../../src/audio/linear16.js'
import { floatToInt16LE, int16ToFloat32 } from '../../../src/audio/pcm.js'
import { pcmToLinear16, PcmDecoder } from '../../../src/audio/pcm-stream.js'
import { Resampler } from '../../../src/audio/resampler.js'
import { decodeWav, openWav, WavDecoder } from '../../../src/audio/wav.js'
import { readFileChunks } from '../../../src/runtime/node-files.js'
import { sendPcmStream, sendWavFile, type AudioSink } from '../../../src/streaming/audio-input.js'
import type { Symbl } from '../../../src/node.js'
import { asyncRoutes, client, JOB, useServer } from '../api-support.js'
import { wavFile } from '../streaming/pcm-files.js'
import { expectTyped } from '../expect-typed.js'

useServer()

const url = 'https://example.com/call.wav'
const bytes = new Uint8Array(1000)
const message = { payload: { content: 'Hello there.' } }
const parametersOf = (parameters: Record<string, unknown>) => ({ wait: false as const, parameters: parameters as never })

describe('Async API parameters (contract 3.2): checked before anything is sent', () => {
  // [what, parameters, message]; each is tried on a file upload, a URL and (where it applies) text.
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'diarizationSpeakerCount as a string',
      { enableSpeakerDiarization: true, diarizationSpeakerCount: '2' },
      /diarizationSpeakerCount must be a whole number of speakers from 1 to 100, got the string "2"/,
    ],
    [
      'diarizationSpeakerCount 0',
      { enableSpeakerDiarization: true, diarizationSpeakerCount: 0 },
      /diarizationSpeakerCount must be a whole number/,
    ],
    [
      'diarizationSpeakerCount 2.5',
      { enableSpeakerDiarization: true, diarizationSpeakerCount: 2.5 },
      /diarizationSpeakerCount must be a whole number/,
    ],
    ['diarization without a count', { enableSpeakerDiarization: true }, /enableSpeakerDiarization needs diarizationSpeakerCount/],
    ['a count without diarization', { diarizationSpeakerCount: 2 }, /works only with enableSpeakerDiarization: true/],
    ['confidenceThreshold 2', { confidenceThreshold: 2 }, /confidenceThreshold must be a number from 0\.5 to 1\.0.*got number 2/],
    ['confidenceThreshold NaN', { confidenceThreshold: NaN }, /confidenceThreshold must be a number.*got number NaN/],
    ['confidenceThreshold as a string', { confidenceThreshold: '0.7' }, /confidenceThreshold must be a number.*got the string "0.7"/],
    ['languageCode 5', { languageCode: 5 }, /languageCode must be a BCP-47 language code such as "en-US", got number 5/],
    ['languageCode "english"', { languageCode: 'english' }, /languageCode must be a BCP-47/],
    ['languageCode ""', { languageCode: '' }, /languageCode must be a BCP-47.*got an empty string/],
    ['trackers "x"', { trackers: 'x' }, /trackers must be a list of \{ name, vocabulary: \[\.\.\.\] \}, got the string "x"/],
    ['a tracker without vocabulary', { trackers: [{ name: 'Pricing' }] }, /trackers\[0\]\.vocabulary must be given/],
    [
      'a tracker with an empty vocabulary',
      { trackers: [{ name: 'Pricing', vocabulary: [] }] },
      /trackers\[0\]\.vocabulary must be a non-empty list/,
    ],
    ['webhookUrl "not a url"', { webhookUrl: 'not a url' }, /webhookUrl must be an absolute http\(s\) URL.*got the string "not a url"/],
    ['webhookUrl ftp://', { webhookUrl: 'ftp://example.com/hook' }, /webhookUrl must be an absolute http\(s\) URL/],
    ['mode "loud"', { mode: 'loud' }, /mode must be "phone" .* or "default", got the string "loud"/],
    ['detectPhrases "true"', { detectPhrases: 'true' }, /detectPhrases must be true or false, got the string "true"/],
    ['enableSummary 1', { enableSummary: 1 }, /enableSummary must be true or false, got number 1/],
    ['customVocabulary as a string', { customVocabulary: 'Symbl' }, /customVocabulary must be a list of words or phrases/],
    ['customVocabulary with an empty word', { customVocabulary: ['ok', ''] }, /customVocabulary\[1\] must be a non-empty string/],
    [
      'entities as an object',
      { entities: { customType: 'A', text: 'b' } },
      /entities must be a list of \{ customType, text, value\? \}, got an object/,
    ],
    ['an entity without text', { entities: [{ customType: 'Company' }] }, /entities\[0\]\.text must be given/],
    [
      'channelMetadata without the per-channel flag',
      { channelMetadata: [{ channel: 1, speaker: { name: 'R' } }] },
      /channelMetadata works only with enableSeparateRecognitionPerChannel: true/,
    ],
    [
      'channel 0',
      { enableSeparateRecognitionPerChannel: true, channelMetadata: [{ channel: 0, speaker: {} }] },
      /channelMetadata\[0\]\.channel must be a channel number, 1 or more, got number 0/,
    ],
    ['name ""', { name: '' }, /name must be a non-empty string, got an empty string/],
    ['name null', { name: null }, /name must be a value \(leave the option out to use the default\), got null/],
    [
      'a typo in a name',
      { diarizationSpeakercount: 2 },
      /diarizationSpeakercount is not an option: did you mean diarizationSpeakerCount\?/,
    ],
    ['an unknown option', { speed: 2 }, /speed is not an option of .*; they are name, webhookUrl/],
    ['the old name customEntities', { customEntities: [] }, /customEntities is the old name of entities/],
  ]
  const mediaOnly = /diarization|languageCode|mode|customVocabulary|channel|typo/
  it.each(cases)('%s', async (what, parameters, msg) => {
    const { seen } = asyncRoutes()
    const s = client()
    await expectTyped(() => s.audio.processFile(bytes, { contentType: 'audio/wav', ...parametersOf(parameters) }), msg)
    await expectTyped(() => s.video.appendFile(bytes, JOB.conversationId, { contentType: 'video/mp4', ...parametersOf(parameters) }), msg)
    await expectTyped(() => s.audio.processUrl({ url }, parametersOf(parameters)), msg)
    // In the URL payload itself too (the options may sit next to `url`).
    await expectTyped(() => s.video.processUrl({ url, ...parameters } as never, { wait: false }), msg)
    if (!mediaOnly.test(what)) await expectTyped(() => s.text.process({ messages: [message] }, parametersOf(parameters)), msg)
    expect(seen).toHaveLength(0)
  })

  it('options of one endpoint are refused by another, naming where they belong', async () => {
    const s = client()
    await expectTyped(
      () => s.text.process({ messages: [message], languageCode: 'en-US' } as never, { wait: false }),
      /payload\.languageCode is not an option of the Text API; it applies to file uploads .* and media URLs/,
    )
    await expectTyped(
      () => s.audio.processFile(bytes, { contentType: 'audio/wav', ...parametersOf({ metadata: { a: 1 } }) }),
      /metadata is not an option of file uploads .*; it applies to media URLs .* and the Text API/,
    )
  })

  it('the documented options, well formed, still pass (file, URL and text)', async () => {
    const { seen } = asyncRoutes()
    const s = client()
    const common = {
      name: 'n',
      webhookUrl: 'https://example.com/h',
      confidenceThreshold: 0.5,
      detectPhrases: true,
      entities: [{ customType: 'A', text: 'b', value: 'c' }],
      trackers: [{ name: 'T', vocabulary: ['v'] }],
      enableSummary: false,
    }
    const media = {
      ...common,
      customVocabulary: ['x'],
      languageCode: 'zh-Hans-CN',
      mode: 'phone',
      enableSpeakerDiarization: true,
      diarizationSpeakerCount: 3,
      enableSeparateRecognitionPerChannel: true,
      channelMetadata: [{ channel: 2, speaker: { name: 'R', email: 'r@example.com' } }],
    }
    const newer = {
      features: { featureList: ['insights'] },
      metadata: { stage: 'x' },
      conversationType: 'sales',
      undefinedIsLeftOut: undefined,
    }
    await s.audio.processFile(bytes, { contentType: 'audio/wav', ...parametersOf(media) })
    await s.audio.processUrl({ url, ...media, ...newer } as never, { wait: false })
    await s.text.process({ messages: [message], ...common, ...newer } as never, { wait: false })
    expect(seen).toHaveLength(3)
  })
})

describe('Async API arguments of every kind', () => {
  const cases: Array<[string, (s: Symbl) => unknown, RegExp]> = [
    ['processUrl(null)', (s) => s.audio.processUrl(null as never), /payload must be an object such as \{ url: .*got null/],
    ['processUrl([])', (s) => s.video.processUrl([] as never), /payload must be an object .*got an array/],
    ['processUrl(5)', (s) => s.audio.processUrl(5 as never), /payload must be an object .*got number 5/],
    [
      'processUrl with url 5',
      (s) => s.audio.processUrl({ url: 5 } as never),
      /payload\.url is required and must be a public http\(s\) URL of the audio, got number 5/,
    ],
    [
      'processUrl with url "https://"',
      (s) => s.audio.processUrl({ url: 'https://' }),
      /payload\.url is required and must be a public http\(s\) URL/,
    ],
    ['appendUrl with a number id', (s) => s.audio.appendUrl({ url }, 5 as never), /conversationId must be a string/],
    ['processUrl with options []', (s) => s.audio.processUrl({ url }, [] as never), /options must be an object/],
    [
      'processUrl with parameters "x"',
      (s) => s.audio.processUrl({ url }, { parameters: 'x' } as never),
      /options\.parameters must be an object/,
    ],
    ['text.process(null)', (s) => s.text.process(null as never), /payload must be an object \{ messages: \[\.\.\.\] \}, got null/],
    ['text.process([])', (s) => s.text.process([] as never), /payload must be an object .*got an array/],
    ['text.process with messages: []', (s) => s.text.process({ messages: [] }), /payload\.messages must be a non-empty array/],
    [
      'text.process with messages as an object',
      (s) => s.text.process({ messages: message } as never),
      /payload\.messages must be a non-empty array .*got an object/,
    ],
    [
      'a message that is a string',
      (s) => s.text.process({ messages: ['Hello'] } as never),
      /payload\.messages\[0\] must be an object .*got the string "Hello"/,
    ],
    [
      'a message without payload.content',
      (s) => s.text.process({ messages: [{ payload: {} }] } as never),
      /payload\.messages\[0\]\.payload\.content must be non-empty text, got undefined/,
    ],
    [
      'a message whose payload is a string',
      (s) => s.text.process({ messages: [{ payload: 'Hi' }] } as never),
      /payload\.messages\[0\]\.payload must be an object such as \{ content: "Hello" \}, got the string "Hi"/,
    ],
    [
      'a message with content 5',
      (s) => s.text.process({ messages: [{ payload: { content: 5 } }] } as never),
      /content must be non-empty text, got number 5/,
    ],
    [
      'a message from a string',
      (s) => s.text.process({ messages: [{ ...message, from: 'Ann' }] } as never),
      /payload\.messages\[0\]\.from must be an object/,
    ],
    [
      'a message from a numeric userId',
      (s) => s.text.process({ messages: [{ ...message, from: { userId: 7 } }] } as never),
      /from\.userId must be a string, got number 7/,
    ],
    [
      'a message with a bad startTime',
      (s) => s.text.process({ messages: [{ ...message, duration: { startTime: 'yesterday' } }] } as never),
      /duration\.startTime must be an ISO 8601 time/,
    ],
    ['text.append with an empty id', (s) => s.text.append({ messages: [message] }, ''), /conversationId is required/],
    ['processFile(null)', (s) => s.audio.processFile(null as never), /file is required/],
    ['processFile(5)', (s) => s.audio.processFile(5 as never, { contentType: 'audio/wav' }), /file must be a File\/Blob.*got number 5/],
    ['processFile({})', (s) => s.video.processFile({} as never, { contentType: 'video/mp4' }), /file must be a File\/Blob.*got an object/],
    [
      'processFile with contentType 5',
      (s) => s.audio.processFile(bytes, { contentType: 5 } as never),
      /contentType must be a media type such as "audio\/wav", got number 5/,
    ],
    [
      'a video upload typed audio/wav',
      (s) => s.video.processFile(bytes, { contentType: 'audio/wav' }),
      /cannot be sent to the Video API, which takes only "video\/mp4": send audio with symbl\.audio/,
    ],
    [
      'an audio upload typed video/mp4',
      (s) => s.audio.processFile(bytes, { contentType: 'video/mp4' }),
      /is not an audio type.*send video with symbl\.video/,
    ],
    ['an audio upload typed text/plain', (s) => s.audio.processFile(bytes, { contentType: 'text/plain' }), /is not an audio type/],
    [
      'processFile with size NaN',
      (s) => s.audio.processFile(bytes, { contentType: 'audio/wav', size: NaN }),
      /options\.size must be the byte length/,
    ],
    ['processFile with wait "no"', (s) => s.audio.processFile(bytes, { wait: 'no' } as never), /options\.wait must be true or false/],
    [
      'a waitTimeout of null',
      (s) => s.text.process({ messages: [message] }, { waitTimeout: null } as never),
      /waitTimeout must be a positive number of milliseconds.*got null/,
    ],
    [
      'a pollInterval factor of Infinity',
      (s) => s.text.process({ messages: [message] }, { pollInterval: { factor: Infinity } }),
      /pollInterval\.factor must be a finite number of 1 or more/,
    ],
    [
      'a pollInterval initialMs of "1s"',
      (s) => s.text.process({ messages: [message] }, { pollInterval: { initialMs: '1s' } } as never),
      /pollInterval\.initialMs must be a positive number/,
    ],
  ]
  it.each(cases)('%s', async (_name, call, msg) => {
    const { seen } = asyncRoutes()
    await expectTyped(() => call(client()), msg)
    expect(seen).toHaveLength(0)
  })
})

describe('sendAudioFromFile / sendAudioStream options', () => {
  const sent: Uint8Array[] = []
  const sink: AudioSink = { format: { encoding: 'LINEAR16', sampleRateHertz: 16000 }, sendAudio: async (a) => void sent.push(a) }
  const pcm = [new Uint8Array(3200)]
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'a stream without sampleRate',
      () => sendPcmStream(sink, pcm, {} as never),
      /sendAudioStream: sampleRate must be an integer number of Hz from 1000 to 384000 .*got undefined/,
    ],
    [
      'sampleRate "16000"',
      () => sendPcmStream(sink, pcm, { sampleRate: '16000' } as never),
      /sampleRate must be an integer .*got the string "16000"/,
    ],
    ['sampleRate NaN', () => sendPcmStream(sink, pcm, { sampleRate: NaN }), /sampleRate must be an integer .*got number NaN/],
    ['sampleRate Infinity', () => sendPcmStream(sink, pcm, { sampleRate: Infinity }), /sampleRate must be an integer/],
    ['sampleRate 1e9', () => sendPcmStream(sink, pcm, { sampleRate: 1e9 }), /sampleRate must be an integer .*384000/],
    [
      'format null',
      () => sendPcmStream(sink, pcm, { sampleRate: 16000, format: null } as never),
      /format must be one of s16le, .*got null/,
    ],
    ['format "S16LE"', () => sendPcmStream(sink, pcm, { sampleRate: 16000, format: 'S16LE' } as never), /format must be one of/],
    [
      'channels null',
      () => sendPcmStream(sink, pcm, { sampleRate: 16000, channels: null } as never),
      /channels must be the number of interleaved channels.*got null/,
    ],
    [
      'channels "2"',
      () => sendPcmStream(sink, pcm, { sampleRate: 16000, channels: '2' } as never),
      /channels must be .*got the string "2"/,
    ],
    ['channels 1.5', () => sendPcmStream(sink, pcm, { sampleRate: 16000, channels: 1.5 }), /channels must be/],
    ['options as an array', () => sendPcmStream(sink, pcm, [] as never), /needs options with the source format.*got an array/],
    [
      'chunkMs "100"',
      () => sendPcmStream(sink, pcm, { sampleRate: 16000, chunkMs: '100' } as never),
      /chunkMs must be a number of milliseconds from 10 to 1000, got the string "100"/,
    ],
    [
      'realtime "yes"',
      () => sendPcmStream(sink, pcm, { sampleRate: 16000, realtime: 'yes' } as never),
      /realtime must be a boolean .*got the string "yes"/,
    ],
    ['a file path of 5', () => sendWavFile(sink, readFileChunks, 5 as never), /takes the path of a WAV file as a non-empty string/],
    ['a file path of ""', () => sendWavFile(sink, readFileChunks, ''), /takes the path of a WAV file/],
    [
      'file options as an array',
      () => sendWavFile(sink, readFileChunks, 'x.wav', [] as never),
      /sendAudioFromFile: options must be an object .*got an array/,
    ],
    [
      'file options with chunkMs NaN',
      () => sendWavFile(sink, readFileChunks, 'x.wav', { chunkMs: NaN }),
      /sendAudioFromFile: chunkMs must be a number .*got number NaN/,
    ],
  ]
  it.each(cases)('%s', async (_name, call, msg) => {
    sent.length = 0
    await expectTyped(call, msg)
    expect(sent).toHaveLength(0)
  })
})

describe('openWav, pcmToLinear16, Linear16Encoder, Resampler, WavDecoder, floatToInt16LE', () => {
  const wav = wavFile(new Float64Array(1600), 's16le', 16000)
  const drain = async (it: AsyncIterable<unknown>) => {
    for await (const _ of it);
  }
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['openWav(null)', () => openWav(null as never), /openWav: source must be an iterable or async iterable of byte chunks .*got null/],
    [
      'openWav("call.wav")',
      () => openWav('call.wav' as never),
      /a string is not read as a path; on Node pass fs\.createReadStream\(path\)/,
    ],
    ['openWav(5)', () => openWav(5 as never), /openWav: source must be .*got number 5/],
    ['openWav of text chunks', () => openWav(['RIFF....'] as never), /openWav: each chunk must be bytes .*read the source as bytes/],
    ['openWav of number chunks', () => openWav([[1, 2, 3]] as never), /openWav: each chunk must be bytes .*got an array/],
    [
      'wav.linear16({ targetSampleRate: "16000" })',
      async () => drain((await openWav(wav)).linear16({ targetSampleRate: '16000' } as never)),
      /targetSampleRate must be a whole number of Hz from 8000 to 48000, got the string "16000"/,
    ],
    [
      'wav.linear16(null)',
      async () => drain((await openWav(wav)).linear16(null as never)),
      /Linear16Encoder options must be an object .*got null/,
    ],
    ['decodeWav("x")', () => decodeWav('x' as never), /decodeWav: each chunk must be bytes/],
    ['WavDecoder.push(null)', () => new WavDecoder().push(null as never), /WavDecoder\.push: bytes must be a Uint8Array .*got null/],
    [
      'pcmToLinear16 without options',
      () => drain(pcmToLinear16([new Uint8Array(4)], undefined as never)),
      /pcmToLinear16 options must be an object/,
    ],
    [
      'pcmToLinear16 of null',
      () => drain(pcmToLinear16(null as never, { encoding: 's16le', sampleRate: 16000 })),
      /pcmToLinear16: source must be an iterable/,
    ],
    [
      'pcmToLinear16 of string chunks',
      () => drain(pcmToLinear16(['ab'] as never, { encoding: 's16le', sampleRate: 16000 })),
      /pcmToLinear16: each chunk must be bytes/,
    ],
    [
      'pcmToLinear16 with channels null',
      () => drain(pcmToLinear16([new Uint8Array(4)], { encoding: 's16le', sampleRate: 16000, channels: null } as never)),
      /channels must be a whole number from 1 to 64, got null/,
    ],
    [
      'pcmToLinear16 with encoding 5',
      () => drain(pcmToLinear16([new Uint8Array(4)], { encoding: 5, sampleRate: 16000 } as never)),
      /encoding must be one of u8, s16le.*got number 5/,
    ],
    [
      'pcmToLinear16 with chunkMs "20"',
      () => drain(pcmToLinear16([new Uint8Array(4)], { encoding: 's16le', sampleRate: 16000, chunkMs: '20' } as never)),
      /chunkMs must be a number of milliseconds .*got the string "20"/,
    ],
    ['PcmDecoder.push("ab")', () => new PcmDecoder('s16le', 1).push('ab' as never), /PcmDecoder\.push: bytes must be a Uint8Array/],
    [
      'new Linear16Encoder("44100")',
      () => new Linear16Encoder('44100' as never),
      /Linear16Encoder inputRate must be a whole number of Hz from 1000 to 384000, got the string "44100"/,
    ],
    ['new Linear16Encoder(44100, 5)', () => new Linear16Encoder(44100, 5 as never), /Linear16Encoder options must be an object/],
    [
      'new Linear16Encoder(44100, { chunkMs: Infinity })',
      () => new Linear16Encoder(44100, { chunkMs: Infinity }),
      /chunkMs must be a number of milliseconds above 0, at most 10000, got number Infinity/,
    ],
    [
      'Linear16Encoder.push([0.1])',
      () => new Linear16Encoder(16000).push([0.1] as never),
      /Linear16Encoder\.push: samples must be a Float32Array/,
    ],
    ['new Resampler()', () => new Resampler(undefined as never), /Resampler options must be an object .*got undefined/],
    [
      'new Resampler with a string rate',
      () => new Resampler({ inputRate: '44100', outputRate: 16000 } as never),
      /Resampler inputRate must be a whole number of Hz from 1000 to 384000, got the string "44100"/,
    ],
    [
      'new Resampler with outputRate 1e9',
      () => new Resampler({ inputRate: 44100, outputRate: 1e9 }),
      /Resampler outputRate must be a whole number of Hz from 1000 to 384000/,
    ],
    [
      'new Resampler with attenuationDb 1e6',
      () => new Resampler({ inputRate: 44100, outputRate: 16000, attenuationDb: 1e6 }),
      /attenuationDb must be a number of dB from 21 to 150/,
    ],
    [
      'new Resampler with a hair-thin transition band',
      () => new Resampler({ inputRate: 44100, outputRate: 16000, passband: 0.9, stopband: 0.9001 }),
      /stopband must be .* from passband \+ 0\.05/,
    ],
    [
      'new Resampler with passband NaN',
      () => new Resampler({ inputRate: 44100, outputRate: 16000, passband: NaN }),
      /passband must be .*got number NaN/,
    ],
    [
      'new Resampler with maxPhases "8"',
      () => new Resampler({ inputRate: 44100, outputRate: 16000, maxPhases: '8' } as never),
      /maxPhases must be a whole number from 1 to 4096/,
    ],
    [
      'Resampler.process(null)',
      () => new Resampler({ inputRate: 44100, outputRate: 16000 }).process(null as never),
      /Resampler\.process: input must be a Float32Array of mono samples, got null/,
    ],
    [
      'Resampler.process with an Array output',
      () => new Resampler({ inputRate: 44100, outputRate: 16000 }).process(new Float32Array(4), [] as never),
      /Resampler\.process: output must be a Float32Array/,
    ],
    [
      'Resampler.processInto without output',
      () => new Resampler({ inputRate: 44100, outputRate: 16000 }).processInto(new Float32Array(4), undefined as never),
      /processInto: output must be a Float32Array, got undefined/,
    ],
    [
      'floatToInt16LE(null)',
      () => floatToInt16LE(null as never),
      /floatToInt16LE: input must be a Float32Array of samples in \[-1, 1\], got null/,
    ],
    ['floatToInt16LE([0.5])', () => floatToInt16LE([0.5] as never), /floatToInt16LE: input must be a Float32Array .*got an array/],
    [
      'floatToInt16LE into a Float32Array',
      () => floatToInt16LE(new Float32Array(2), new Float32Array(2) as never),
      /floatToInt16LE: output must be an Int16Array/,
    ],
    [
      'floatToInt16LE at offset -1',
      () => floatToInt16LE(new Float32Array(2), new Int16Array(4), -1),
      /floatToInt16LE: offset must be a whole number, 0 or more, got number -1/,
    ],
    [
      'floatToInt16LE at an offset without output',
      () => floatToInt16LE(new Float32Array(2), undefined, 1),
      /2 samples do not fit at offset 1 of an output of 2/,
    ],
    ['int16ToFloat32("ab")', () => int16ToFloat32('ab' as never), /int16ToFloat32: input must be an Int16Array, got the string "ab"/],
    [
      'Resampler.maxOutputLength(-1)',
      () => new Resampler({ inputRate: 44100, outputRate: 16000 }).maxOutputLength(-1),
      /inputLength must be a number of samples, 0 or more/,
    ],
  ]
  it.each(cases)('%s', async (_name, call, msg) => {
    await expectTyped(call, msg)
  })

  it('a bad WAV is still an AudioFormatError (a ValidationError too)', async () => {
    await expectTyped(() => openWav(new Uint8Array([1, 2, 3, 4])), /Not a WAV file/, AudioFormatError)
  })

  it('openWav reads a web ReadableStream without async iteration (as in Safari) through its reader', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(wav.subarray(0, 10))
        c.enqueue(wav.subarray(10))
        c.close()
      },
    })
    const reader = stream.getReader.bind(stream)
    const safariLike = { getReader: reader } // no Symbol.asyncIterator
    const opened = await openWav(safariLike as never)
    expect(opened.info.sampleRate).toBe(16000)
    let samples = 0
    for await (const s of opened.samples) samples += s.length
    expect(samples).toBe(1600)
  })

  it('openWav now also takes an ArrayBuffer and a typed array (a whole file in memory)', async () => {
    expect((await openWav(new Uint8Array(wav).buffer)).info.sampleRate).toBe(16000)
    expect((await openWav(new Int16Array(wav.buffer, wav.byteOffset, wav.byteLength / 2))).info.sampleRate).toBe(16000)
  })
})
