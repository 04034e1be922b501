// Builds the AudioWorklet module from the same code the rest of the SDK runs: the Resampler class,
// floatToInt16LE and processorMain, turned into source text with Function.prototype.toString(). The
// text therefore matches whatever the bundler/minifier made of them, and no separate worklet file has
// to be hosted: the module is loaded from a Blob URL. Sites whose CSP forbids `blob:` in
// script-src/worker-src serve the same text as a file, the package's `symbl-sdk/worklet.js` (written by
// scripts/build.mjs from this function), and pass its URL as `workletUrl`.

import { floatToInt16LECore } from './pcm.js'
import { ResamplerCore } from './resampler.js'
import { processorMain, type ProcessorOptions } from './worklet-processor.js'

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

/**
 * Adds the processor module to a context: from `workletUrl` when given, else from a Blob URL that
 * is revoked as soon as the module has loaded.
 */
export async function addProcessorModule(context: BaseAudioContext, workletUrl?: string): Promise<void> {
  if (workletUrl) {
    await context.audioWorklet.addModule(workletUrl)
    return
  }
  const url = URL.createObjectURL(new Blob([processorSource()], { type: 'text/javascript' }))
  try {
    await context.audioWorklet.addModule(url)
  } finally {
    URL.revokeObjectURL(url)
  }
}

/**
 * A processor node (after addProcessorModule): one input of any channel count (mixed to mono in the
 * processor), one output of silence (or the tap, see ProcessorOptions) so that every browser keeps
 * pulling it when it is connected to the destination.
 */
export function createProcessorNode(context: BaseAudioContext, options: ProcessorOptions): AudioWorkletNode {
  return new AudioWorkletNode(context, PROCESSOR_NAME, {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [options.tap ? 2 : 1],
    channelCountMode: 'max',
    channelInterpretation: 'discrete',
    processorOptions: options,
  })
}
