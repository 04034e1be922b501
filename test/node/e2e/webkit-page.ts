// The E2ePage of ./page.ts in WebKitGTK: Xvfb and WebKitWebDriver started on free numbers
// (test/browser/webkit/driver.ts), one WebDriver session driven by webdriverio. A page is the
// session's one window (the tests open pages one after another). Clicks are WebDriver element
// clicks, which WebKit takes as user gestures, as it must for the demo's Start to get audio.
import { remote } from 'webdriverio'
import { startWebKitDriver, webkitCapabilities } from '../../browser/webkit/driver.js'
import type { E2eBrowser, E2ePage, Role } from './page.js'

type Session = Awaited<ReturnType<typeof remote>>

/** Marks the first visible element of `role` whose accessible name matches, for a native click. */
function markByRole(role: Role, source: string, flags: string, mark: string): boolean {
  const pattern = new RegExp(source, flags)
  const selector = role === 'tab' ? '[role="tab"]' : 'button, [role="button"], input[type="button"], input[type="submit"]'
  const nameOf = (el: Element) =>
    (el.getAttribute('aria-label') ?? el.textContent ?? (el as HTMLInputElement).value ?? '').replace(/\s+/g, ' ').trim()
  for (const el of document.querySelectorAll('[data-e2e-mark]')) el.removeAttribute('data-e2e-mark')
  const found = [...document.querySelectorAll(selector)].find((el) => el.getClientRects().length > 0 && pattern.test(nameOf(el)))
  found?.setAttribute('data-e2e-mark', mark)
  return found !== undefined
}

/** Playwright's rule for a string name: a case-insensitive substring, whitespace normalised. */
const asPattern = (name: string | RegExp): [string, string] =>
  typeof name === 'string' ? [name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'] : [name.source, name.flags]

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function page(session: Session): E2ePage {
  const seenErrors: string[] = []
  let open = true
  let marks = 0
  const byRole = async (role: Role, name: string | RegExp) => {
    const mark = String(++marks)
    const found = await session.execute(markByRole, role, ...asPattern(name), mark)
    if (!found) throw new Error(`no visible ${role} named ${String(name)}`)
    return session.$(`[data-e2e-mark="${mark}"]`)
  }
  const pageErrors = async () =>
    (await session.execute(() => (window as unknown as { __e2eErrors?: string[] }).__e2eErrors ?? [])) as string[]
  // Uncaught errors from here on (WebDriver classic has no hook that runs before the page's scripts).
  // As Playwright's pageerror: exceptions only, not the ErrorEvent without an error that reports a
  // ResizeObserver loop (WebKit dispatches it when the demo's chart redraws at a new width).
  const watchErrors = () =>
    session.execute(() => {
      const w = window as unknown as { __e2eErrors: string[] }
      w.__e2eErrors = []
      addEventListener('error', (e) => e.error != null && w.__e2eErrors.push(e.message))
      addEventListener('unhandledrejection', (e) => w.__e2eErrors.push(String(e.reason?.message ?? e.reason)))
    })
  const self: E2ePage = {
    async goto(url) {
      seenErrors.push(...(await pageErrors().catch(() => [])))
      await session.url(url)
      await watchErrors()
    },
    async waitFor(selector, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (!(await self.visible(selector))) {
        if (Date.now() > deadline) throw new Error(`${selector} did not become visible within ${timeoutMs} ms`)
        await sleep(100)
      }
    },
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text the page shows
    text: (selector) => session.execute((s) => (document.querySelector(s) as HTMLElement | null)?.innerText ?? '', selector),
    texts: (selector) => session.execute((s) => [...document.querySelectorAll(s)].map((el) => el.textContent ?? ''), selector),
    count: (selector) => session.execute((s) => document.querySelectorAll(s).length, selector),
    attribute: (selector, name) => session.execute((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, selector, name),
    visible: (selector) =>
      session.execute((s) => {
        const el = document.querySelector(s)
        return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
      }, selector),
    click: async (role, name) => (await byRole(role, name)).click(),
    enabled: async (role, name) => (await byRole(role, name)).isEnabled(),
    roleAttribute: async (role, name, attribute) => (await byRole(role, name)).getAttribute(attribute),
    evaluate: (fn, arg) => session.execute(fn as (...args: unknown[]) => unknown, arg) as never,
    async waitForFunction(fn, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (!(await session.execute(fn))) {
        if (Date.now() > deadline) throw new Error(`the page's condition did not hold within ${timeoutMs} ms`)
        await sleep(100)
      }
    },
    async reload() {
      seenErrors.push(...(await pageErrors().catch(() => [])))
      await session.refresh()
      await watchErrors()
    },
    setFile: (selector, file) =>
      // What a file chosen in the dialog gives the page: the input's FileList, then input and change.
      session.execute(
        (s, name, type, base64) => {
          const input = document.querySelector(s) as HTMLInputElement
          const transfer = new DataTransfer()
          transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }))
          input.files = transfer.files
          input.dispatchEvent(new Event('input', { bubbles: true }))
          input.dispatchEvent(new Event('change', { bubbles: true }))
        },
        selector,
        file.name,
        file.mimeType,
        file.buffer.toString('base64'),
      ),
    async setViewport(width, height) {
      // WebDriver sizes the window: size it again by what the window's frame takes. MiniBrowser's
      // window is never narrower than its toolbar (447 px of viewport here).
      await session.setWindowSize(width, height)
      const inner = await session.execute(() => [innerWidth, innerHeight])
      await session.setWindowSize(width + width - inner[0], height + height - inner[1])
      const [w, h] = await session.execute(() => [innerWidth, innerHeight])
      return { width: w, height: h }
    },
    screenshot: async (path, selector) =>
      void (await (selector ? (await session.$(selector)).saveScreenshot(path) : session.saveScreenshot(path))),
    errors: async () => [...seenErrors, ...(open ? await pageErrors().catch(() => []) : [])],
    async close() {
      seenErrors.push(...(await pageErrors().catch(() => [])))
      open = false
      await session.url('about:blank')
    },
  }
  return self
}

/** WebKitGTK with its driver and display; close() ends the session and stops both. */
export async function webkitBrowser(): Promise<E2eBrowser & { version: string }> {
  const driver = await startWebKitDriver()
  try {
    const session = await remote({
      hostname: '127.0.0.1',
      port: driver.port,
      path: '/',
      logLevel: 'silent',
      capabilities: structuredClone(webkitCapabilities) as WebdriverIO.Capabilities,
    })
    await session.setWindowSize(1280, 900)
    return {
      version: String(session.capabilities.browserVersion ?? 'unknown'),
      newPage: async () => page(session),
      async close() {
        await session.deleteSession().catch(() => {})
        driver.stop()
      },
    }
  } catch (error) {
    driver.stop()
    throw error
  }
}
