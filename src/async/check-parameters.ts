// Checks the options of contract table 3.2 before a job is submitted. Without this a typo
// (`diarizationSpeakercount`), a string where a number belongs (`diarizationSpeakerCount: '2'`) or
// a value out of range reached Symbl, which either refused it after the upload (a wasted transfer
// of a large file) or, worse, ignored it and ran a job without the option. Each mistake gets a
// ValidationError naming the option, what it should be and what it got.
import { ValidationError } from '../errors.js'
import { invalid, isObject } from '../http/check.js'

/** Which endpoint family the options go to: file uploads, media URLs or text. */
export type ParameterTarget = 'file' | 'url' | 'text'

type Check = (name: string, value: unknown) => void

const bool: Check = (name, value) => {
  // Python's examples send "true" in JSON bodies; the SDK's types say boolean, and the query
  // string encoder writes booleans itself, so a string here is a mistake (and "false" would read as on).
  if (typeof value !== 'boolean') invalid(name, 'true or false', value)
}
const text: Check = (name, value) => {
  if (typeof value !== 'string' || value.trim() === '') invalid(name, 'a non-empty string', value)
}
const list =
  (what: string, item: Check): Check =>
  (name, value) => {
    if (!Array.isArray(value)) invalid(name, `a list of ${what}`, value)
    value.forEach((v, i) => item(`${name}[${i}]`, v))
  }
const object =
  (example: string, fields: Record<string, [Check, 'required' | 'optional']>): Check =>
  (name, value) => {
    if (!isObject(value)) invalid(name, `an object such as ${example}`, value)
    const record = value as Record<string, unknown>
    for (const [field, [check, need]] of Object.entries(fields)) {
      if (record[field] !== undefined) check(`${name}.${field}`, record[field])
      else if (need === 'required') invalid(`${name}.${field}`, `given (${name} must be an object such as ${example})`, undefined)
    }
  }
const nonEmptyList =
  (what: string, item: Check): Check =>
  (name, value) => {
    list(what, item)(name, value)
    if ((value as unknown[]).length === 0) invalid(name, `a non-empty list of ${what}`, value)
  }

const CHECKS: Record<string, Check> = {
  name: text,
  webhookUrl: (name, value) => {
    if (typeof value !== 'string' || !httpUrl(value))
      invalid(name, 'an absolute http(s) URL to which Symbl can POST the job status, e.g. "https://example.com/symbl-hook"', value)
  },
  // DOCS22 documents 0.5–1.0, DOCS21 0.0–1.0 (contract 3.2 and 9). Which the server enforces is not
  // documented, so only values no version accepts are refused: below 0, above 1, NaN.
  confidenceThreshold: (name, value) => {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      invalid(name, 'a number from 0.5 to 1.0 (older API versions also take 0 to 0.5)', value)
  },
  detectPhrases: bool,
  detectEntities: bool,
  entities: list(
    '{ customType, text, value? }',
    object('{ customType: "Company", text: "Acme" }', {
      customType: [text, 'required'],
      text: [text, 'required'],
      value: [text, 'optional'],
    }),
  ),
  trackers: list(
    '{ name, vocabulary: [...] }',
    object('{ name: "Pricing", vocabulary: ["price", "cost"] }', {
      name: [text, 'required'],
      vocabulary: [nonEmptyList('phrases', text), 'required'],
    }),
  ),
  enableAllTrackers: bool,
  enableSummary: bool,
  customVocabulary: list('words or phrases', text),
  languageCode: (name, value) => {
    // BCP-47 as the API uses it: a 2–3 letter language and optional subtags ("en-US", "es", "zh-Hans-CN").
    if (typeof value !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value))
      invalid(name, 'a BCP-47 language code such as "en-US"', value)
  },
  mode: (name, value) => {
    if (value !== 'phone' && value !== 'default') invalid(name, '"phone" (for ~8 kHz telephone audio) or "default"', value)
  },
  enableSeparateRecognitionPerChannel: bool,
  channelMetadata: list(
    '{ channel, speaker: { name, email } }',
    object('{ channel: 1, speaker: { name: "Robert" } }', {
      channel: [
        (name, value) => (Number.isInteger(value) && (value as number) >= 1) || invalid(name, 'a channel number, 1 or more', value),
        'required',
      ],
      speaker: [
        object('{ name: "Robert", email: "robert@example.com" }', { name: [text, 'optional'], email: [text, 'optional'] }),
        'required',
      ],
    }),
  ),
  enableSpeakerDiarization: bool,
  // Symbl documents no maximum; more than 100 distinct speakers in one recording is surely a slip.
  diarizationSpeakerCount: (name, value) => {
    if (!(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 100))
      invalid(name, 'a whole number of speakers from 1 to 100', value)
  },
  features: object('{ featureList: ["insights", "callScore"] }', { featureList: [list('feature names', text), 'required'] }),
  metadata: (name, value) => isObject(value) || invalid(name, 'an object such as { salesStage: "qualification" }', value),
  conversationType: text,
}

const COMMON = [
  'name',
  'webhookUrl',
  'confidenceThreshold',
  'detectPhrases',
  'detectEntities',
  'entities',
  'trackers',
  'enableAllTrackers',
  'enableSummary',
]
const MEDIA = [
  ...COMMON,
  'customVocabulary',
  'languageCode',
  'mode',
  'enableSeparateRecognitionPerChannel',
  'channelMetadata',
  'enableSpeakerDiarization',
  'diarizationSpeakerCount',
]
const NEWER = ['features', 'metadata', 'conversationType'] // GO 2024: URL and text endpoints only
const ALLOWED: Record<ParameterTarget, readonly string[]> = { file: MEDIA, url: [...MEDIA, ...NEWER], text: [...COMMON, ...NEWER] }
const ENDPOINT: Record<ParameterTarget, string> = {
  file: 'file uploads (processFile/appendFile)',
  url: 'media URLs (processUrl/appendUrl)',
  text: 'the Text API',
}

/**
 * Checks one object of options (`options.parameters`, or a URL/text payload without its `url` or
 * `messages`) for `target`. Unknown names are refused, because the API would ignore them silently.
 */
export function checkParameters(prefix: string, target: ParameterTarget, value: unknown): void {
  if (value === undefined) return
  if (!isObject(value)) invalid(prefix, 'an object such as { detectPhrases: true }', value)
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue // left out of the JSON and the query string alike
    const name = `${prefix}.${key}`
    if (!ALLOWED[target].includes(key)) throw new ValidationError(unknownOption(name, key, target))
    if (v === null) invalid(name, 'a value (leave the option out to use the default)', v)
    CHECKS[key](name, v)
  }
}

/** Rules between options (contract 3.2), checked on everything that will be sent together. */
export function checkCombination(all: Record<string, unknown>): void {
  const diarize = all.enableSpeakerDiarization === true
  if (diarize && all.diarizationSpeakerCount === undefined) {
    throw new ValidationError(
      'enableSpeakerDiarization needs diarizationSpeakerCount, the number of distinct speakers (contract 3.2: the count must accompany the flag), e.g. { enableSpeakerDiarization: true, diarizationSpeakerCount: 2 }',
    )
  }
  if (!diarize && all.diarizationSpeakerCount !== undefined) {
    throw new ValidationError(
      'diarizationSpeakerCount works only with enableSpeakerDiarization: true; add that flag, or leave the count out',
    )
  }
  if (all.channelMetadata !== undefined && all.enableSeparateRecognitionPerChannel !== true) {
    throw new ValidationError(
      'channelMetadata works only with enableSeparateRecognitionPerChannel: true; add that flag, or leave channelMetadata out',
    )
  }
}

function unknownOption(name: string, key: string, target: ParameterTarget): string {
  const close = ALLOWED[target].find((k) => k.toLowerCase() === key.toLowerCase())
  if (close) return `${name} is not an option: did you mean ${close}?`
  if (key === 'customEntities') return `${name} is the old name of entities: pass { entities: [...] }`
  const elsewhere = (Object.keys(ALLOWED) as ParameterTarget[]).filter((t) => ALLOWED[t].includes(key))
  if (elsewhere.length)
    return `${name} is not an option of ${ENDPOINT[target]}; it applies to ${elsewhere.map((t) => ENDPOINT[t]).join(' and ')}`
  return `${name} is not an option of ${ENDPOINT[target]}; they are ${ALLOWED[target].join(', ')}`
}

/** An absolute http(s) URL with a host. */
export function httpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}
