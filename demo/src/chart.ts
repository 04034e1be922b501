// "Sentiment over time": one line per speaker of message polarity (−1 … 1) against time, as in
// Symbl's sentiment blog post, drawn as plain SVG. The data comes from the SDK's speakerSentiment().
// Speakers differ by colour and by marker shape; a data table follows for screen readers.
import type { SpeakerSentiment } from 'symbl-sdk'
import { formatSeconds, h, speakerColour } from './ui.js'

const SVG = 'http://www.w3.org/2000/svg'
const H = 320
const M = { top: 16, right: 20, bottom: 52, left: 64 }
/** The drawing is as wide as its box (320–1200 px), so its text stays at its CSS size on a phone. */
const MIN_W = 320
const MAX_W = 1200
const observed = new WeakMap<HTMLElement, { series: SpeakerSentiment[]; width: number }>()
const resizes =
  typeof ResizeObserver === 'function'
    ? new ResizeObserver((entries) => {
        for (const entry of entries) {
          const el = entry.target as HTMLElement
          const state = observed.get(el)
          if (state && Math.abs(widthOf(el) - state.width) >= 8) draw(el, state.series)
        }
      })
    : undefined

function widthOf(container: HTMLElement): number {
  // A hidden box (results not shown yet) measures 0: draw at full width, the observer redraws.
  const w = container.clientWidth
  return w > 0 ? Math.max(MIN_W, Math.min(MAX_W, Math.floor(w))) : MAX_W
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  if (text !== undefined) el.textContent = text
  return el
}

/** A nice step for about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const norm = raw / mag
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag
}

function marker(shape: number, x: number, y: number, colour: string, label: string): SVGElement {
  const r = 4.5
  let el: SVGElement
  if (shape % 3 === 0) el = svg('circle', { cx: x, cy: y, r })
  else if (shape % 3 === 1) el = svg('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r })
  else el = svg('path', { d: `M${x},${y - r - 1} L${x + r + 1},${y + r} L${x - r - 1},${y + r} Z` })
  el.setAttribute('fill', colour)
  el.setAttribute('stroke', '#fff')
  el.setAttribute('stroke-width', '1.5')
  el.append(svg('title', {}, label))
  return el
}

/** Renders the chart (or an explanation when there is nothing to draw) into `container`, and again when its width changes. */
export function renderSentimentChart(container: HTMLElement, series: SpeakerSentiment[]): void {
  draw(container, series)
  resizes?.observe(container)
}

function draw(container: HTMLElement, series: SpeakerSentiment[]): void {
  const points = series.flatMap((s) => s.points)
  const W = widthOf(container)
  observed.set(container, { series, width: W })
  if (points.length === 0) {
    container.replaceChildren(h('p', { class: 'empty' }, 'No sentiment yet: the conversation has no scored messages.'))
    return
  }
  const maxT = Math.max(1, ...points.map((p) => p.time))
  const step = tickStep(maxT, W < 480 ? 3 : 6)
  const tMax = Math.ceil(maxT / step) * step
  const x = (t: number) => M.left + (t / tMax) * (W - M.left - M.right)
  const y = (p: number) => M.top + ((1 - p) / 2) * (H - M.top - M.bottom)

  const names = series.map((s) => s.speaker).join(' and ')
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-labelledby': 'sentiment-title sentiment-desc',
    class: 'chart',
  })
  root.append(
    svg('title', { id: 'sentiment-title' }, 'Sentiment over time per speaker'),
    svg(
      'desc',
      { id: 'sentiment-desc' },
      `Message polarity from −1 (negative) to +1 (positive) against time, for ${names}. The table below lists every point.`,
    ),
  )

  // Positive / negative bands and the grid.
  root.append(
    svg('rect', { x: M.left, y: y(1), width: W - M.left - M.right, height: y(0) - y(1), fill: '#eef7f0' }),
    svg('rect', { x: M.left, y: y(0), width: W - M.left - M.right, height: y(-1) - y(0), fill: '#fbeeee' }),
  )
  for (const p of [-1, -0.5, 0, 0.5, 1]) {
    root.append(
      svg('line', {
        x1: M.left,
        x2: W - M.right,
        y1: y(p),
        y2: y(p),
        stroke: p === 0 ? '#555' : '#c8c8c8',
        'stroke-width': p === 0 ? 1.2 : 1,
        'stroke-dasharray': p === 0 ? '' : '3 3',
      }),
      svg('text', { x: M.left - 8, y: y(p) + 4, 'text-anchor': 'end', class: 'tick' }, p > 0 ? `+${p}` : String(p)),
    )
  }
  root.append(
    svg('text', { x: M.left + 6, y: y(1) + 14, class: 'band' }, 'positive'),
    svg('text', { x: M.left + 6, y: y(-1) - 6, class: 'band' }, 'negative'),
  )
  for (let t = 0; t <= tMax + 1e-9; t += step) {
    root.append(
      svg('line', { x1: x(t), x2: x(t), y1: y(-1), y2: y(-1) + 5, stroke: '#555' }),
      svg('text', { x: x(t), y: y(-1) + 20, 'text-anchor': 'middle', class: 'tick' }, formatSeconds(t)),
    )
  }
  root.append(
    svg('line', { x1: M.left, x2: W - M.right, y1: y(-1), y2: y(-1), stroke: '#555' }),
    svg('line', { x1: M.left, x2: M.left, y1: y(1), y2: y(-1), stroke: '#555' }),
    svg(
      'text',
      { x: (M.left + W - M.right) / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis-label' },
      'Time into the conversation (min:s)',
    ),
    svg(
      'text',
      { x: 16, y: (y(1) + y(-1)) / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 16 ${(y(1) + y(-1)) / 2})` },
      'Polarity',
    ),
  )

  series.forEach((s, i) => {
    const colour = speakerColour(i)
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.time).toFixed(1)},${y(p.polarity).toFixed(1)}`).join(' ')
    const group = svg('g', { 'data-speaker': s.speaker })
    group.append(
      svg('path', {
        d,
        fill: 'none',
        stroke: colour,
        'stroke-width': 2.5,
        'stroke-linejoin': 'round',
        'stroke-dasharray': i % 2 ? '7 4' : '',
      }),
    )
    for (const p of s.points)
      group.append(marker(i, x(p.time), y(p.polarity), colour, `${s.speaker} at ${formatSeconds(p.time)}: ${p.polarity.toFixed(2)}`))
    root.append(group)
  })

  const legend = h('ul', { class: 'legend', 'aria-label': 'Speakers' })
  series.forEach((s, i) => {
    const key = svg('svg', { viewBox: '0 0 36 14', width: 36, height: 14, 'aria-hidden': 'true' })
    key.append(
      svg('line', { x1: 0, x2: 36, y1: 7, y2: 7, stroke: speakerColour(i), 'stroke-width': 2.5, 'stroke-dasharray': i % 2 ? '7 4' : '' }),
      marker(i, 18, 7, speakerColour(i), s.speaker),
    )
    const mean = s.points.reduce((n, p) => n + p.polarity, 0) / s.points.length
    legend.append(
      h(
        'li',
        {},
        key,
        h('span', {}, `${s.speaker} `),
        h('span', { class: 'muted' }, `(${s.points.length} messages, mean ${mean >= 0 ? '+' : ''}${mean.toFixed(2)})`),
      ),
    )
  })

  const table = h('table', { class: 'visually-hidden' }, h('caption', {}, 'Sentiment points'))
  table.append(h('tr', {}, h('th', { scope: 'col' }, 'Speaker'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Polarity')))
  for (const s of series)
    for (const p of s.points)
      table.append(h('tr', {}, h('td', {}, s.speaker), h('td', {}, formatSeconds(p.time)), h('td', {}, p.polarity.toFixed(2))))

  container.replaceChildren(legend, root, table)
}
