// Date expressions in English text, resolved against the message's own start time (so "tomorrow"
// in a 2020 transcript means a 2020 date). compromise's date plugin is not installed; these rules
// cover what meeting talk usually says: relative days, weekdays, "next week", "end of the month",
// month-day dates and ISO dates. Values are calendar dates (YYYY-MM-DD) in UTC.

export interface DateMention {
  text: string
  offset: number
  /** YYYY-MM-DD */
  value: string
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const MONTH_RE = `(?:${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)`

const DAY_MS = 86_400_000
const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const startOfDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3)))
}

interface Rule {
  re: RegExp
  resolve: (m: RegExpExecArray, ref: number) => number | undefined
}

const RULES: Rule[] = [
  { re: /\b(?:the\s+)?day after tomorrow\b/gi, resolve: (_m, ref) => ref + 2 * DAY_MS },
  { re: /\btoday\b|\btonight\b|\bend of (?:the )?day\b|\bthis (?:morning|afternoon|evening)\b/gi, resolve: (_m, ref) => ref },
  { re: /\btomorrow\b/gi, resolve: (_m, ref) => ref + DAY_MS },
  { re: /\byesterday\b/gi, resolve: (_m, ref) => ref - DAY_MS },
  {
    re: /\b(?:(next|this|on|by|before|until)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi,
    resolve: (m, ref) => {
      const target = DAYS.indexOf(m[2].toLowerCase())
      const today = new Date(ref).getUTCDay()
      let delta = (target - today + 7) % 7
      if (delta === 0) delta = 7
      return ref + delta * DAY_MS
    },
  },
  { re: /\bnext week\b/gi, resolve: (_m, ref) => ref + 7 * DAY_MS },
  {
    re: /\bend of (?:the |this )?week\b/gi,
    resolve: (_m, ref) => ref + ((5 - new Date(ref).getUTCDay() + 7) % 7) * DAY_MS,
  },
  {
    re: /\bend of (?:the |this )?month\b/gi,
    resolve: (_m, ref) => {
      const d = new Date(ref)
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)
    },
  },
  {
    re: /\bnext month\b/gi,
    resolve: (_m, ref) => {
      const d = new Date(ref)
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
    },
  },
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, resolve: (m) => Date.UTC(+m[1], +m[2] - 1, +m[3]) },
  {
    re: new RegExp(`\\b(${MONTH_RE})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    resolve: (m, ref) => fromMonthDay(monthIndex(m[1]), +m[2], m[3], ref),
  },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_RE})\\b(?:,?\\s+(\\d{4}))?`, 'gi'),
    resolve: (m, ref) => fromMonthDay(monthIndex(m[2]), +m[1], m[3], ref),
  },
]

function fromMonthDay(month: number, day: number, year: string | undefined, ref: number): number | undefined {
  if (month < 0 || day < 1 || day > 31) return undefined
  const refYear = new Date(ref).getUTCFullYear()
  let ms = Date.UTC(year ? +year : refYear, month, day)
  // Without a year, a date already past is taken to mean next year's.
  if (!year && ms < startOfDay(ref) - 30 * DAY_MS) ms = Date.UTC(refYear + 1, month, day)
  return ms
}

export function findDates(text: string, referenceMs: number): DateMention[] {
  const ref = startOfDay(referenceMs)
  const found: DateMention[] = []
  // Characters already inside a found date: the overlap check costs the match's length, not the
  // number of dates found so far (a long text of "today today …" was quadratic).
  let taken: Uint8Array | undefined
  for (const rule of RULES) {
    rule.re.lastIndex = 0
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const ms = rule.resolve(m, ref)
      if (ms === undefined || Number.isNaN(ms)) continue
      taken ??= new Uint8Array(text.length)
      const end = m.index + m[0].length
      if (taken.subarray(m.index, end).includes(1)) continue
      taken.fill(1, m.index, end)
      found.push({ text: m[0], offset: m.index, value: ymd(ms) })
    }
  }
  return found.sort((a, b) => a.offset - b.offset)
}
