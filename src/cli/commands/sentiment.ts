// `symbl sentiment <id>`: the blog's flow, each speaker's message polarity over time, as a chart
// in the terminal, or written to an SVG or HTML file (--chart), or as the series (--json).
import { writeFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { speakerSentiment } from '../../node.js'
import { expectPositionals, parse, UsageError } from '../args.js'
import type { Context } from '../context.js'
import { htmlChart, svgChart, terminalChart } from '../sentiment-chart.js'

export const USAGE = 'symbl sentiment <conversation-id> [--chart sentiment.svg|sentiment.html] [--json]'

export const HELP = `Usage: ${USAGE}

Each speaker's message polarity (−1 negative … +1 positive) over time, as in Symbl's sentiment
blog post: a chart in the terminal, or with --chart an SVG image or a self-contained HTML page
(the look of the demo's chart). For speakers to be told apart, process the recording with
--speakers N (or name them in a text conversation's "from").

  --chart FILE   write the chart to FILE (.svg or .html) instead of drawing it in the terminal
  --width N      the terminal chart's width in columns (default: the terminal's, at most 100)`

export const OPTIONS = { chart: { type: 'string' }, width: { type: 'string' } } as const

export async function run(ctx: Context, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, OPTIONS)
  const [id] = expectPositionals(positionals, 1, USAGE)
  const chart = values.chart
  const kind = chart === undefined ? undefined : extname(chart).toLowerCase()
  if (kind !== undefined && kind !== '.svg' && kind !== '.html' && kind !== '.htm')
    throw new UsageError(`--chart must name an .svg or .html file (got "${chart}")`)
  const width = values.width === undefined ? undefined : Number(values.width)
  if (width !== undefined && !(Number.isInteger(width) && width >= 20 && width <= 200))
    throw new UsageError(`--width must be a whole number of columns from 20 to 200 (got "${values.width}")`)
  const { out, signal, symbl } = ctx
  const { messages } = await symbl.conversations.getMessages(id, { sentiment: true, signal })
  const series = messages.length ? speakerSentiment(messages) : []
  if (chart !== undefined) {
    const title = `Sentiment over time: conversation ${id}`
    try {
      await writeFile(chart, kind === '.svg' ? svgChart(series) : htmlChart(series, title))
    } catch (e) {
      // Node's own words ("ENOENT: no such file or directory, open …", status 1) said neither what
      // failed nor what to do: the path is the user's to fix (status 2).
      const code = (e as { code?: string }).code
      const why =
        code === 'ENOENT'
          ? 'its folder does not exist'
          : code === 'EISDIR'
            ? 'it is a folder'
            : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
              ? 'writing there is not allowed'
              : (e as Error).message
      throw new UsageError(`cannot write the chart to ${chart}: ${why}; give --chart a file path in a folder you can write to`)
    }
    if (out.json) out.printJson({ conversationId: id, chart, series })
    else
      out.print(
        `Wrote ${chart} (${series.length} speaker${series.length === 1 ? '' : 's'}, ${messages.length} message${messages.length === 1 ? '' : 's'}).`,
      )
    return
  }
  if (out.json) return out.printJson({ conversationId: id, series })
  const columns = width ?? (process.stdout.columns ? Math.min(100, process.stdout.columns - 10) : 60)
  for (const line of terminalChart(series, { width: columns, colour: out.colour })) out.print(line)
}
