// Media format detection from magic bytes (and the Content-Type as a hint), plus cheap duration
// reading where the header carries it: WAV (exact, from the data size), FLAC (exact, STREAMINFO
// total samples), MP3 (estimated as bytes x 8 / bitrate of the first frame: exact for CBR, rough for
// VBR). Ogg (Vorbis, Opus), MP3 and FLAC get exact durations from decoding (decode.ts); MP4/M4A, AAC
// and the others: duration unknown (no decoder, see decode.ts).

export type MediaFormat = 'wav' | 'mp3' | 'ogg' | 'flac' | 'mp4' | 'aac' | 'amr' | 'webm' | 'aiff' | 'unknown'

const ascii = (b: Uint8Array, at: number, len: number): string => String.fromCharCode(...b.subarray(at, at + len))

export function detectFormat(head: Uint8Array): MediaFormat {
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE') return 'wav'
  if (ascii(head, 0, 3) === 'ID3') return 'mp3'
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) {
    // MPEG audio sync word; layer bits 00 (reserved) with 0xF0/0xF1 is ADTS AAC.
    return (head[1] & 0x06) === 0 ? 'aac' : 'mp3'
  }
  if (ascii(head, 0, 4) === 'OggS') return 'ogg'
  if (ascii(head, 0, 4) === 'fLaC') return 'flac'
  if (head.length >= 8 && ascii(head, 4, 4) === 'ftyp') return 'mp4'
  if (ascii(head, 0, 5) === '#!AMR') return 'amr'
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm'
  if (ascii(head, 0, 4) === 'FORM' && /AIF[FC]/.test(ascii(head, 8, 4))) return 'aiff'
  return 'unknown'
}

/** Bytes needed before detection and header-based duration are possible. */
export const HEAD_BYTES = 64

/** FLAC STREAMINFO: sample rate (20 bits) and total samples (36 bits). */
export function flacDuration(head: Uint8Array): { sampleRate: number; seconds?: number } | undefined {
  if (head.length < 26 || ascii(head, 0, 4) !== 'fLaC') return undefined
  const b = head.subarray(8) // after the 4-byte block header
  const sampleRate = (b[10] << 12) | (b[11] << 4) | (b[12] >> 4)
  const totalSamples = (b[13] & 0x0f) * 2 ** 32 + ((b[14] << 24) >>> 0) + (b[15] << 16) + (b[16] << 8) + b[17]
  if (!sampleRate) return undefined
  return { sampleRate, seconds: totalSamples ? totalSamples / sampleRate : undefined }
}

const MP3_BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] // MPEG-1 layer III, kbit/s

/** Offset of the first MPEG frame (after an ID3v2 tag) and its bitrate in bit/s. */
export function mp3FrameInfo(head: Uint8Array): { audioStart: number; bitrate?: number } {
  let at = 0
  if (ascii(head, 0, 3) === 'ID3' && head.length >= 10) {
    at = 10 + ((head[6] & 0x7f) << 21) + ((head[7] & 0x7f) << 14) + ((head[8] & 0x7f) << 7) + (head[9] & 0x7f)
  }
  if (head.length >= at + 4 && head[at] === 0xff && (head[at + 1] & 0xe0) === 0xe0) {
    const index = head[at + 2] >> 4
    const kbps = MP3_BITRATES[index]
    return { audioStart: at, bitrate: kbps ? kbps * 1000 : undefined }
  }
  return { audioStart: at }
}

/** The codec of an Ogg stream, from its first packet (at byte 28 of the first page). */
export function oggCodec(head: Uint8Array): 'vorbis' | 'opus' | undefined {
  if (head.length < 36 || ascii(head, 0, 4) !== 'OggS') return undefined
  const at = 27 + head[26] // header + segment table
  if (ascii(head, at, 8) === 'OpusHead') return 'opus'
  if (head[at] === 1 && ascii(head, at + 1, 6) === 'vorbis') return 'vorbis'
  return undefined
}
