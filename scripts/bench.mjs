// `npm run bench`: runs every bench/*.ts script in turn (each prints its own figures).
// `npm run bench -- size upload` runs only the named ones.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

// Names choose scripts; flags (`--why`) are passed on to each of them.
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'))
const scripts = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort()
// The size figures bundle the published build (dist/browser), so build first: stale output would lie.
console.log('--- build')
if (spawnSync('node', ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1)
let failed = 0
for (const f of scripts) {
  console.log(`\n--- bench/${f}`)
  const r = spawnSync('npx', ['tsx', `bench/${f}`, ...flags], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
