// webpack 5 through its Node API (the repository's webpack), production mode and nothing else:
// default target, no resolve.fallback, no polyfill plugin. Any error or warning fails the build.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import webpack from 'webpack'

const dist = join(import.meta.dirname, 'dist')
rmSync(dist, { recursive: true, force: true })
const stats = await new Promise((ok, fail) =>
  webpack(
    {
      mode: 'production',
      context: import.meta.dirname,
      entry: './src/main.js',
      output: { path: dist, publicPath: 'auto', clean: true },
    },
    (error, result) => (error ? fail(error) : ok(result)),
  ),
)
const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true })
for (const e of errors) console.error(`error: ${e.message}`)
for (const w of warnings) console.error(`warning: ${w.message}`)
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>loading</title><script src="./main.js"></script>\n')
if (errors.length || warnings.length) process.exit(1)
