// What `npm pack` puts in the tarball a user installs: the licence package.json names, the README,
// and the builds the exports point at (npm test builds first).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')

describe('the packed tarball', () => {
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as [{ files: { path: string }[] }]
  const files = new Set(pack.files.map((f) => f.path))

  it('carries the MIT licence that package.json declares, and the README', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { license: string }
    expect(pkg.license).toBe('MIT')
    expect(files.has('LICENSE')).toBe(true)
    expect(readFileSync(resolve(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/)
    expect(files.has('README.md')).toBe(true)
  })

  it.runIf(existsSync(resolve(ROOT, 'dist/node/index.js')))('carries every file the exports map points at', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { exports: unknown }
    const targets = new Set<string>()
    const walk = (v: unknown): void => {
      if (typeof v === 'string') targets.add(v.replace(/^\.\//, ''))
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk(pkg.exports)
    for (const t of targets) expect(files.has(t), t).toBe(true)
  })

  it.runIf(existsSync(resolve(ROOT, 'dist/node/index.js')))(
    'carries the executables package.json names (symbl, symbl-emulator), each with its shebang',
    () => {
      const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
      expect(Object.keys(pkg.bin).sort()).toEqual(['symbl', 'symbl-emulator'])
      for (const target of Object.values(pkg.bin)) {
        const path = target.replace(/^\.\//, '')
        expect(files.has(path), path).toBe(true)
        expect(readFileSync(resolve(ROOT, path), 'utf8').startsWith('#!/usr/bin/env node\n'), path).toBe(true)
      }
    },
  )
})
