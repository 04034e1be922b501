// Rollup 4 through its JS API (the repository's rollup) with the plugins a user adds for a browser
// app: node-resolve (browser: true) and terser, no commonjs plugin: the package's browser build must
// be ESM all the way down (it bundles eventemitter3, whose ESM entry wraps CommonJS, for that).
// Any warning fails the build.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { rollup } from 'rollup'

const dist = join(import.meta.dirname, 'dist')
rmSync(dist, { recursive: true, force: true })
const warnings = []
const bundle = await rollup({
  input: join(import.meta.dirname, 'src/main.js'),
  plugins: [nodeResolve({ browser: true })],
  onwarn: (w) => warnings.push(w.message),
})
await bundle.write({ dir: dist, format: 'es', plugins: [terser()] })
await bundle.close()
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>loading</title><script type="module" src="./main.js"></script>\n')
for (const w of warnings) console.error(`warning: ${w}`)
if (warnings.length) process.exit(1)
