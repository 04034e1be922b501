// Builds the AudioWorklet module from the same code the rest of the SDK runs: the Resampler class,
// floatToInt16LE and processorMain, turned into source text with Function.prototype.toString(). The
// text therefore matches whatever the bundler/minifier made of them, and no separate worklet file has
// to be hosted: the module is loaded from a Blob URL. Sites whose CSP forbids `blob:` in
// script-src/worker-src serve the same text as a file, the package's `symbl-sdk/worklet.js` (written by
// scripts/build.mjs from this function), and pass its URL as `workletUrl`.

import type { ProcessorOptions } from './worklet-processor.js'
import { PROCESSOR_NAME, processorSource } from './worklet-text.js'

export { PROCESSOR_NAME, processorSource }

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
