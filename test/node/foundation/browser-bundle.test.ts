import { builtinModules } from 'node:module'
import { build, type Rollup } from 'vite'
import { describe, expect, it } from 'vitest'

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
  const code = out.flatMap((o) => o.output).map((c) => ('code' in c ? c.code : '')).join('\n')
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
