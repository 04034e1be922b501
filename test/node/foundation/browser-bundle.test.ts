import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { build, type Rollup } from 'vite'
import { describe, expect, it } from 'vitest'
import { bundleChunks, upfrontFileNames, type Source } from '../../../bench/_bundle.js'

/**
 * Bundles the browser entry for the browser platform with every dependency inlined and fails on
 * anything Node-only: an import of a built-in, `process`, `Buffer`, or the `ws` package.
 */
async function bundle(entry: string): Promise<string> {
  const imported: string[] = []
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    resolve: { conditions: ['browser', 'module', 'import', 'default'], mainFields: ['browser', 'module', 'main'] },
    plugins: [
      {
        name: 'record-imports',
        resolveId(id) {
          imported.push(id)
          return null
        },
      },
    ],
    build: {
      write: false,
      minify: false,
      lib: { entry, formats: ['es'], fileName: 'out' },
      rolldownOptions: { platform: 'browser' },
    },
  })) as Rollup.RollupOutput[]
  const code = out
    .flatMap((o) => o.output)
    .map((c) => ('code' in c ? c.code : ''))
    .join('\n')
  const nodeOnly = imported.filter((id) => id.startsWith('node:') || builtinModules.includes(id) || /^(isomorphic-)?ws$/.test(id))
  expect(nodeOnly, 'Node-only modules imported by the browser build').toEqual([])
  return code
}

describe('the browser build', () => {
  it('contains no Node built-in, process, Buffer or ws', { timeout: 60_000 }, async () => {
    const code = await bundle('src/browser.ts')
    expect(code.length).toBeGreaterThan(1000)
    expect(code).not.toMatch(/\bprocess\.(env|versions|cwd|nextTick)|\bprocess\b(?=\s*[.[])/)
    expect(code).not.toMatch(/\bBuffer\.(from|alloc|concat|isBuffer)/)
    expect(code).not.toMatch(/require\(["'](ws|node:|fs|path|os)/)
    expect(code).not.toMatch(/from ["'](node:|ws["'])/)
  })
})

const moduleName = (id: string) => id.replace(/^.*\/(src|dist\/browser|node_modules)\//, '').replace(/\.[tj]s$/, '')

/** The modules of the chunks an app's page loads with `code` (not those behind an import()). */
async function upfrontModules(code: string, from: Source): Promise<string[]> {
  // The same bundling as `npm run bench -- size`, minified as an app's production build would be.
  const chunks = await bundleChunks(code, from)
  const upfront = upfrontFileNames(chunks)
  return chunks
    .filter((c) => upfront.has(c.fileName))
    .flatMap((c) => Object.keys(c.modules))
    .map(moduleName)
}

/**
 * The modules a page has once the lazy part holding `module` has loaded: the chunk with it and
 * every chunk that one imports statically, transitively (the up-front ones included).
 */
async function modulesWith(code: string, from: Source, module: string): Promise<string[]> {
  const chunks = await bundleChunks(code, from)
  const start = chunks.find((c) => Object.keys(c.modules).some((id) => moduleName(id) === module))
  expect(start, `no chunk holds ${module}`).toBeDefined()
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name)) return
    seen.add(name)
    chunks.find((c) => c.fileName === name)?.imports.forEach(visit)
  }
  visit(start!.fileName)
  for (const name of upfrontFileNames(chunks)) seen.add(name)
  return chunks
    .filter((c) => seen.has(c.fileName))
    .flatMap((c) => Object.keys(c.modules))
    .map(moduleName)
}

// From the source, and from the build the package publishes (what an app installs): a build
// setting can undo the split that the source has (merged chunks, `import x; export { x }`).
// `npm test` builds first; a bare `vitest run` without a build skips the published case.
const sources: Source[] = existsSync('dist/browser/index.js') ? ['src', 'dist'] : ['src']
if (sources.length === 1) console.warn('browser-bundle: dist/browser is not built (npm run build); checking the source only')

describe.each(sources)('what a page loads up front (symbl-sdk from %s)', (from) => {
  // The heavy parts load on first use, so creating the client costs a page little (bench/size.ts
  // prints the figures). A static import added by mistake would pull one back in silently.
  const lazy = [
    /^ky\//,
    /^eventemitter3\//,
    /streaming\/connection/,
    // The socket layer loads with the connections; only its error class (exported by the entry) and types may be up front.
    /socket\/(?!errors|types)/,
    /telephony\/(subscription|telephony-connection|dial)/,
    /async\/(upload|job-poller|content-type)/,
    // The Async API's submissions and checks load with the first process…/append… call, job
    // polling and the status call with the first wait(); the Conversation API's requests with the
    // first call.
    /async\/(submissions|submit|check-parameters|job-waiter)/,
    /conversations\/requests/,
    /audio\/(microphone|resampler|wav|worklet)/,
    /http\/(http-errors|retry-rules)/,
  ]

  it('new Symbl() with every area leaves ky, the connections, uploads and audio for later', { timeout: 60_000 }, async () => {
    const modules = await upfrontModules(`import { Symbl } from 'symbl-sdk'; export const s = (o) => new Symbl(o)`, from)
    expect(modules).toContain('conversations/conversations-api')
    expect(modules.filter((m) => lazy.some((re) => re.test(m)))).toEqual([])
  })

  it('a page with Conversation and ConversationsApi loads neither their requests nor job polling up front', {
    timeout: 60_000,
  }, async () => {
    const modules = await upfrontModules(
      `import { Conversation, ConversationsApi, TextApi, AudioApi } from 'symbl-sdk'; export const x = [Conversation, ConversationsApi, TextApi, AudioApi]`,
      from,
    )
    expect(modules).toContain('conversations/conversation')
    expect(modules).toContain('conversations/conversations-api')
    expect(modules.filter((m) => lazy.some((re) => re.test(m)))).toEqual([])
  })

  it('startConnection loads the connection without the Conversation API requests or job polling', { timeout: 60_000 }, async () => {
    // A live-captions page: stop() resolves with a Conversation, whose id is all such a page reads.
    const modules = await modulesWith(
      `import { Symbl } from 'symbl-sdk'; export const f = (o) => new Symbl(o).streaming.startConnection().then((c) => c.stop())`,
      from,
      'streaming/connection',
    )
    expect(modules).toContain('conversations/conversation')
    expect(
      modules.filter((m) => /conversations\/requests|async\/(submissions|submit|check-parameters|job-waiter|job-poller)/.test(m)),
    ).toEqual([])
  })

  it('a streaming-only page loads neither ky nor the connection before startConnection', { timeout: 60_000 }, async () => {
    const modules = await upfrontModules(
      `import { SymblClient, StreamingApi } from 'symbl-sdk'; export const x = [SymblClient, StreamingApi]`,
      from,
    )
    expect(modules).toContain('streaming/streaming-api')
    expect(modules.filter((m) => lazy.some((re) => re.test(m)))).toEqual([])
  })
})
