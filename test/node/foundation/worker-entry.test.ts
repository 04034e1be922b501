// The Workers entry (src/worker.ts, the workerd and edge-light export conditions): no Node
// module and no `process` in its bundle; app credentials from options only, and a ConfigError
// naming the Worker's env without them.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as esbuild from 'esbuild'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/errors.js'
import { createTokenHandler, Symbl } from '../../../src/worker.js'

describe('worker entry', () => {
  it('bundles without node: imports or process', async () => {
    const out = await esbuild.build({
      entryPoints: ['src/worker.ts'],
      bundle: true,
      write: false,
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      format: 'esm',
      external: ['ky'],
      logLevel: 'silent',
    })
    const code = out.outputFiles.map((f) => f.text).join('\n')
    expect(code).not.toMatch(/from\s*["']node:|import\(\s*["']node:|\brequire\(\s*["']/)
    expect(code).not.toMatch(/\bprocess\s*\.\s*(env|cwd|versions)\b/)
    if (existsSync('dist/worker/index.js')) expect(readFileSync('dist/worker/index.js', 'utf8')).not.toMatch(/["']node:|process\.env\b/)
  })

  // webpack's `target: 'webworker'` asks for `worker`: a Web Worker runs in a browser, where an app
  // secret must stay refused, so `worker` alone must not select the entry that accepts secrets.
  it.each([
    [['workerd', 'worker', 'browser'], 'dist/worker/index.js'], // wrangler
    [['edge-light', 'browser'], 'dist/worker/index.js'], // Vercel Edge
    [['worker', 'browser'], 'dist/browser/index.js'], // a browser Web Worker
  ])('the package resolves %j to %s', async (conditions, target) => {
    // An app folder whose node_modules/symbl-sdk is this package, resolved through its `exports`.
    const app = resolve('node_modules/.cache/worker-conditions')
    mkdirSync(join(app, 'node_modules'), { recursive: true })
    if (!existsSync(join(app, 'node_modules/symbl-sdk'))) symlinkSync(resolve('.'), join(app, 'node_modules/symbl-sdk'), 'dir')
    const out = await esbuild
      .build({
        stdin: { contents: "import { Symbl } from 'symbl-sdk'; globalThis.S = Symbl", resolveDir: app },
        bundle: true,
        write: false,
        metafile: true,
        platform: 'neutral',
        conditions,
        mainFields: ['module', 'main'],
        format: 'esm',
        external: ['ky'],
        logLevel: 'silent',
      })
      .catch(() => undefined)
    if (!out) return expect.fail(`the package did not bundle with ${JSON.stringify(conditions)} (run npm run build first)`)
    expect(Object.keys(out.metafile.inputs).some((f) => f.endsWith(target))).toBe(true)
  })

  it('takes app credentials from options and names env without them', async () => {
    expect(Symbl.platform).toBe('worker')
    const bare = new Symbl({ baseUrl: 'http://127.0.0.1:9' })
    const error = await bare.text.process({ messages: [{ payload: { content: 'hi' } }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain('env.SYMBL_APP_SECRET')
    expect(() => createTokenHandler({})).toThrow(/env\.SYMBL_APP_ID/)
    expect(() => new Symbl({ appId: 'id' })).toThrow(/appSecret is missing/)
    expect(() => createTokenHandler({ appId: 'id' })).toThrow(/appSecret/)
    expect(typeof createTokenHandler({ appId: 'id', appSecret: 'secret' })).toBe('function')
  })

  it("answers like the Node entry's handler: 405 for other methods, 403 when refused, a generic 500 when authorize throws", async () => {
    const logged: string[] = []
    const logger = { debug() {}, info() {}, warn() {}, error: (m: string) => logged.push(m) }
    const make = (authorize: () => boolean) =>
      createTokenHandler({ appId: 'id', appSecret: 'worker-secret', baseUrl: 'http://127.0.0.1:9', authorize, logger })
    const url = 'http://worker.test/symbl-token'
    const put = await make(() => true)(new Request(url, { method: 'PUT' }))
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, POST'])
    expect((await make(() => false)(new Request(url))).status).toBe(403)
    const failed = await make(() => {
      throw new Error('session store down')
    })(new Request(url))
    expect(failed.status).toBe(500)
    expect(await failed.text()).not.toContain('session store down')
    expect(logged.join('\n')).toContain('session store down')
    await expect(make(() => true)({} as Request)).rejects.toThrow(/return handler\(request\)/)
  })
})
