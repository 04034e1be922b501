import { ValidationError } from '../errors.js'
import { describe } from '../http/check.js'

export type MediaKind = 'audio' | 'video'

// Contract 3.1: the FAQ's audio formats. DOCS22 names only audio/wav, audio/wave, audio/mpeg and
// audio/mp3 and says to omit the header "for other formats"; whether the server refuses other
// types is not documented. A raw body needs some type, so the others get their IANA type (what a
// browser's File.type would carry too) and `contentType` overrides it.
const AUDIO: Record<string, string> = {
  wav: 'audio/wav',
  wave: 'audio/wav',
  mp3: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  mpga: 'audio/mpeg',
  amr: 'audio/amr',
  aac: 'audio/aac',
  ac3: 'audio/ac3',
  aif: 'audio/aiff',
  aiff: 'audio/aiff',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/opus',
  wma: 'audio/x-ms-wma',
  m4a: 'audio/mp4',
}
// Video: only video/mp4 is documented (and mandatory).
const VIDEO: Record<string, string> = { mp4: 'video/mp4', m4v: 'video/mp4' }

/**
 * The caller's `contentType`, checked: a media type of the API's kind. The Video API takes only
 * video/mp4 (contract 3.1, mandatory); an audio upload with a video or other non-audio type is taken
 * for the wrong call (`symbl.video`), since Symbl documents only audio types for the Audio API.
 */
export function checkContentType(kind: MediaKind, given: unknown): string | undefined {
  if (given === undefined) return undefined
  const example = kind === 'audio' ? 'audio/wav' : 'video/mp4'
  if (typeof given !== 'string' || !/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(given)) {
    throw new ValidationError(
      `contentType must be a media type such as "${example}", got ${typeof given === 'string' ? JSON.stringify(given) : describe(given)}`,
    )
  }
  const type = given.toLowerCase().split(';')[0].trim()
  if (kind === 'video' && type !== 'video/mp4') {
    throw new ValidationError(
      `contentType ${JSON.stringify(given)} cannot be sent to the Video API, which takes only "video/mp4"${type.startsWith('audio/') ? ': send audio with symbl.audio' : ''}`,
    )
  }
  if (kind === 'audio' && !type.startsWith('audio/')) {
    throw new ValidationError(
      `contentType ${JSON.stringify(given)} is not an audio type: the Audio API takes e.g. "audio/wav" or "audio/mpeg"${type.startsWith('video/') ? '; send video with symbl.video' : ''}`,
    )
  }
  return given
}

/**
 * The media type to send: the caller's `contentType`, else one inferred from the file name's
 * extension, else the type the source declares (`File.type`) when it fits the API.
 */
export function contentTypeFor(kind: MediaKind, given: unknown, name: string | undefined, declared: string | undefined): string {
  if (given !== undefined) return checkContentType(kind, given)!
  const table = kind === 'audio' ? AUDIO : VIDEO
  const ext = name?.match(/\.([a-z0-9]+)$/i)?.[1]?.toLowerCase()
  if (ext && table[ext]) return table[ext]
  const type = declared?.toLowerCase().split(';')[0].trim()
  if (type === 'audio/x-wav' || type === 'audio/wave' || type === 'audio/vnd.wave')
    return kind === 'audio' ? 'audio/wav' : fail(kind, name, type)
  if (type && (kind === 'audio' ? type.startsWith('audio/') : type === 'video/mp4')) return type
  return fail(kind, name, type)
}

function fail(kind: MediaKind, name: string | undefined, type: string | undefined): never {
  const what = name ? `the file name ${JSON.stringify(name)}` : type ? `the type ${JSON.stringify(type)}` : 'a file with no name or type'
  const known = Object.keys(kind === 'audio' ? AUDIO : VIDEO).join(', ')
  throw new ValidationError(
    `Cannot tell the ${kind} format from ${what}. Symbl's ${kind === 'audio' ? 'Audio' : 'Video'} API takes ${known}; ` +
      `pass the media type as the \`contentType\` option, e.g. { contentType: '${kind === 'audio' ? 'audio/wav' : 'video/mp4'}' }`,
  )
}
