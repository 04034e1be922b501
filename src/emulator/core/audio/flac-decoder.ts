// FLAC decoding for uploads and streams: our frame splitter (flac-frames.ts, which keeps a short
// last frame) in front of `@wasm-audio-decoders/flac`'s frame decoder (libFLAC in WASM), loaded
// with import() on first use.

import type { Decoded } from './decoded.js'
import { FlacFrameSplitter } from './flac-frames.js'

export interface FlacStreamDecoder {
  ready: Promise<void>
  /** The next bytes of the stream, any size; decodes the frames they complete. */
  decode(data: Uint8Array): Promise<Decoded & { errors: Array<{ message: string }> }>
  /** The end of the stream: decodes the last frame. */
  flush(): Promise<Decoded & { errors: Array<{ message: string }> }>
  /** Bytes skipped as not FLAC frames (garbage, damaged frames) so far. */
  readonly skipped: number
  free(): void
}

const EMPTY = { channelData: [], samplesDecoded: 0, sampleRate: 0, errors: [] }

export async function createFlacDecoder(): Promise<FlacStreamDecoder> {
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac')
  const decoder = new FLACDecoder()
  const splitter = new FlacFrameSplitter()
  const frames = async (list: Uint8Array[]) => (list.length ? decoder.decodeFrames(list) : EMPTY)
  return {
    ready: decoder.ready,
    decode: (data) => frames(splitter.push(data)),
    flush: () => frames(splitter.end()),
    get skipped() {
      return splitter.skipped
    },
    free: () => decoder.free(),
  }
}
