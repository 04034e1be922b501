// The TypeScript matrix: `tsc --noEmit` over every ```ts snippet of README.md and src/emulator/README.md and
// every file of examples/, against the packed symbl-sdk installed here, with @tsconfig/strictest, for each
// module resolution and compiler below. Snippets are fragments: each becomes a module with the few
// declarations it leaves out (`declare const symbl: Symbl` where it uses a client made earlier, …); ESM
// files keep their top-level await, CommonJS ones run the snippet inside an async function (imports hoisted).
// Browser snippets (msw/browser, the microphone) are checked with customConditions ['browser'] and lib dom,
// no @types/node. Prints one line per cell and, last, a JSON line { ok, cells } for scripts/test-consumers.mjs.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs'

const here = import.meta.dirname
const root = resolve(here, '../../..')
const out = join(here, 'node_modules/.ts-check') // under node_modules: not part of the repository's own tsc and biome runs
const tsc = { '7.0.2': join(root, 'node_modules/.bin/tsc'), '5.0.4': join(here, 'node_modules/.bin/tsc') }
const tsVersion = (bin) => JSON.parse(readFileSync(join(bin, '../../typescript/package.json'), 'utf8')).version
for (const [v, bin] of Object.entries(tsc))
  if (tsVersion(bin) !== v) throw new Error(`expected TypeScript ${v} at ${bin}, found ${tsVersion(bin)}`)

// The sources: README snippets (not marked `<!-- ts-check: skip … -->`) and examples/.
const sources = []
for (const md of ['README.md', 'src/emulator/README.md']) {
  for (const s of readmeSnippets(join(root, md))) {
    if (s.skip) continue
    const browser = /^\/\/ browser\b|from 'msw\/browser'|sendAudioFromMic|captureMicrophone\(/.test(s.code)
    // A snippet with top-level exports is a module file (a Next.js route): ESM only, like examples/.
    const esmOnly = /^export\s/m.test(s.code)
    sources.push({
      name: `${md.replace(/\W+/g, '-')}-${s.line}`,
      origin: md,
      line: s.line + 1,
      code: s.code,
      fragment: true,
      browser,
      esmOnly,
    })
  }
}
for (const f of readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  sources.push({
    name: `examples-${f.slice(0, -3)}`,
    origin: `examples/${f}`,
    line: 1,
    code: readFileSync(join(root, 'examples', f), 'utf8'),
    browser: false,
    esmOnly: true,
  })
}

/** The declarations a fragment leaves out: only names it uses without importing or declaring them. */
function prelude({ code, fragment, browser }) {
  if (!fragment) return []
  const uses = (re) => re.test(code)
  const declares = (name) => new RegExp(`(const|let|function)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from`).test(code)
  const emulator = browser ? 'symbl-sdk/emulator/msw' : 'symbl-sdk/emulator'
  const lines = []
  if (uses(/\bnew Symbl\(/) && !declares('Symbl')) lines.push(`import { Symbl } from 'symbl-sdk'`)
  else if (uses(/\bsymbl\./) && !declares('symbl') && !declares('Symbl')) lines.push(`import type { Symbl } from 'symbl-sdk'`)
  if (uses(/\bsymbl\./) && !declares('symbl')) lines.push('declare const symbl: Symbl')
  if (uses(/\bemu\./) && !declares('emu'))
    lines.push(`import type { RunningEmulator } from 'symbl-sdk/emulator'`, 'declare const emu: RunningEmulator')
  if (uses(/(?<![.\w])core\b/) && !declares('core'))
    lines.push(`import type { EmulatorCore } from '${emulator}'`, 'declare const core: EmulatorCore')
  if (uses(/\bcreateEmulatorHandlers\(/) && !declares('createEmulatorHandlers'))
    lines.push(`import { createEmulatorHandlers } from 'symbl-sdk/emulator/msw'`)
  if (uses(/\bisLoggedIn\(/) && !declares('isLoggedIn'))
    lines.push(`declare function isLoggedIn(req: import('node:http').IncomingMessage): boolean`)
  if (uses(/(?<![.\w])lines\b/) && !declares('lines'))
    lines.push(`import type { PreloadedMessage } from 'symbl-sdk/emulator'`, 'declare const lines: PreloadedMessage[]')
  return lines
}

/** ESM: prelude + the code. CommonJS: imports first, the rest inside an async function (no top-level await). */
function wrap(source, cjs) {
  const pre = prelude(source)
  const code = source.code.split('\n')
  if (!cjs) return { text: [...pre, ...code, 'export {}', ''].join('\n'), map: (l) => l - pre.length }
  const imports = []
  const body = []
  for (let i = 0; i < code.length; i++) {
    if (!/^import\s/.test(code[i])) {
      body.push(i)
      continue
    }
    let j = i
    while (j < code.length - 1 && !/from\s+['"][^'"]+['"]|^import\s+['"]/.test(code[j])) j++
    for (let k = i; k <= j; k++) imports.push(k)
    i = j
  }
  const order = [...imports, null, ...body]
  const text = [...pre, ...order.map((i) => (i === null ? 'void (async () => {' : code[i])), '})()', 'export {}', '']
  return { text: text.join('\n'), map: (l) => order[l - pre.length - 1] + 1 }
}

// strictest minus three rules about the reader's own code, not the package's types: fragments end before
// their results are used (noUnused*), and `process.env.X` is an index signature of @types/node.
const relaxed = { noUnusedLocals: false, noUnusedParameters: false, noPropertyAccessFromIndexSignature: false }
const nodeTypes = { lib: ['ES2022'], types: ['node'] }
const browserTypes = { lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] }
const kinds = {
  bundler: { options: { module: 'ESNext', moduleResolution: 'bundler', ...nodeTypes }, browser: false },
  'bundler, browser': {
    options: { module: 'ESNext', moduleResolution: 'bundler', customConditions: ['browser'], ...browserTypes },
    browser: true,
  },
  'node16 ESM': { options: { module: 'node16', moduleResolution: 'node16', ...nodeTypes }, type: 'module' },
  'node16 CJS': { options: { module: 'node16', moduleResolution: 'node16', ...nodeTypes }, type: 'commonjs', cjs: true },
  node10: { options: { module: 'commonjs', moduleResolution: 'node10', ...nodeTypes }, cjs: true, only: '5.0.4' },
  // The package's own .d.ts files checked too (strictest skips them): the Node entry without lib dom,
  // which a Node project does not have, and the browser entry with it. Without lib dom the msw snippets are
  // left out: msw's own declarations name DOM types (MessageEvent, RequestInit…) even on Node.
  'bundler, skipLibCheck false': {
    options: { module: 'ESNext', moduleResolution: 'bundler', ...nodeTypes, skipLibCheck: false },
    noMsw: true,
  },
  'node16 CJS, skipLibCheck false': {
    options: { module: 'node16', moduleResolution: 'node16', ...nodeTypes, skipLibCheck: false },
    type: 'commonjs',
    cjs: true,
    noMsw: true,
    only: '7.0.2',
  },
  'bundler, browser, skipLibCheck false': {
    options: { module: 'ESNext', moduleResolution: 'bundler', customConditions: ['browser'], ...browserTypes, skipLibCheck: false },
    browser: true,
  },
}
const only = process.argv.slice(2)
const cells = []
for (const ts of Object.keys(tsc)) {
  for (const [kind, k] of Object.entries(kinds)) {
    if (k.only && k.only !== ts) continue
    const name = `${kind}, strictest, TS ${ts}`
    if (only.length && !only.some((o) => name.includes(o))) continue
    cells.push({ name, ts, ...k })
  }
}

rmSync(out, { recursive: true, force: true })
async function check(cell) {
  const dir = join(out, cell.name.replace(/\W+/g, '-'))
  mkdirSync(dir, { recursive: true })
  const files = new Map()
  const usesMsw = (s) => /from '(msw|msw\/[\w/]+|symbl-sdk\/emulator\/msw)'/.test(s.code)
  for (const s of sources.filter(
    (s) => Boolean(s.browser) === Boolean(cell.browser) && !(s.esmOnly && cell.cjs) && !(cell.noMsw && usesMsw(s)),
  )) {
    const { text, map } = wrap(s, cell.cjs)
    writeFileSync(join(dir, `${s.name}.ts`), text)
    files.set(`${s.name}.ts`, { origin: s.origin, line: (l) => s.line - 1 + map(l) })
  }
  if (cell.type) writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type: cell.type })}\n`)
  const tsconfig = {
    extends: '@tsconfig/strictest/tsconfig.json',
    compilerOptions: { target: 'ES2022', noEmit: true, ...relaxed, ...cell.options },
    include: ['*.ts'],
  }
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)
  const t = Date.now()
  const r = await new Promise((done) => {
    const child = spawn(tsc[cell.ts], ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir })
    let text = ''
    child.stdout.on('data', (d) => (text += d))
    child.stderr.on('data', (d) => (text += d))
    child.on('close', (code) => done({ code, text }))
  })
  // file.ts(12,5): error TS… → README.md:140: error TS…
  const errors = r.text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const m = l.match(/^([\w.-]+\.ts)\((\d+),(\d+)\): (.*)$/)
      const f = m && files.get(m[1])
      return f ? `${f.origin}:${f.line(Number(m[2]))}: ${m[4]}` : l
    })
  Object.assign(cell, { files: files.size, ok: r.code === 0, errors, seconds: (Date.now() - t) / 1000 })
  console.log(`${cell.ok ? 'ok  ' : 'FAIL'} ${cell.name}: ${files.size} files, ${cell.seconds.toFixed(1)} s`)
  for (const e of errors) console.log(`     ${e}`)
}
const queue = [...cells]
await Promise.all(
  [0, 1].map(async () => {
    for (let c = queue.shift(); c; c = queue.shift()) await check(c)
  }),
)

const ok = cells.every((c) => c.ok)
const skipped = ['README.md', 'src/emulator/README.md'].flatMap((md) =>
  readmeSnippets(join(root, md))
    .filter((s) => s.skip)
    .map((s) => `${md}:${s.line} (${s.skip})`),
)
console.log(
  JSON.stringify({
    ok,
    files: sources.length,
    skipped,
    cells: cells.map(({ name, files, ok, errors }) => ({ name, files, ok, errors: errors.length })),
  }),
)
process.exit(ok ? 0 : 1)
