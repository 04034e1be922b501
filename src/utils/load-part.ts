import { NetworkError } from '../errors.js'

/**
 * Loads a part of the SDK that sits behind an `import()`, so that a bundler puts it in a chunk of
 * its own and a page downloads it on first use. In a browser that download can fail: the page went
 * offline, a deploy removed the old chunks, or the server does not serve the bundler's output. The
 * runtime then throws a bare TypeError ("Failed to fetch dynamically imported module"); this turns
 * it into a NetworkError that says what happened. Nothing is cached here on failure, so the next
 * call imports again: Chromium then downloads the chunk again, but Firefox (153 ESR, tested) keeps
 * the failed module until the page is reloaded, so the message says both.
 */
export async function loadPart<T>(part: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new NetworkError(
      `Could not load ${part} of symbl-sdk (${detail}). Check the network and that the server serves every file the app's bundler wrote, then call again (Firefox keeps a failed download: reload the page first)`,
      error,
    )
  }
}

/**
 * `loadPart` for a part called again and again (every Conversation API call): keeps what loaded, so
 * later calls skip the `import()`, which goes through the module resolver each time (on Node, with a
 * loader such as tsx, that alone tripled a request's cost). A failed load is not kept: the next call
 * tries again.
 */
export function partLoader<T>(part: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined
  return () =>
    (loading ??= loadPart(part, load).catch((error: unknown) => {
      loading = undefined
      throw error
    }))
}
