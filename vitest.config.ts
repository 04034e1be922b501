import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { playwright } from '@vitest/browser-playwright'
import { webkit } from './test/browser/webkit/provider.js'

// One run, several projects: Node unit/contract/integration tests, and real headless browsers
// (Debian's chromium and firefox-esr, driven by playwright 1.64.1 without any downloaded browser, and
// WebKitGTK, Safari's engine, driven through WebKitWebDriver on an Xvfb display: test/browser/webkit/).
const fakeAudio = process.env.FAKE_AUDIO_FILE
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  ...(fakeAudio ? [`--use-file-for-fake-audio-capture=${fakeAudio}`] : []),
]
const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.cubeb.force_mock_context': true,
}
// The browser project's static files: global-setup.ts writes msw's mockServiceWorker.js there (git-ignored).
const browserPublicDir = fileURLToPath(new URL('./test/browser/.public/', import.meta.url))
const browsers = (process.env.SYMBL_TEST_BROWSERS ?? 'chromium,firefox,webkit').split(',').filter(Boolean)
const instanceOf = (browser: string) => {
  if (browser === 'webkit') return { browser: 'webkit' as const, provider: webkit() }
  if (browser === 'firefox')
    return {
      browser: 'firefox' as const,
      provider: playwright({
        launchOptions: {
          channel: 'moz-firefox',
          executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
          firefoxUserPrefs: firefoxPrefs,
        },
      }),
    }
  if (browser === 'chromium')
    return {
      browser: 'chromium' as const,
      provider: playwright({
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
        contextOptions: { permissions: ['microphone'] },
      }),
    }
  throw new Error(`SYMBL_TEST_BROWSERS names an unknown browser "${browser}": use chromium, firefox and/or webkit`)
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts', 'test/emulator/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Served at the page's origin: mockServiceWorker.js for emulator-msw.test.ts.
        publicDir: browserPublicDir,
        // Pre-bundled up front: discovered mid-run, vite would reload the page under a running test.
        // vader-sentiment (CommonJS) and compromise are the emulator core's, msw/browser its msw front's.
        optimizeDeps: {
          include: [
            'eventemitter3',
            'ky',
            'vader-sentiment',
            'compromise',
            'msw',
            'msw/browser',
            'mpg123-decoder',
            '@wasm-audio-decoders/flac',
            '@wasm-audio-decoders/ogg-vorbis',
            'opus-decoder',
          ],
        },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          // A streaming server in Node that records what the browsers send (its URL is `inject`ed).
          globalSetup: ['test/browser/global-setup.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: browsers.map(instanceOf),
          },
        },
      },
    ],
  },
})
