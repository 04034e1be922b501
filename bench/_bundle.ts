// Bundles a snippet of browser code the way an app's bundler would (browser conditions, minified,
// every dependency included) and reports its min+gzip size.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Rollup } from 'vite'

/** Bundles `code` (an app's entry; `symbl-sdk` means this repo's browser entry) and returns every chunk. */
export async function bundleChunks(code: string): Promise<Rollup.OutputChunk[]> {
  // Inside the project so bare imports resolve from its node_modules.
  mkdirSync('node_modules/.cache', { recursive: true })
  const dir = mkdtempSync(join('node_modules/.cache', 'symbl-size-'))
  const entry = resolve(dir, 'entry.ts')
  writeFileSync(entry, code.replaceAll('symbl-sdk', resolve('src/browser.ts')))
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    resolve: { conditions: ['browser', 'module', 'import', 'default'], mainFields: ['browser', 'module', 'main'] },
    build: { write: false, minify: true, lib: { entry, formats: ['es'], fileName: 'out' }, rolldownOptions: { platform: 'browser' } },
  })) as Rollup.RollupOutput[]
  return out.flatMap((o) => o.output).filter((c): c is Rollup.OutputChunk => c.type === 'chunk')
}

/** Size of everything the snippet can load (all chunks, lazily loaded ones included), min+gzip. */
export async function minGzipSize(code: string): Promise<{ min: number; gzip: number }> {
  const js = (await bundleChunks(code)).map((c) => c.code).join('\n')
  return { min: js.length, gzip: gzipSync(js, { level: 9 }).length }
}

export const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`
