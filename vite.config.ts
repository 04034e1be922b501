import { defineConfig, type Plugin } from 'vite'
import { builtinModules } from 'node:module'

// Library builds, one per `--mode`:
//   node      ESM for Node (SDK + emulator + the two CLIs: symbl, symbl-emulator), dependencies external
//   node-cjs  CJS for Node; ky is bundled because it is ESM-only
//   browser   ESM for bundlers, from src/browser.ts: no Node built-ins, no ws
//   cdn       minified IIFE (global `Symbl`) and UMD, everything bundled
//   worker    one ESM file for Workers/edge runtimes, from src/worker.ts: no Node built-ins, no `process`
// Types come from `tsc -p tsconfig.build.json` (see scripts/build.mjs).
// The emulator's WASM decoders (MP3, FLAC, Ogg, Opus), loaded with import() on the first upload or stream of their format.
const audioDecoders = ['mpg123-decoder', '@wasm-audio-decoders/flac', '@wasm-audio-decoders/ogg-vorbis', 'opus-decoder']
const deps = ['ky', 'isomorphic-ws', 'ws', 'eventemitter3', 'vader-sentiment', 'compromise', /^msw(\/|$)/, ...audioDecoders]
const nodeBuiltins = [/^node:/, ...builtinModules]

/**
 * For the CDN bundle only: turns the SDK's own `import('./x.js')` into a static namespace import.
 * A single-file IIFE cannot load anything later anyway, and rolldown would wrap every lazily
 * imported module in an init function (about 1 KB min+gzip in all) to keep their start order.
 */
function staticImportsForCdn(): Plugin {
  return {
    name: 'symbl-static-imports-for-cdn',
    transform(code, id) {
      if (!/\/src\/(?!emulator\/).*\.ts$/.test(id) || !code.includes('import(')) return null
      const added: string[] = []
      const out = code.replace(/\bimport\((['"])(\.{1,2}\/[^'"]+)\1\)/g, (_match, _quote, path: string) => {
        const name = `__symblLazy${added.length}`
        added.push(`import * as ${name} from ${JSON.stringify(path)}`)
        return `Promise.resolve(${name})`
      })
      return added.length ? { code: `${added.join('\n')}\n${out}`, map: null } : null
    },
  }
}

export default defineConfig(({ mode }) => {
  const isBrowser = mode === 'browser' || mode === 'cdn' || mode === 'worker'
  const external =
    mode === 'cdn'
      ? []
      : mode === 'browser' || mode === 'worker'
        ? ['ky'] // eventemitter3 is bundled: its ESM entry wraps CommonJS, which Rollup cannot read without the commonjs plugin
        : mode === 'node-cjs'
          ? [...deps.filter((d) => d !== 'ky'), ...nodeBuiltins]
          : [...deps, ...nodeBuiltins]
  const entry: Record<string, string> =
    mode === 'cdn'
      ? { symbl: 'src/cdn.ts' }
      : mode === 'worker'
        ? { index: 'src/worker.ts' }
        : isBrowser
          ? { index: 'src/browser.ts' }
          : {
              index: 'src/node.ts',
              emulator: 'src/emulator/index.ts',
              'emulator-msw': 'src/emulator/msw.ts',
              'emulator-cli': 'src/emulator/cli.ts',
              cli: 'src/cli/bin.ts',
            }
  // The CLIs are ESM only (top-level await; `bin` runs them with node, which loads ESM).
  if (mode === 'node-cjs') delete entry.cli
  return {
    publicDir: false,
    // A Worker is one module (no page downloads to save): the lazy parts are bundled in, as for the CDN.
    plugins: mode === 'cdn' || mode === 'worker' ? [staticImportsForCdn()] : [],
    resolve: {
      conditions: isBrowser ? ['browser', 'module', 'import', 'default'] : ['node', 'module', 'import', 'default'],
      mainFields: isBrowser ? ['browser', 'module', 'main'] : ['module', 'main'],
    },
    build: {
      target: 'es2022',
      outDir: mode === 'cdn' ? 'dist/cdn' : mode === 'browser' ? 'dist/browser' : mode === 'worker' ? 'dist/worker' : 'dist/node',
      emptyOutDir: mode !== 'node-cjs', // node and node-cjs share dist/node
      sourcemap: true,
      minify: mode === 'cdn',
      ssr: false,
      lib: {
        entry,
        name: 'Symbl',
        formats: mode === 'cdn' ? ['iife', 'umd'] : mode === 'node-cjs' ? ['cjs'] : ['es'],
        fileName: (format, name) =>
          mode === 'cdn' ? `symbl.${format}.${format === 'umd' ? 'cjs' : 'js'}` : `${name}.${format === 'cjs' ? 'cjs' : 'js'}`,
      },
      rolldownOptions: {
        external,
        // On Node a lazy import() that the entry also imports statically costs nothing (no download);
        // the browser build must never do it, so the warning stays on there.
        onwarn(warning, warn) {
          if (!isBrowser && warning.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return
          warn(warning)
        },
        platform: isBrowser ? 'browser' : 'node',
        output: {
          // The browser ESM keeps one file per source module, so an app's bundler splits it exactly
          // as it would split src/: merged shared chunks would pull lazy parts (the connections,
          // eventemitter3) into what a page loads up front.
          ...(mode === 'browser' ? { preserveModules: true, preserveModulesRoot: 'src' } : {}),
          exports: mode === 'cdn' ? 'default' : 'named',
          banner: (chunk: { name: string }) => (chunk.name === 'emulator-cli' || chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
        },
      },
    },
  }
})
