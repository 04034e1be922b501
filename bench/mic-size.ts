// The browser code for streaming plus microphone capture (AudioWorklet source included) when an app
// imports only that, min+gzip, with the parts it is made of. The capture code, and the file/stream
// converters of sendAudioStream, are loaded on first use (dynamic imports), so the figures say what
// the page loads up front and what comes when the microphone starts.
// Run: npx tsx bench/mic-size.ts
import { chunkSizes, describeChunks } from './_bundle.js'

async function report(name: string, code: string): Promise<void> {
  // Chunks are gzipped one by one (as they are served), so the sum is a little above one bundle's gzip.
  console.log(`mic-size: ${name}: ${describeChunks(await chunkSizes(code))}`)
}

await report(
  'streaming + microphone (SymblClient, StreamingApi, captureMicrophone)',
  `import { SymblClient, StreamingApi, captureMicrophone } from 'symbl-sdk'; export const x = [SymblClient, StreamingApi, captureMicrophone]`,
)
await report(
  '  streaming alone (SymblClient, StreamingApi)',
  `import { SymblClient, StreamingApi } from 'symbl-sdk'; export const x = [SymblClient, StreamingApi]`,
)
await report(
  '  the client plumbing alone (SymblClient: ky, token source, errors)',
  `import { SymblClient } from 'symbl-sdk'; export const x = [SymblClient]`,
)
await report(
  '  microphone capture alone (captureMicrophone)',
  `import { captureMicrophone } from 'symbl-sdk'; export const x = [captureMicrophone]`,
)
await report(
  '  the resampler alone (also inside the worklet source)',
  `import { Resampler } from 'symbl-sdk'; export const x = [Resampler]`,
)
