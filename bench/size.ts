// Bundle sizes (min+gzip) a browser app pays. Targets: full client ≤ 12 KB.
import { readFileSync, existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { chunkSizes, describeChunks, kb, minGzipSize } from './_bundle.js'

const cases: Array<[string, string]> = [
  [
    'minimal use (SymblClient + ConversationsApi)',
    `import { SymblClient, ConversationsApi } from 'symbl-sdk'; export const x = [SymblClient, ConversationsApi]`,
  ],
  ['full client (new Symbl, every area)', `import { Symbl } from 'symbl-sdk'; export const s = (o) => new Symbl(o)`],
]
for (const [name, code] of cases) {
  const { min, gzip } = await minGzipSize(code)
  console.log(
    `size: browser ESM, ${name}: ${kb(gzip)} min+gzip as one file (${kb(min)} min); as served, ${describeChunks(await chunkSizes(code))}`,
  )
}
const cdn = 'dist/cdn/symbl.iife.js'
if (existsSync(cdn)) {
  const js = readFileSync(cdn)
  console.log(`size: CDN IIFE ${cdn}: ${kb(gzipSync(js, { level: 9 }).length)} min+gzip (${kb(js.length)} min)`)
} else {
  console.log('size: CDN IIFE not built (run npm run build first)')
}
