// vitest's WebdriverIO provider, pointed at WebKitGTK: the instance is named `webkit`, the session asks
// WebKitWebDriver for its MiniBrowser (the stock provider only knows chrome/firefox/edge/safari and would
// send browserName 'safari', which WebKitWebDriver refuses), and the first page opened starts Xvfb and
// WebKitWebDriver (./driver.ts), which close() stops again.
import { WebdriverBrowserProvider, type WebdriverProviderOptions, webdriverio } from '@vitest/browser-webdriverio'
import type { BrowserProvider, BrowserProviderOption } from 'vitest/node'
import { type RunningWebKitDriver, startWebKitDriver, webkitCapabilities } from './driver.js'

class WebKitProvider extends WebdriverBrowserProvider {
  private driver: RunningWebKitDriver | undefined
  private readonly driverOptions: WebdriverProviderOptions

  constructor(...args: ConstructorParameters<typeof WebdriverBrowserProvider>) {
    super(...args)
    this.driverOptions = args[1]
    // The parent's buildCapabilities is private and knows no WebKit; openBrowser calls it through `this`.
    Object.defineProperty(this, 'buildCapabilities', {
      value: () => structuredClone(webkitCapabilities),
    })
  }

  override async openBrowser() {
    const opening = !this.browser
    if (opening && !this.driver) {
      this.driver = await startWebKitDriver()
      // The parent spreads these options into webdriverio's remote() when it opens the session.
      Object.assign(this.driverOptions, { hostname: '127.0.0.1', port: this.driver.port, path: '/' })
    }
    const browser = await super.openBrowser()
    // The version the run saw, for the README's browsers table (the session's capabilities say it).
    if (opening) console.log(`WebKit: WebKitGTK ${browser.capabilities.browserVersion ?? '(version not reported)'} (MiniBrowser)`)
    return browser
  }

  override async close() {
    try {
      await super.close()
    } finally {
      this.driver?.stop()
      this.driver = undefined
    }
  }
}

export function webkit(): BrowserProviderOption<WebdriverProviderOptions> {
  const options: WebdriverProviderOptions = {}
  return {
    ...webdriverio(options),
    supportedBrowser: ['webkit'],
    // The cast: vitest/node's CDPSession is augmented by both the playwright and the webdriverio provider
    // packages, and the two augmentations disagree on `on()`'s return type (no CDP in WebKit anyway).
    providerFactory: (project) => new WebKitProvider(project, options) as unknown as BrowserProvider,
  }
}
