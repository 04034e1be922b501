// Sentence and word splitting: the unit every rule works on.

export interface Sentence {
  text: string
  /** Character offset in the message text. */
  offset: number
}

export interface Token {
  word: string
  offset: number
}

// A sentence ends at . ! ? (possibly repeated) followed by whitespace or the end. Abbreviations such
// as "Mr." are not special-cased; a short list below avoids the most common false splits.
const ABBREVIATIONS = /(?:\b(?:mr|mrs|ms|dr|st|vs|etc|e\.g|i\.e|inc|ltd|jr|sr))\.$/i

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = []
  const re = /[^.!?]*(?:[.!?]+|$)/g
  let start = -1
  let buffer = ''
  for (let m = re.exec(text); m && m[0].length > 0; m = re.exec(text)) {
    if (start < 0) start = m.index
    buffer += m[0]
    const next = text[re.lastIndex]
    const atEnd = re.lastIndex >= text.length
    const boundary = atEnd || next === undefined || /\s/.test(next)
    // Decimal numbers ("$69.99") and abbreviations do not end a sentence.
    if (!boundary || ABBREVIATIONS.test(buffer.trimEnd())) continue
    push(out, buffer, start)
    buffer = ''
    start = -1
  }
  if (buffer) push(out, buffer, start)
  return out
}

function push(out: Sentence[], raw: string, start: number): void {
  const lead = raw.length - raw.trimStart().length
  const trimmed = raw.trim()
  if (trimmed) out.push({ text: trimmed, offset: start + lead })
}

export function tokenize(text: string): Token[] {
  const out: Token[] = []
  const re = /[A-Za-z0-9$€£][A-Za-z0-9'’$.,%-]*[A-Za-z0-9%]|[A-Za-z0-9]/g
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ word: m[0], offset: m.index })
  return out
}

export const wordCount = (text: string): number => tokenize(text).length

export const normalize = (word: string): string =>
  word
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^a-z0-9']/g, '')

/** A crude stemmer (plural/verb suffixes) for fuzzy tracker and topic matching. */
export function stem(word: string): string {
  const w = normalize(word)
  if (w.length <= 3) return w
  for (const suffix of ['ing', 'ed', 'es', 's', 'ly']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) return w.slice(0, -suffix.length)
  }
  return w
}

export const STOPWORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves yes yeah okay ok oh um uh hi hello hey thanks thank please just also really well right sure will going get got go can like know think want need one two lot much many thing things something anything everything way also actually maybe perhaps today tomorrow yesterday tonight now then soon later week month year day time morning evening afternoon monday tuesday wednesday thursday friday saturday sunday`.split(
    /\s+/,
  ),
)
