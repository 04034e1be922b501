// Coercion and validation of job options (contract 3.2). Clients disagree on encodings, so we accept
// the union: real booleans or "true"/"false" strings (PY sends strings in JSON bodies), numbers or
// numeric strings, lists as arrays, JSON strings (query params) or GO's unquoted `[a,b]`.
// Wrong types get a 400 with a validator-style message (wording is our assumption, section 8).

import { MAX_DIARIZATION_SPEAKERS } from './audio/diarize.js'
import { badRequest } from './errors.js'
import { MAX_JSON_DEPTH, MAX_METADATA_BYTES, jsonBytes, nestedDeeperThan } from './json-limits.js'
import type { ConversationOptions, CustomEntitySpec, TrackerSpec } from './types.js'

export type RawOptions = Record<string, unknown>

export function toBool(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'boolean') return value
  if (value === 'true' || value === 'True' || value === '1') return true
  if (value === 'false' || value === 'False' || value === '0') return false
  throw badRequest(`"${name}" must be a boolean`)
}

export function toNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
  if (!Number.isFinite(n)) throw badRequest(`"${name}" must be a number`)
  return n
}

export function toStr(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw badRequest(`"${name}" must be a string`)
  return value
}

/** Arrays, JSON-encoded arrays, or GO's `[a,b]` without quotes. */
export function toList(value: unknown, name: string): unknown[] | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (Array.isArray(value)) return value
  if (typeof value === 'string') {
    const text = value.trim()
    try {
      const parsed: unknown = JSON.parse(text)
      if (Array.isArray(parsed)) return parsed
    } catch {
      if (text.startsWith('[') && text.endsWith(']')) {
        return text
          .slice(1, -1)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      }
    }
  }
  throw badRequest(`"${name}" must be an array`)
}

/** A JSON value from a query parameter; undefined stays, unparsable text is returned as is (then rejected by type). */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Every tracker phrase is matched against every message, and every custom entity searched in
 * every message: their numbers bound the work of an analysis, so they are bounded (not documented,
 * contract 8: ours), per request and after appends merge them.
 */
export const MAX_TRACKER_PHRASES = 1000
export const MAX_CUSTOM_ENTITIES = 1000

export function checkAnalysisBounds(trackerList: TrackerSpec[], entityList: CustomEntitySpec[]): void {
  const phrases = trackerList.reduce((n, t) => n + t.vocabulary.length, 0)
  if (phrases > MAX_TRACKER_PHRASES)
    throw badRequest(
      `"trackers" may have at most ${MAX_TRACKER_PHRASES} vocabulary phrases in all (got ${phrases}): split them over several conversations or drop rare phrases`,
    )
  if (entityList.length > MAX_CUSTOM_ENTITIES)
    throw badRequest(`"entities" may have at most ${MAX_CUSTOM_ENTITIES} custom entities (got ${entityList.length})`)
}

function trackers(value: unknown): TrackerSpec[] {
  const list = toList(value, 'trackers') ?? []
  return list.map((t, i) => {
    if (!isRecord(t) || typeof t.name !== 'string' || !t.name) throw badRequest(`"trackers[${i}].name" is required`)
    const vocab = toList(t.vocabulary, `trackers[${i}].vocabulary`) ?? []
    if (!vocab.every((v) => typeof v === 'string')) throw badRequest(`"trackers[${i}].vocabulary" must be an array of strings`)
    return { name: t.name, vocabulary: vocab as string[] }
  })
}

function entities(value: unknown): CustomEntitySpec[] {
  const list = toList(value, 'entities') ?? []
  return list.map((e, i) => {
    if (!isRecord(e) || typeof e.customType !== 'string' || typeof e.text !== 'string') {
      throw badRequest(`"entities[${i}]" must have string "customType" and "text"`)
    }
    return { customType: e.customType, text: e.text, value: typeof e.value === 'string' ? e.value : undefined }
  })
}

/**
 * `metadata` is kept with the conversation and sent back in every conversation answer: it must be
 * an object, shallow and small enough to serialise (limits in json-limits.ts; 400 otherwise).
 */
export function checkMetadata(metadata: unknown): asserts metadata is Record<string, unknown> {
  if (!isRecord(metadata)) throw badRequest('"metadata" must be an object')
  if (nestedDeeperThan(metadata, MAX_JSON_DEPTH))
    throw badRequest(`"metadata" nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep: flatten it`)
  if (jsonBytes(metadata) > MAX_METADATA_BYTES)
    throw badRequest(`"metadata" must be at most ${MAX_METADATA_BYTES} bytes as JSON: keep large data elsewhere and store a reference`)
}

/**
 * Reads options from a JSON body and/or a query string. For keys present in both, the query wins
 * (contract 3.2: diarization params may be in the query even on /url endpoints).
 */
export function parseOptions(body: RawOptions, query?: URLSearchParams): ConversationOptions {
  const q = (k: string): unknown => query?.get(k) ?? undefined
  const get = (k: string): unknown => q(k) ?? body[k]
  const threshold = toNumber(get('confidenceThreshold'), 'confidenceThreshold') ?? 0.5
  // DOCS22 says 0.5–1.0, DOCS21 0.0–1.0: reject only values outside 0–1 ("validate softly").
  if (threshold < 0 || threshold > 1) throw badRequest('"confidenceThreshold" must be between 0.5 and 1.0')
  const diarize = toBool(get('enableSpeakerDiarization'), 'enableSpeakerDiarization')
  const speakers = toNumber(get('diarizationSpeakerCount'), 'diarizationSpeakerCount')
  // Not documented: an upper bound. Ours is start_request's (1–100): the clustering's cost grows with
  // the count (audio/diarize.ts), and 100 voices is far past what voice clustering can tell apart.
  if (speakers !== undefined && (!Number.isInteger(speakers) || speakers < 1 || speakers > MAX_DIARIZATION_SPEAKERS)) {
    throw badRequest(`"diarizationSpeakerCount" must be an integer from 1 to ${MAX_DIARIZATION_SPEAKERS}`)
  }
  // Not documented: the flag without a count. We treat it like a validator would (assumption).
  if (diarize && speakers === undefined) throw badRequest('"diarizationSpeakerCount" is required when "enableSpeakerDiarization" is true')
  const vocabulary = toList(get('customVocabulary'), 'customVocabulary') ?? []
  const mode = toStr(get('mode'), 'mode')
  if (mode !== undefined && mode !== 'phone' && mode !== 'default') throw badRequest('"mode" must be one of [phone, default]')
  const perChannel = toBool(get('enableSeparateRecognitionPerChannel'), 'enableSeparateRecognitionPerChannel')
  const channels = toList(get('channelMetadata'), 'channelMetadata')
  channels?.forEach((ch, i) => {
    if (!isRecord(ch) || toNumber(ch.channel, `channelMetadata[${i}].channel`) === undefined)
      throw badRequest(`"channelMetadata[${i}].channel" is required`)
    if (!isRecord(ch.speaker)) throw badRequest(`"channelMetadata[${i}].speaker" must be an object`)
  })
  if (channels?.length && !perChannel)
    throw badRequest('"channelMetadata" is only allowed with "enableSeparateRecognitionPerChannel": true')
  const featuresRaw = get('features')
  const features = typeof featuresRaw === 'string' ? safeJson(featuresRaw) : featuresRaw
  if (features !== undefined && !isRecord(features)) throw badRequest('"features" must be an object')
  const featureList = features ? toList(features.featureList, 'features.featureList') : undefined
  if (featureList && !featureList.every((f) => typeof f === 'string'))
    throw badRequest('"features.featureList" must be an array of strings')
  const metadataRaw = get('metadata')
  const metadata = typeof metadataRaw === 'string' ? safeJson(metadataRaw) : metadataRaw
  if (metadata !== undefined) checkMetadata(metadata)
  return {
    features: featureList as string[] | undefined,
    metadata: metadata as Record<string, unknown> | undefined,
    conversationType: toStr(get('conversationType'), 'conversationType'),
    speakerCount: diarize ? speakers : undefined,
    name: toStr(get('name'), 'name'),
    webhookUrl: toStr(get('webhookUrl'), 'webhookUrl'),
    confidenceThreshold: threshold,
    detectPhrases: toBool(get('detectPhrases'), 'detectPhrases') ?? false,
    detectEntities: toBool(get('detectEntities'), 'detectEntities') ?? false,
    enableSummary: toBool(get('enableSummary'), 'enableSummary'),
    enableAllTrackers: toBool(get('enableAllTrackers'), 'enableAllTrackers') ?? false,
    ...((t, e) => (checkAnalysisBounds(t, e), { trackers: t, entities: e }))(
      trackers(get('trackers')),
      entities(get('entities') ?? get('customEntities')),
    ),
    customVocabulary: vocabulary.map(String),
    languageCode: toStr(get('languageCode'), 'languageCode') ?? 'en-US',
  }
}
