// Raw Opus packets for the emulator tests, made by libopus itself (opusscript: libopus 1.4 compiled
// to WASM, a devDependency): 20 ms frames, mono, as Symbl's web SDK and WebCodecs send them.

import OpusScript from 'opusscript'

export function opusPackets(samples: Int16Array, rate: 8000 | 12000 | 16000 | 24000 | 48000 = 48000, bitrate = 32000): Uint8Array[] {
  const encoder = new OpusScript(rate, 1, OpusScript.Application.VOIP)
  try {
    encoder.setBitrate(bitrate)
    const frame = rate / 50
    const packets: Uint8Array[] = []
    for (let at = 0; at + frame <= samples.length; at += frame) {
      const pcm = Buffer.from(samples.buffer, samples.byteOffset + at * 2, frame * 2)
      packets.push(new Uint8Array(encoder.encode(pcm, frame)))
    }
    return packets
  } finally {
    encoder.delete()
  }
}
