// The emulator only ever sends requests to this machine (webhooks, URL jobs): it has no network,
// and it must not become a way to reach other hosts. That holds for every hop: a loopback URL that
// redirects elsewhere is followed by hand, checking each Location (fetch's own redirect following
// would take the emulator anywhere).

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1']

export const isLoopback = (url: URL): boolean => LOOPBACK_HOSTS.includes(url.hostname)

/** Redirects followed per request (fetch's own limit is 20; a media URL or webhook needs few). */
export const MAX_REDIRECTS = 5

/**
 * fetch() restricted to loopback URLs, redirects included (at most MAX_REDIRECTS, each Location
 * checked). 303, and 301/302 after a POST, continue as a body-less GET, as fetch does; 307/308 keep
 * the method and body. Throws on a non-loopback hop. In a browser (msw front) a manual redirect is
 * opaque (no Location to check), so it is refused too.
 */
export async function fetchLoopback(url: URL, init: RequestInit = {}): Promise<Response> {
  let current = url
  let method = (init.method ?? 'GET').toUpperCase()
  let body = init.body
  let headers = init.headers
  for (let hop = 0; ; hop++) {
    if (!/^https?:$/.test(current.protocol) || !isLoopback(current)) {
      throw new Error(
        `${hop ? 'redirected' : 'asked'} to reach ${current.protocol}//${current.hostname}, which is not loopback: the emulator only sends requests to this machine`,
      )
    }
    const res = await fetch(current, { ...init, method, body, headers, redirect: 'manual' })
    if (res.type === 'opaqueredirect') throw new Error('a redirect whose target cannot be checked here (opaque redirect) is not followed')
    if (![301, 302, 303, 307, 308].includes(res.status)) return res
    const location = res.headers.get('location')
    await res.body?.cancel()
    if (!location) throw new Error(`HTTP ${res.status} without a Location header`)
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`)
    current = new URL(location, current)
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET'
      body = undefined
      headers = undefined
    }
  }
}
