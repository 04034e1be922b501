// The AudioWorklet module's source text, built from the same code the rest of the SDK runs (see
// worklet-source.ts, which loads it). Its own file because it names no DOM type: the server entries
// export processorSource too, and their .d.ts files must type-check without lib dom.

import { floatToInt16LECore } from './pcm.js'
import { ResamplerCore } from './resampler.js'
import { processorMain } from './worklet-processor.js'

export const PROCESSOR_NAME = 'symbl-linear16-processor'

/** The complete worklet module source text (self-contained JavaScript). */
export function processorSource(): string {
  // Parenthesised, each piece is an expression whatever form (declaration, class, arrow) the
  // bundler gave it, and its own name inside it stays private to it.
  return [
    '"use strict";',
    `(${processorMain.toString()})({`,
    `  Resampler: (${ResamplerCore.toString()}),`,
    `  floatToInt16LE: (${floatToInt16LECore.toString()}),`,
    '  AudioWorkletProcessor: AudioWorkletProcessor,',
    // A wrapper: registerProcessor called as a method of another object throws "Illegal invocation",
    // and a module that throws still resolves addModule() in Chromium (only the console shows it).
    '  registerProcessor: (name, ctor) => registerProcessor(name, ctor),',
    '  sampleRate: sampleRate,',
    `  name: ${JSON.stringify(PROCESSOR_NAME)},`,
    '});',
  ].join('\n')
}
