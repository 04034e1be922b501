// The CDN <script> build: the global `Symbl` is the client class itself (`new Symbl({ tokenProvider })`),
// with every other export hanging off it (`Symbl.SymblError`, `Symbl.Symbl`, …).
import * as api from './browser.js'
// Named here as well as through browser.ts: the IIFE inlines the modules the SDK loads lazily
// behind init functions, and rolldown runs at start-up only the inits of modules this entry names
// itself (through `export *` alone the global got these as undefined). They are named here, not in
// browser.ts, where naming them would pull the lazy modules into every app's first chunk.
// test/browser/streaming-mic.test.ts checks the global.
import { AudioFormatError, MicrophoneError } from './audio/errors.js'
import { Linear16Encoder } from './audio/linear16.js'
import { pcmToLinear16 } from './audio/pcm-stream.js'
import { floatToInt16LE, int16ToFloat32 } from './audio/pcm.js'
import { Resampler } from './audio/resampler.js'
import { WavDecoder, decodeWav, openWav } from './audio/wav.js'
import { StreamingConnection } from './streaming/connection.js'
import { TelephonyConnection } from './telephony/telephony-connection.js'

const lazilyLoaded = { AudioFormatError, MicrophoneError, Linear16Encoder, pcmToLinear16, floatToInt16LE, int16ToFloat32, Resampler, WavDecoder, decodeWav, openWav, StreamingConnection, TelephonyConnection }
const Symbl = Object.assign(api.Symbl, api, lazilyLoaded)
export default Symbl
