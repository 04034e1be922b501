// One page API for the end-to-end tests of web pages, so each flow is written once and runs in every
// engine: Chromium through playwright-core, WebKitGTK through WebKitWebDriver (./webkit-page.ts;
// playwright's WebKit is its own patched build, which it would have to download). Only what the
// tests use: CSS selectors, buttons and tabs found by their accessible name, clicks that are real
// user gestures (WebKit starts audio only from one), the page's text, screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core'

export type Role = 'button' | 'tab'

export interface E2ePage {
  goto(url: string): Promise<void>
  /** Waits until an element matching `selector` is visible. */
  waitFor(selector: string, timeoutMs?: number): Promise<void>
  /** innerText of the first match ('' when there is none). */
  text(selector: string): Promise<string>
  /** textContent of every match. */
  texts(selector: string): Promise<string[]>
  count(selector: string): Promise<number>
  attribute(selector: string, name: string): Promise<string | null>
  visible(selector: string): Promise<boolean>
  click(role: Role, name: string | RegExp): Promise<void>
  enabled(role: Role, name: string | RegExp): Promise<boolean>
  roleAttribute(role: Role, name: string | RegExp, attribute: string): Promise<string | null>
  /** Runs `fn` in the page (no closure: it is sent as source), with `arg` (JSON) as its argument. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>
  /** Polls `fn` in the page until it returns true. */
  waitForFunction(fn: () => boolean, timeoutMs?: number): Promise<void>
  reload(): Promise<void>
  /** Chooses a file for an `<input type=file>`, as the user would. */
  setFile(selector: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void>
  /** Sizes the viewport; resolves with the size reached (a window may have a minimum width). */
  setViewport(width: number, height: number): Promise<{ width: number; height: number }>
  /** The page, or one element of it, as a PNG. */
  screenshot(path: string, selector?: string): Promise<void>
  /** Uncaught errors of the page so far. */
  errors(): Promise<string[]>
  close(): Promise<void>
}

export interface E2eBrowser {
  newPage(): Promise<E2ePage>
  close(): Promise<void>
}

/** Playwright's name matching (getByRole): a string matches as a case-insensitive substring. */
const byName = (page: Page, role: Role, name: string | RegExp) => page.getByRole(role, { name })

export function playwrightBrowser(browser: Browser, context: BrowserContext): E2eBrowser {
  return {
    async newPage() {
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      return {
        goto: async (url) => void (await page.goto(url)),
        waitFor: async (selector, timeout) => void (await page.waitForSelector(selector, { timeout })),
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text the page shows
        text: async (selector) => ((await page.locator(selector).count()) ? page.locator(selector).first().innerText() : ''),
        texts: (selector) => page.locator(selector).allTextContents(),
        count: (selector) => page.locator(selector).count(),
        attribute: (selector, name) => page.locator(selector).first().getAttribute(name),
        visible: (selector) => page.locator(selector).first().isVisible(),
        click: (role, name) => byName(page, role, name).click(),
        enabled: (role, name) => byName(page, role, name).isEnabled(),
        roleAttribute: (role, name, attribute) => byName(page, role, name).getAttribute(attribute),
        evaluate: (fn, arg) => page.evaluate(fn, arg as never),
        waitForFunction: async (fn, timeout) => void (await page.waitForFunction(fn, undefined, { timeout })),
        reload: async () => void (await page.reload()),
        setFile: (selector, file) => page.setInputFiles(selector, file),
        setViewport: async (width, height) => (await page.setViewportSize({ width, height }), { width, height }),
        screenshot: async (path, selector) =>
          void (await (selector ? page.locator(selector).screenshot({ path }) : page.screenshot({ path, fullPage: true }))),
        errors: async () => errors,
        close: () => page.close(),
      }
    },
    close: () => browser.close(),
  }
}
