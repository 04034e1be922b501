// Builds every output: five vite library builds, then declarations with tsc and .d.cts copies for
// CommonJS consumers (TypeScript 7 has no compiler API for a d.ts bundler; see toolchain notes §2).
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' })
rmSync('dist', { recursive: true, force: true })
for (const mode of ['node', 'node-cjs', 'browser', 'worker', 'cdn']) run('npx', ['vite', 'build', '--mode', mode, '--logLevel', 'warn'])
run('npx', ['tsc', '-p', 'tsconfig.build.json'])

const dir = 'dist/types'
for (const f of readdirSync(dir, { recursive: true })) {
  if (typeof f !== 'string' || !f.endsWith('.d.ts')) continue
  const out = readFileSync(join(dir, f), 'utf8').replace(
    /(from\s+|import\s*\(\s*|import\s+)(['"])(\.{1,2}\/[^'"]+?)\.js\2/g,
    '$1$2$3.cjs$2',
  )
  writeFileSync(join(dir, f.replace(/\.d\.ts$/, '.d.cts')), out)
}
console.log('build: dist/node, dist/browser, dist/worker, dist/cdn, dist/types')
