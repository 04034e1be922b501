// Bundles a snippet of browser code the way an app's bundler would (browser conditions, minified,
// every dependency included) and reports its min+gzip size.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Rollup } from 'vite'

/**
 * Where `symbl-sdk` comes from: `dist` is what the package publishes (dist/browser, built by
 * `npm run build`), what an app installs; `src` is the source, bundled directly. Both must split
 * the same way; the figures of the benchmarks are the published build's.
 */
export type Source = 'dist' | 'src'

const ENTRIES: Record<Source, string> = { dist: 'dist/browser/index.js', src: 'src/browser.ts' }

/** Bundles `code` (an app's entry; `symbl-sdk` means this repo's browser entry) and returns every chunk. */
export async function bundleChunks(code: string, from: Source = 'dist'): Promise<Rollup.OutputChunk[]> {
  if (!existsSync(ENTRIES[from])) throw new Error(`${ENTRIES[from]} is missing: run npm run build first`)
  // Inside the project so bare imports resolve from its node_modules.
  mkdirSync('node_modules/.cache', { recursive: true })
  const dir = mkdtempSync(join('node_modules/.cache', 'symbl-size-'))
  // Built as `vite build` builds an app, not a library: the page's script exports nothing and its
  // entry signature is not preserved (Vite's default for apps), so the bundler may merge shared
  // chunks into the entry chunk. The snippet's `export const x = …` (what keeps its code from
  // being tree-shaken) becomes a global assignment, as an app's use of the SDK would be.
  const entry = resolve(dir, 'entry.ts')
  writeFileSync(
    entry,
    code.replaceAll('symbl-sdk', resolve(ENTRIES[from])).replace(/\bexport const (\w+) =/g, '(globalThis as Record<string, unknown>).$1 ='),
  )
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    resolve: { conditions: ['browser', 'module', 'import', 'default'], mainFields: ['browser', 'module', 'main'] },
    build: {
      write: false,
      minify: true,
      lib: { entry, formats: ['es'], fileName: 'out' },
      rolldownOptions: { platform: 'browser', preserveEntrySignatures: false },
    },
  })) as Rollup.RollupOutput[]
  return out.flatMap((o) => o.output).filter((c): c is Rollup.OutputChunk => c.type === 'chunk')
}

/** Size of everything the snippet can load (all chunks, lazily loaded ones included), min+gzip. */
export async function minGzipSize(code: string, from: Source = 'dist'): Promise<{ min: number; gzip: number }> {
  const js = (await bundleChunks(code, from)).map((c) => c.code).join('\n')
  return { min: js.length, gzip: gzipSync(js, { level: 9 }).length }
}

export const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`

/** The chunks a page loads with the entry: the entry and what it imports statically, transitively. */
export function upfrontFileNames(chunks: Rollup.OutputChunk[]): Set<string> {
  const upfront = new Set<string>()
  const visit = (name: string) => {
    if (upfront.has(name)) return
    upfront.add(name)
    chunks.find((c) => c.fileName === name)?.imports.forEach(visit)
  }
  chunks.filter((c) => c.isEntry).forEach((c) => visit(c.fileName))
  return upfront
}

export interface ChunkSize {
  name: string
  /** Loaded with the entry (statically imported, transitively) rather than behind an import(). */
  upfront: boolean
  min: number
  gzip: number
}

/** Bundles `code` as an app would and sizes each chunk (each gzipped on its own, as it is served). */
export async function chunkSizes(code: string, from: Source = 'dist'): Promise<ChunkSize[]> {
  const all = await bundleChunks(code, from)
  const upfront = upfrontFileNames(all)
  // A chunk is named after its largest module (rolldown names shared chunks after any one of them).
  const label = (c: Rollup.OutputChunk) =>
    `${
      Object.entries(c.modules)
        .sort((a, b) => b[1].renderedLength - a[1].renderedLength)[0]?.[0]
        .replace(/^.*\/(src|dist\/browser|node_modules)\//, '')
        .replace(/\/distribution\/.*$/, '')
        .replace(/\.[tj]s$/, '') ?? c.fileName
    } +${Object.keys(c.modules).length - 1}`
  return all.map((c) => ({
    name: label(c),
    upfront: upfront.has(c.fileName),
    min: c.code.length,
    gzip: gzipSync(c.code, { level: 9 }).length,
  }))
}

/** One line: the total, what loads up front, and each chunk loaded on first use. */
export function describeChunks(parts: ChunkSize[]): string {
  const sum = (list: ChunkSize[]) => list.reduce((n, c) => n + c.gzip, 0)
  const lazy = parts.filter((c) => !c.upfront)
  return (
    `${kb(sum(parts))} min+gzip in all (${kb(sum(parts.filter((c) => c.upfront)))} up front` +
    (lazy.length
      ? `, ${kb(sum(lazy))} loaded on first use in ${lazy.length} chunk${lazy.length > 1 ? 's' : ''}: ${lazy.map((c) => `${c.name} ${kb(c.gzip)}`).join(', ')})`
      : ')')
  )
}
