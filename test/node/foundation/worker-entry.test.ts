// The Workers entry (src/worker.ts, the workerd/edge-light/worker export conditions): no Node
// module and no `process` in its bundle; app credentials from options only, and a ConfigError
// naming the Worker's env without them.
import { existsSync, readFileSync } from 'node:fs'
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
})
