// esbuild from the repository's devDependencies, as a user's build script would call it.
import { rmSync, writeFileSync } from 'node:fs'
import * as esbuild from 'esbuild'

rmSync('dist', { recursive: true, force: true })
const result = await esbuild.build({
  entryPoints: ['src/main.js'],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  splitting: true,
  minify: true,
  outdir: 'dist',
  logLevel: 'silent',
})
writeFileSync('dist/index.html', '<!doctype html><title>loading</title><script type="module" src="./main.js"></script>\n')
for (const w of result.warnings) console.error(`warning: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`)
if (result.warnings.length) process.exit(1)
