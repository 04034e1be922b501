// The browser code for streaming plus microphone capture (AudioWorklet source included) when an app
// imports only that, min+gzip, with the parts it is made of. The capture code, and the file/stream
// converters of sendAudioStream, are loaded on first use (dynamic imports), so the figures say what
// the page loads up front and what comes when the microphone starts.
// Run: npx tsx bench/mic-size.ts
import { gzipSync } from 'node:zlib'
import type { Rollup } from 'vite'
import { bundleChunks, kb } from './_bundle.js'

/** Bundles `code` as an app would (browser conditions, minified, dependencies included), per chunk. */
async function chunks(code: string): Promise<Array<{ name: string; upfront: boolean; gzip: number; min: number }>> {
  const all = await bundleChunks(code)
  // Up front: the entry and what it imports statically, transitively; the rest is behind import().
  const upfront = new Set<string>()
  const visit = (name: string) => {
    if (upfront.has(name)) return
    upfront.add(name)
    all.find((c) => c.fileName === name)?.imports.forEach(visit)
  }
  all.filter((c) => c.isEntry).forEach((c) => visit(c.fileName))
  // A chunk is named after its largest module (rolldown names shared chunks after any one of them).
  const label = (c: Rollup.OutputChunk) =>
    Object.entries(c.modules)
      .sort((a, b) => b[1].renderedLength - a[1].renderedLength)[0]?.[0]
      .replace(/^.*\/src\//, '')
      .replace(/\.ts$/, '') ?? c.fileName
  return all.map((c) => ({ name: `${label(c)} +${Object.keys(c.modules).length - 1}`, upfront: upfront.has(c.fileName), min: c.code.length, gzip: gzipSync(c.code, { level: 9 }).length }))
}

async function report(name: string, code: string): Promise<void> {
  const parts = await chunks(code)
  const sum = (list: typeof parts) => list.reduce((n, c) => n + c.gzip, 0)
  const upfront = sum(parts.filter((c) => c.upfront))
  const lazy = parts.filter((c) => !c.upfront)
  console.log(
    // Chunks are gzipped one by one (as they are served), so the sum is a little above one bundle's gzip.
    `mic-size: ${name}: ${kb(sum(parts))} min+gzip in all (${kb(upfront)} up front` +
      (lazy.length ? `, ${kb(sum(lazy))} loaded on first use in ${lazy.length} chunk${lazy.length > 1 ? 's' : ''}: ${lazy.map((c) => `${c.name} ${kb(c.gzip)}`).join(', ')})` : ')'),
  )
}

await report('streaming + microphone (SymblClient, StreamingApi, captureMicrophone)', `import { SymblClient, StreamingApi, captureMicrophone } from 'symbl-sdk'; export const x = [SymblClient, StreamingApi, captureMicrophone]`)
await report('  streaming alone (SymblClient, StreamingApi)', `import { SymblClient, StreamingApi } from 'symbl-sdk'; export const x = [SymblClient, StreamingApi]`)
await report('  the client plumbing alone (SymblClient: ky, token source, errors)', `import { SymblClient } from 'symbl-sdk'; export const x = [SymblClient]`)
await report('  microphone capture alone (captureMicrophone)', `import { captureMicrophone } from 'symbl-sdk'; export const x = [captureMicrophone]`)
await report('  the resampler alone (also inside the worklet source)', `import { Resampler } from 'symbl-sdk'; export const x = [Resampler]`)
