// The blog's chart, per-speaker polarity over time, in three forms: text for a terminal, an SVG
// file, and a self-contained HTML page. The SVG has the demo's look (demo/src/chart.ts): the same
// colours, bands, grid, dashes and marker shapes, so a chart from the CLI and one from the demo
// read the same.
import type { SpeakerSentiment } from '../node.js'
import { formatDuration } from './progress.js'

/** The demo's speaker colours (checked for contrast on white; speakers differ by marker shape too). */
const COLOURS = ['#1f5fbf', '#b3261e', '#1b7f3b', '#8a4baf', '#a15c00', '#00727a']
/** ANSI colours close to those, for the terminal. */
const ANSI = [34, 31, 32, 35, 33, 36]
const MARKERS = ['●', '■', '▲', '◆', '✚', '★']

const mean = (s: SpeakerSentiment) => s.points.reduce((n, p) => n + p.polarity, 0) / Math.max(1, s.points.length)
const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(2)}`

/** A nice step for about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const norm = raw / mag
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag
}

function legend(series: SpeakerSentiment[], colour: boolean): string[] {
  return series.map((s, i) => {
    const mark = colour ? `\x1b[${ANSI[i % ANSI.length]}m${MARKERS[i % MARKERS.length]}\x1b[0m` : MARKERS[i % MARKERS.length]
    return `  ${mark} ${s.speaker} (${s.points.length} message${s.points.length === 1 ? '' : 's'}, mean ${signed(mean(s))})`
  })
}

/**
 * The chart as text: polarity +1 (top) to −1 (bottom) in 0.25 steps against time, one marker per
 * message, the speaker told by marker shape (and colour when `colour`). A later point in the same
 * cell covers an earlier one; the legend gives each speaker's count and mean.
 */
export function terminalChart(series: SpeakerSentiment[], options: { width?: number; colour?: boolean } = {}): string[] {
  const points = series.flatMap((s) => s.points)
  if (points.length === 0) return ['No sentiment: the conversation has no scored messages.']
  const width = Math.max(20, Math.min(100, options.width ?? 60))
  const rows = 9 // +1, +0.75 … −1
  const maxT = Math.max(1, ...points.map((p) => p.time))
  const step = tickStep(maxT, 4)
  const tMax = Math.ceil(maxT / step) * step
  const grid: string[][] = Array.from({ length: rows }, (_, r) => Array.from({ length: width }, () => (r === (rows - 1) / 2 ? '·' : ' ')))
  series.forEach((s, i) => {
    const mark = options.colour ? `\x1b[${ANSI[i % ANSI.length]}m${MARKERS[i % MARKERS.length]}\x1b[0m` : MARKERS[i % MARKERS.length]
    for (const p of s.points) {
      const col = Math.min(width - 1, Math.round((p.time / tMax) * (width - 1)))
      const row = Math.round(((1 - Math.max(-1, Math.min(1, p.polarity))) / 2) * (rows - 1))
      grid[row][col] = mark
    }
  })
  const lines = ['Sentiment over time (polarity −1 … +1)', '']
  grid.forEach((cells, r) => {
    const value = 1 - (2 * r) / (rows - 1)
    const label = r % 2 === 0 ? `${value > 0 ? '+' : ''}${value.toFixed(1)}`.padStart(5) : '     '
    lines.push(`${label} ${r % 2 === 0 ? '┤' : '│'}${cells.join('')}`)
  })
  lines.push(`      └${'─'.repeat(width)}`)
  // Time labels under their columns, left to right, skipped where they would overlap.
  let axis = ''
  for (let t = 0; t <= tMax + 1e-9; t += step) {
    const col = Math.round((t / tMax) * (width - 1))
    const label = formatDuration(t)
    const at = Math.max(0, Math.min(width - label.length, col - Math.floor(label.length / 2)))
    if (at >= axis.length + (axis.length ? 1 : 0)) axis = axis.padEnd(at) + label
  }
  lines.push(`       ${axis}`, `       time into the conversation (m:ss)`, '', ...legend(series, !!options.colour))
  return lines
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

function marker(shape: number, x: number, y: number, colour: string, label: string): string {
  const r = 4.5
  const title = `<title>${escapeXml(label)}</title>`
  const paint = `fill="${colour}" stroke="#fff" stroke-width="1.5"`
  if (shape % 3 === 0) return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" ${paint}>${title}</circle>`
  if (shape % 3 === 1)
    return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" ${paint}>${title}</rect>`
  return `<path d="M${x.toFixed(1)},${(y - r - 1).toFixed(1)} L${(x + r + 1).toFixed(1)},${(y + r).toFixed(1)} L${(x - r - 1).toFixed(1)},${(y + r).toFixed(1)} Z" ${paint}>${title}</path>`
}

/** The chart as a standalone SVG document (`width` px wide, 360 high, the legend at the top). */
export function svgChart(series: SpeakerSentiment[], width = 900): string {
  const W = width
  const legendH = 24 * Math.max(1, series.length) + 8
  const M = { top: 16 + legendH, right: 20, bottom: 52, left: 64 }
  const H = 320 + legendH
  const points = series.flatMap((s) => s.points)
  const maxT = Math.max(1, ...points.map((p) => p.time))
  const step = tickStep(maxT, 6)
  const tMax = Math.ceil(maxT / step) * step
  const x = (t: number) => M.left + (t / tMax) * (W - M.left - M.right)
  const y = (p: number) => M.top + ((1 - p) / 2) * (H - M.top - M.bottom)
  const names = series.map((s) => s.speaker).join(' and ') || 'nobody'
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" font-family="system-ui, sans-serif" font-size="13">`,
    '<title>Sentiment over time per speaker</title>',
    `<desc>Message polarity from −1 (negative) to +1 (positive) against time, for ${escapeXml(names)}.</desc>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<rect x="${M.left}" y="${y(1)}" width="${W - M.left - M.right}" height="${y(0) - y(1)}" fill="#eef7f0"/>`,
    `<rect x="${M.left}" y="${y(0)}" width="${W - M.left - M.right}" height="${y(-1) - y(0)}" fill="#fbeeee"/>`,
  ]
  for (const p of [-1, -0.5, 0, 0.5, 1]) {
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(p)}" y2="${y(p)}" stroke="${p === 0 ? '#555' : '#c8c8c8'}" stroke-width="${p === 0 ? 1.2 : 1}"${p === 0 ? '' : ' stroke-dasharray="3 3"'}/>`,
      `<text x="${M.left - 8}" y="${y(p) + 4}" text-anchor="end" fill="#333">${p > 0 ? `+${p}` : String(p)}</text>`,
    )
  }
  out.push(
    `<text x="${M.left + 6}" y="${y(1) + 14}" fill="#1b5e20" font-size="12">positive</text>`,
    `<text x="${M.left + 6}" y="${y(-1) - 6}" fill="#8e1b1b" font-size="12">negative</text>`,
  )
  for (let t = 0; t <= tMax + 1e-9; t += step) {
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${y(-1)}" y2="${y(-1) + 5}" stroke="#555"/>`,
      `<text x="${x(t)}" y="${y(-1) + 20}" text-anchor="middle" fill="#333">${formatDuration(t)}</text>`,
    )
  }
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${y(-1)}" y2="${y(-1)}" stroke="#555"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${y(1)}" y2="${y(-1)}" stroke="#555"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle" fill="#333">Time into the conversation (min:s)</text>`,
    `<text x="16" y="${(y(1) + y(-1)) / 2}" text-anchor="middle" fill="#333" transform="rotate(-90 16 ${(y(1) + y(-1)) / 2})">Polarity</text>`,
  )
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.time).toFixed(1)},${y(p.polarity).toFixed(1)}`).join(' ')
    const dash = i % 2 ? ' stroke-dasharray="7 4"' : ''
    out.push(`<g data-speaker="${escapeXml(s.speaker)}">`)
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2.5" stroke-linejoin="round"${dash}/>`)
    for (const p of s.points)
      out.push(marker(i, x(p.time), y(p.polarity), colour, `${s.speaker} at ${formatDuration(p.time)}: ${p.polarity.toFixed(2)}`))
    out.push('</g>')
    // The legend row: the line and marker as drawn, then the name, count and mean.
    const ly = 20 + 24 * i
    out.push(
      `<line x1="${M.left}" x2="${M.left + 36}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2.5"${dash}/>`,
      marker(i, M.left + 18, ly, colour, s.speaker),
      `<text x="${M.left + 46}" y="${ly + 4}" fill="#111">${escapeXml(s.speaker)} <tspan fill="#555">(${s.points.length} messages, mean ${signed(mean(s))})</tspan></text>`,
    )
  })
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

/** A self-contained HTML page: the SVG, and a table of every point for screen readers and copying. */
export function htmlChart(series: SpeakerSentiment[], title: string): string {
  const rows = series
    .flatMap((s) =>
      s.points.map((p) => `<tr><td>${escapeXml(s.speaker)}</td><td>${formatDuration(p.time)}</td><td>${p.polarity.toFixed(2)}</td></tr>`),
    )
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 960px; padding: 0 1rem; color: #111; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin-top: 1.5rem; }
th, td { padding: 0.2rem 0.8rem; border-bottom: 1px solid #ddd; text-align: left; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
${svgChart(series)}
<table>
<caption>Sentiment points</caption>
<tr><th scope="col">Speaker</th><th scope="col">Time</th><th scope="col">Polarity</th></tr>
${rows}
</table>
</body>
</html>
`
}
