// Node-only inputs for uploads: file paths and Node streams. Reached only through the Node
// platform object (src/runtime/node-platform.ts), never from the shared core.
import { constants } from 'node:fs'
import { access, open, stat, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { ValidationError } from '../errors.js'
import type { UploadBody, UploadSource } from '../platform.js'

export async function openNodeUpload(file: unknown): Promise<UploadSource | undefined> {
  if (typeof file === 'string') return openPath(file)
  if (file instanceof Readable || isReadableLike(file)) {
    const readable = file as Readable & { path?: unknown }
    // An fs.ReadStream of a whole file knows its name and size, so Content-Length can be sent.
    const path = typeof readable.path === 'string' ? readable.path : undefined
    const size = path && !('start' in readable && readable.start) && !('end' in readable && readable.end !== Infinity) ? await stat(path).then((s) => s.size, () => undefined) : undefined
    return { body: Readable.toWeb(readable) as ReadableStream<Uint8Array>, size, name: path && basename(path) }
  }
  return undefined
}

function isReadableLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function' && typeof (value as Readable).read === 'function'
}

/**
 * A path is checked first, so a mistake gets a plain error instead of a failed upload. The body is
 * a file stream read on demand (never the whole file in memory); it can be reopened, so an upload
 * from a path may be re-sent after a 401 or 429.
 */
async function openPath(path: string): Promise<UploadSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError(
      error.code === 'ENOENT' ? `No file at ${JSON.stringify(path)}: check the path (relative paths start at ${process.cwd()})` : `Cannot read ${JSON.stringify(path)}: ${error.code ?? error.message}`,
    )
  })
  if (info.isDirectory()) throw new ValidationError(`${JSON.stringify(path)} is a directory; pass the path of an audio or video file`)
  if (!info.isFile()) throw new ValidationError(`${JSON.stringify(path)} is not a regular file`)
  await access(path, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError(`Cannot read ${JSON.stringify(path)} (${error.code ?? 'no permission'}); check its permissions`)
  })
  const reopen = async (): Promise<UploadBody> => fileStream(path)
  return { body: fileStream(path), size: info.size, name: basename(path), reopen }
}

const CHUNK = 256 * 1024

/** Reads the file in fixed chunks into fresh buffers, pulled only as fast as the socket drains. */
function fileStream(path: string): ReadableStream<Uint8Array> {
  // Opened on the first read, so a body that is never sent (the token call failed) holds no descriptor.
  let handle: FileHandle | undefined
  return new ReadableStream<Uint8Array>({
    type: 'bytes',
    async pull(controller) {
      try {
        handle ??= await open(path, 'r')
        const buffer = new Uint8Array(CHUNK)
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, null)
        if (bytesRead === 0) {
          controller.close()
          await handle.close()
        } else controller.enqueue(buffer.subarray(0, bytesRead))
      } catch (error) {
        await handle?.close().catch(() => {})
        controller.error(error)
      }
    },
    async cancel() {
      await handle?.close().catch(() => {})
    },
  })
}
