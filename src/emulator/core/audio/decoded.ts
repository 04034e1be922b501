// What the WASM decoders hand back, and the one signal the segmenter needs from it.

export interface Decoded {
  channelData: Float32Array[]
  samplesDecoded: number
  sampleRate: number
  /** Samples after `channelData` that count in the duration but were not decoded (past a decoder's bound; ogg-opus.ts). */
  timedOnly?: number
}

/** The mean of the channels (the segmenter needs one signal; the channels' levels are kept). */
export function mixToMono(channelData: Float32Array[], samples: number): Float32Array {
  if (channelData.length === 1) return channelData[0].subarray(0, samples)
  const mono = new Float32Array(samples)
  for (const channel of channelData) for (let i = 0; i < samples; i++) mono[i] += channel[i]
  for (let i = 0; i < samples; i++) mono[i] /= channelData.length
  return mono
}
