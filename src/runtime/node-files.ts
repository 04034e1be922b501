// Node-only: reading a local file for `sendAudioFromFile`. Reached only through the Node platform
// object (lazily imported), so neither the browser build nor a REST-only Node script loads it.
import { createReadStream } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { constants } from 'node:fs'
import { ValidationError } from '../errors.js'

/**
 * Checks the path, then streams the file in 64 KiB chunks (never the whole file in memory). The
 * stream opens the file on the first read, so a source that is never read holds no descriptor.
 */
export async function readFileChunks(path: string): Promise<AsyncIterable<Uint8Array>> {
  if (typeof path !== 'string' || !path) throw new ValidationError('sendAudioFromFile takes the path of a WAV file as a non-empty string')
  await checkFile(path, 'a WAV file')
  // A Node Readable is an async iterable of Buffers (Uint8Arrays); breaking out of it destroys the stream.
  return createReadStream(path, { highWaterMark: 64 * 1024 })
}

/**
 * Checks that `path` is a readable regular file (shared by uploads and `sendAudioFromFile`), so a
 * mistake gets a plain ValidationError instead of a failed read; `expected` says what to pass.
 */
export async function checkFile(path: string, expected: string): Promise<Stats> {
  const name = JSON.stringify(path)
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError(
      error.code === 'ENOENT'
        ? `No file at ${name}: check the path (relative paths start at ${process.cwd()})`
        : `Cannot read ${name}: ${error.code ?? error.message}`,
    )
  })
  if (info.isDirectory()) throw new ValidationError(`${name} is a directory; pass the path of ${expected}`)
  if (!info.isFile()) throw new ValidationError(`${name} is not a regular file`)
  await access(path, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError(`Cannot read ${name} (${error.code ?? 'no permission'}); check its permissions`)
  })
  return info
}
