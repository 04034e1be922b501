// End to end: `npm run demo` (spawned as it runs, on free ports) driven in Debian's headless
// Chromium through playwright-core, with a fake microphone that plays a generated speech WAV.
// Screenshots go to test-results/demo/ (not committed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ROOT = resolve(import.meta.dirname, '../..')
const OUT = join(ROOT, 'test-results/demo')
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) console.warn(`demo e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`)

// biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator; innerText is what the page shows
const text = (locator: Locator) => locator.innerText()

/** A 44.1 kHz mono WAV for the fake microphone: espeak-ng + sox when present, else synthetic "syllables". */
function makeMicWav(path: string): void {
  const raw = join(OUT, 'mic-raw.wav')
  const spoke = spawnSync('espeak-ng', [
    '-v',
    'en-us',
    '-s',
    '160',
    '-w',
    raw,
    'Thanks for joining the weekly product sync. Can you send me the release notes by Friday?',
  ])
  if (spoke.status === 0 && spawnSync('sox', [raw, '-r', '44100', '-c', '1', '-b', '16', path, 'pad', '0.3', '0.6']).status === 0) return
  const rate = 44100
  const seconds = 6
  const samples = new Int16Array(rate * seconds)
  for (let i = 0; i < samples.length; i++) {
    const t = i / rate
    const envelope = Math.max(0, Math.sin(Math.PI * 3 * t)) ** 2 // ~3 bursts a second
    samples[i] = Math.round((12000 * envelope * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 720 * t))) / 1.5)
  }
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + samples.byteLength, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36)
  header.writeUInt32LE(samples.byteLength, 40)
  writeFileSync(path, Buffer.concat([header, Buffer.from(samples.buffer)]))
}

/** Spawns the demo as `npm run demo` does, on free ports; resolves with the page URL it prints. */
function startDemo(api?: { baseUrl: string }): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env = { ...process.env }
  delete env.SYMBL_APP_ID
  delete env.SYMBL_APP_SECRET
  // With `api`: the demo's "real API" mode, pointed at an API (an emulator) that a test can stop.
  if (api) Object.assign(env, { SYMBL_APP_ID: 'e2e-app-id', SYMBL_APP_SECRET: 'e2e-app-secret', SYMBL_BASE_URL: api.baseUrl })
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts', '--port', '0', '--emulator-port', '0', '--no-watch'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no URL within 30 s:\n${out}`)), 30_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = /^Demo: (http:\/\/\S+)$/m.exec(out)
      if (match) {
        clearTimeout(timer)
        resolvePromise({ child, url: match[1], output: () => out })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the demo exited (${code}) before printing its URL:\n${out}`))
    })
  })
}

describe.skipIf(!hasChromium)('the demo web app in headless Chromium', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>
  let browser: Browser
  let context: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true })
    const wav = join(OUT, 'mic-44k1.wav')
    makeMicWav(wav)
    demo = await startDemo()
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}`,
      ],
    })
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['microphone'] })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (demo?.child.exitCode === null) {
      const exited = new Promise((r) => demo.child.once('exit', r))
      demo.child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      expect(demo.child.exitCode, 'the demo closes everything and exits on SIGTERM').toBe(0)
    }
  })

  async function open(path: string): Promise<Page> {
    const page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`))
    await page.goto(new URL(path, demo.url).href)
    return page
  }

  it('processes the sample text conversation and shows the transcript, insights and the sentiment chart', async () => {
    const page = await open('/')
    await page.waitForSelector('body[data-ready="true"]')
    await expect.poll(() => text(page.locator('#mode'))).toContain('Local emulator')
    await page.getByRole('tab', { name: 'Recorded' }).click()
    await page.getByRole('button', { name: 'Load the sample conversation' }).click()
    await page.getByRole('button', { name: 'Process text' }).click()
    await page.waitForSelector('#job-status[data-status="done"]', { timeout: 20_000 })

    const transcript = page.locator('#transcript li')
    expect(await transcript.count()).toBe(7)
    await expect.poll(() => text(transcript.first())).toContain('Surbhi')
    await expect.poll(() => text(page.locator('#questions'))).toContain('Can I know what issues')
    expect(await page.locator('#action-items li:not(.empty)').count()).toBeGreaterThan(0)
    expect(await page.locator('#topics li:not(.empty)').count()).toBeGreaterThan(0)
    await expect.poll(() => text(page.locator('#trackers'))).toContain('Pricing')
    await expect.poll(() => text(page.locator('#analytics'))).toContain('Anthony')
    expect(await page.locator('#summary p:not(.empty)').count()).toBeGreaterThan(0)
    // The chart: one line per speaker, labelled axes, a legend.
    const chart = page.locator('#chart svg.chart')
    expect(await chart.isVisible()).toBe(true)
    expect(await chart.locator('g[data-speaker] > path').count()).toBe(2)
    await expect.poll(() => text(page.locator('#chart .legend'))).toContain('Surbhi')
    await expect.poll(() => text(page.locator('#chart .legend'))).toContain('Anthony')
    expect(await chart.locator('text.axis-label').allTextContents()).toEqual(['Time into the conversation (min:s)', 'Polarity'])
    await page.screenshot({ path: join(OUT, 'recorded-text.png'), fullPage: true })
    await page.locator('#chart').screenshot({ path: join(OUT, 'sentiment-chart.png') })

    // Narrow screen: the same results reflow.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(OUT, 'recorded-mobile.png'), fullPage: true })
    await page.locator('#chart').screenshot({ path: join(OUT, 'sentiment-chart-mobile.png') })
    // 375 px (the narrowest common phone): nothing scrolls sideways, and the chart is drawn at its
    // box's width, so its tick labels keep their 12 px size instead of being scaled down or cut off.
    await page.setViewportSize({ width: 375, height: 812 })
    await expect
      .poll(() =>
        page.evaluate(() => {
          const box = document.querySelector<HTMLElement>('#chart')!
          const tick = box.querySelector('svg.chart text.tick')!.getBoundingClientRect().height
          const label = [...box.querySelectorAll('svg.chart text.axis-label')].map((t) => t.getBoundingClientRect())
          const svgBox = box.querySelector('svg.chart')!.getBoundingClientRect()
          return {
            pageFits: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
            chartFits: box.scrollWidth <= box.clientWidth + 1,
            tickPx: tick >= 11,
            labelsInside: label.every((r) => r.left >= svgBox.left - 1 && r.right <= svgBox.right + 1),
          }
        }),
      )
      .toEqual({ pageFits: true, chartFits: true, tickPx: true, labelsInside: true })
    await page.locator('#chart').screenshot({ path: join(OUT, 'sentiment-chart-375.png') })
    await page.setViewportSize({ width: 1280, height: 900 })

    // A file that is not audio: a plain-words error, no request.
    await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not audio') })
    await page.getByRole('button', { name: 'Process file' }).click()
    await expect.poll(() => text(page.locator('#error'))).toContain('is not an audio or video file')
    await page.screenshot({ path: join(OUT, 'recorded-bad-file.png') })

    // A ".wav" that is not audio goes to the API, which refuses it: its words, not a request URL.
    await page.setInputFiles('#file', { name: 'broken.wav', mimeType: 'audio/wav', buffer: Buffer.from('this is not really audio at all') })
    await page.getByRole('button', { name: 'Process file' }).click()
    await expect.poll(() => text(page.locator('#job-status'))).toBe('failed')
    const refused = await text(page.locator('#error'))
    expect(refused).toContain('Unsupported or unrecognised media format')
    expect(refused).not.toMatch(/https?:\/\/|\/v1\/|trackers=/)
    await page.screenshot({ path: join(OUT, 'recorded-broken-wav.png') })
    await page.close()
  }, 45_000)

  it('the API going down mid-session: Stop gives up at once, and every message says what happened in plain words', async () => {
    const api = await startEmulator({ port: 0, host: '127.0.0.1', jobDelayMs: 50 })
    let apiOpen = true
    const second = await startDemo({ baseUrl: api.url })
    const page = await context.newPage()
    try {
      await page.goto(second.url)
      await page.waitForSelector('body[data-ready="true"]')
      await page.getByRole('button', { name: 'Start' }).click()
      await page.waitForSelector('#connection-state[data-state="open"]', { timeout: 15_000 })
      await api.close()
      apiOpen = false
      await page.waitForSelector('#connection-state[data-state="reconnecting"]', { timeout: 10_000 })
      const t0 = Date.now()
      await page.getByRole('button', { name: 'Stop' }).click()
      await expect.poll(() => page.getByRole('button', { name: 'Start' }).isEnabled(), { timeout: 5000 }).toBe(true)
      expect(Date.now() - t0).toBeLessThan(5000)
      expect(await page.locator('#connection-state').getAttribute('data-state')).toBe('closed')
      await expect.poll(() => text(page.locator('#error'))).toContain('connection to the API (or the local emulator) was lost')
      await page.screenshot({ path: join(OUT, 'live-api-down.png'), fullPage: true })

      // The Recorded screen with the API still down: "cannot be reached", not "refused the token".
      await page.getByRole('tab', { name: 'Recorded' }).click()
      await page.getByRole('button', { name: 'Load the sample conversation' }).click()
      await page.getByRole('button', { name: 'Process text' }).click()
      await expect.poll(() => text(page.locator('#job-status')), { timeout: 15_000 }).toBe('failed')
      const message = await text(page.locator('#error'))
      expect(message).toMatch(/could not (be )?reach/)
      expect(message).not.toMatch(/refused the token|SYMBL_APP_ID/)
      await page.screenshot({ path: join(OUT, 'recorded-api-down.png'), fullPage: true })
    } finally {
      await page.close()
      if (apiOpen) await api.close()
      const exited = new Promise((r) => second.child.once('exit', r))
      second.child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
    }
  }, 60_000)

  it('streams the fake microphone to the emulator, shows captions and insights, and stops cleanly', async () => {
    const page = await open('/')
    await page.waitForSelector('body[data-ready="true"]')
    await expect.poll(() => text(page.locator('#live-note'))).toContain('Emulator playback')
    await page.getByRole('button', { name: 'Start' }).click()
    await page.waitForSelector('#connection-state[data-state="open"]', { timeout: 15_000 })
    // The emulator plays its script as our audio arrives: captions, then the final sentences.
    await expect.poll(() => text(page.locator('#live-transcript')), { timeout: 15_000 }).toContain('Thanks for joining')
    await expect.poll(() => text(page.locator('#live-transcript')), { timeout: 15_000 }).toContain('release notes')
    expect((await text(page.locator('#caption'))).trim()).not.toBe('')
    // The capture badge, and the time from the click to the first audio sent and the first caption (connection.stats()).
    await expect.poll(() => page.locator('#capture-state').getAttribute('data-capture')).toBe('live')
    expect(await text(page.locator('#capture-state'))).toBe('Live')
    await expect.poll(() => text(page.locator('#live-timing'))).toMatch(/first audio sent: \d+ ms · → first caption: \d+ ms/)
    await expect.poll(() => text(page.locator('#live-insights')), { timeout: 10_000 }).toContain('Can you send me the release notes')
    const level = Number(await page.locator('#level').getAttribute('aria-valuenow'))
    const peak = await page.evaluate(async () => {
      let max = 0
      for (let i = 0; i < 20; i++) {
        max = Math.max(max, Number(document.querySelector('#level')!.getAttribute('aria-valuenow')))
        await new Promise((r) => setTimeout(r, 50))
      }
      return max
    })
    expect(Math.max(level, peak), 'the level meter moves').toBeGreaterThan(0)
    await page.screenshot({ path: join(OUT, 'live-streaming.png'), fullPage: true })
    await page.getByRole('button', { name: 'Mute' }).click()
    expect(await page.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).toBe('true')

    await page.getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => text(page.locator('#live-result')), { timeout: 20_000 }).toMatch(/Conversation \S+ is saved/)
    await expect.poll(() => page.locator('#connection-state').getAttribute('data-state')).toBe('closed')
    expect(await page.locator('#error').isHidden()).toBe(true)
    expect(await page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true)
    expect(await page.locator('#capture-state').getAttribute('data-capture')).toBe('idle')
    await page.screenshot({ path: join(OUT, 'live-stopped.png'), fullPage: true })
    console.log(`demo e2e: microphone capture via ${await page.evaluate(() => document.body.dataset.micSource)}`)
    await page.close()
  }, 60_000)

  it('cdn.html works with only the <script> bundle and the global Symbl', async () => {
    const page = await open('/cdn.html')
    await page.waitForSelector('body[data-ready="true"]')
    expect(await page.evaluate(() => typeof (window as unknown as { Symbl: { speakerSentiment: unknown } }).Symbl.speakerSentiment)).toBe(
      'function',
    )
    // No module script of its own (vite's dev client is the only one).
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll('script[type="module"]')].map((s) => s.getAttribute('src')).filter((src) => src !== '/@vite/client'),
      ),
    ).toEqual([])
    await page.getByRole('button', { name: /Analyse/ }).click()
    await page.waitForSelector('body[data-done="true"], #error:not([hidden])', { timeout: 15_000 })
    expect(await page.locator('#error').isHidden(), (await page.locator('#error').textContent()) ?? '').toBe(true)
    await expect.poll(() => text(page.locator('#out'))).toContain('Question: What time works for the design review?')
    await expect.poll(() => text(page.locator('#out'))).toContain('Action item:')
    await expect.poll(() => text(page.locator('#series'))).toContain('"speaker": "Ana"')
    await page.screenshot({ path: join(OUT, 'cdn.png'), fullPage: true })
    await page.close()
    expect(pageErrors).toEqual([])
  }, 30_000)
})
