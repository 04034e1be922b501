import { gzipSync } from 'node:zlib'
import { transformSync } from 'esbuild'
import { bundleChunks } from './_bundle.js'
const code = process.argv[2] ?? `import { Symbl } from 'symbl-sdk'; export const s = (o) => new Symbl(o)`
const all = await bundleChunks(code)
const up = new Set<string>()
const visit = (n: string) => { if (up.has(n)) return; up.add(n); all.find((c) => c.fileName === n)?.imports.forEach(visit) }
all.filter((c) => c.isEntry).forEach((c) => visit(c.fileName))
const rows: [string, number][] = []
for (const c of all.filter((c) => up.has(c.fileName))) for (const [id, m] of Object.entries(c.modules)) {
  const src = (m as any).code ?? ''
  const min = src ? transformSync(src, { minify: true, loader: 'js' }).code : ''
  rows.push([id.replace(/^.*\/(src|node_modules)\//, ''), min ? gzipSync(min, { level: 9 }).length : 0])
}
rows.sort((a, b) => b[1] - a[1]); for (const r of rows) console.log(String(r[1]).padStart(6), r[0])
