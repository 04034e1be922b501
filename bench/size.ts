// Bundle sizes (min+gzip) a browser app pays, against issue #12's targets, side by side:
//   - up front, what `new Symbl()` costs a page: ≤ 12 KB;
//   - the whole browser client, every chunk, as one esbuild bundle of the browser entry: ≤ 30 KB;
//   - what a live-captions page loads in all (streaming + microphone, every chunk it fetches,
//     measured in headless Chromium): ≤ 20 KB;
//   - request overhead: bench/request-overhead.ts (the SDK's layers ≤ +10 % over ky alone).
// `npm run bench -- size --why` adds what the whole client is made of, module by module.
import { existsSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { chunkSizes, describeChunks, kb, minGzipSize } from './_bundle.js'
import { measureLivePage } from './_live-page.js'

const why = process.argv.includes('--why')
const ENTRY = 'dist/browser/index.js'
if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`)

const verdict = (value: number, target: number) => `${kb(value)} (target ≤ ${kb(target)}: ${value <= target ? 'met' : 'NOT met'})`

// 1. Up front: the chunks a page loads with `new Symbl()`, before any call.
const full = await chunkSizes(`import { Symbl } from 'symbl-sdk'; export const s = (o) => new Symbl(o)`)
const upfront = full.filter((c) => c.upfront).reduce((n, c) => n + c.gzip, 0)

// 2. The whole client as one file: esbuild, browser platform, every dynamic import inlined.
const whole = await build({
  entryPoints: [ENTRY],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  metafile: true,
  logLevel: 'silent',
})
const wholeJs = whole.outputFiles[0].contents
const wholeGzip = gzipSync(wholeJs, { level: 9 }).length

// 3. A live-captions page in real Chromium.
let live: Awaited<ReturnType<typeof measureLivePage>> | undefined
let liveError = ''
try {
  live = await measureLivePage()
} catch (error) {
  liveError = error instanceof Error ? error.message : String(error)
}

console.log('size targets (issue #12), min+gzip:')
console.log(`  up front, new Symbl():                         ${verdict(upfront, 12 * 1024)}`)
console.log(`  whole browser client, one esbuild bundle:      ${verdict(wholeGzip, 30 * 1024)} (${kb(wholeJs.length)} min)`)
console.log(
  live
    ? `  live-captions page, every JS file it fetched:  ${verdict(live.gzip, 20 * 1024)} in ${live.files.length} files (Chromium, fake microphone, stopped to conversation ${live.conversationId}): ${live.files
        .map((f) => `${f.name.replace(/-[\w-]{8}\.js$/, '')} ${kb(f.gzip)}`)
        .join(', ')}`
    : `  live-captions page: not measured (${liveError}); needs Debian's chromium (apt-get install -y chromium) or CHROMIUM_PATH`,
)
if (live) console.log(`  the same files gzipped as one:                 ${kb(live.oneFileGzip)} (what splitting into chunks costs)`)
if (live) {
  // Issue 14: the Opus path (the WebCodecs encoder wrapper, the packet checks) is a chunk of its own.
  const opus = live.files.filter((f) => /opus/i.test(f.name)).reduce((n, f) => n + f.gzip, 0)
  console.log(
    `  Opus code fetched by that LINEAR16 page:       ${opus} bytes (target 0: ${opus === 0 ? 'met' : 'NOT met'}; what Opus adds when used: bench/opus.ts)`,
  )
}
console.log('  request overhead: see bench/request-overhead.ts (target: SDK layers ≤ +10 % over ky alone)')

for (const [name, code] of [
  [
    'minimal use (SymblClient + ConversationsApi)',
    `import { SymblClient, ConversationsApi } from 'symbl-sdk'; export const x = [SymblClient, ConversationsApi]`,
  ],
  ['full client (new Symbl, every area)', `import { Symbl } from 'symbl-sdk'; export const s = (o) => new Symbl(o)`],
] as const) {
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

if (why) {
  // Each module's minified bytes in the one-file bundle (esbuild's metafile); its share of the gzip
  // is estimated pro rata (gzip works across modules, so a module alone compresses less well).
  const inputs = Object.entries(whole.metafile.outputs[Object.keys(whole.metafile.outputs)[0]].inputs)
    .map(([path, { bytesInOutput }]) => ({
      path: path.replace(/^.*node_modules\//, 'node_modules/').replace(/^dist\/browser\//, 'src/'),
      bytes: bytesInOutput,
    }))
    .filter((m) => m.bytes > 0)
  const total = inputs.reduce((n, m) => n + m.bytes, 0)
  const share = (bytes: number) => kb((bytes / total) * wholeGzip)
  const groups = new Map<string, number>()
  for (const m of inputs) {
    const group = m.path.startsWith('node_modules/') ? m.path.split('/').slice(0, 2).join('/') : m.path.split('/').slice(0, 2).join('/')
    groups.set(group, (groups.get(group) ?? 0) + m.bytes)
  }
  console.log(`\nsize --why: the whole client (${kb(wholeGzip)} min+gzip, ${kb(total)} of module code min), by area:`)
  for (const [group, bytes] of [...groups].sort((a, b) => b[1] - a[1]))
    console.log(`  ${group.padEnd(28)} ${kb(bytes).padStart(9)} min  ~${share(bytes)} gzip`)
  console.log('size --why: by module (largest first):')
  for (const m of inputs.sort((a, b) => b.bytes - a.bytes))
    console.log(`  ${m.path.padEnd(44)} ${kb(m.bytes).padStart(9)} min  ~${share(m.bytes)} gzip`)
}
