// WebKitGTK (the engine Safari is built on) needs an X display and its WebDriver server: this starts
// both on free numbers for one test run, and stops them. `Xvfb -displayfd` picks a free display
// itself and writes its number to the given fd (so parallel runs on one machine never collide);
// WebKitWebDriver gets a port that was just free on loopback.
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where Debian's webkit2gtk-driver puts the browser WebKitWebDriver launches (WEBKIT_MINIBROWSER_PATH overrides). */
export const miniBrowserPath = process.env.WEBKIT_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'
export const webkitInstall = 'apt-get install -y webkit2gtk-driver xvfb'
/** Where the driver's and MiniBrowser's output goes (appended per run; test-results/ is git-ignored). */
export const logPath = fileURLToPath(new URL('../../../test-results/webkit.log', import.meta.url))

/**
 * The WebDriver session's capabilities: WebKitWebDriver launches this MiniBrowser. Classic WebDriver
 * only: WebKitWebDriver 2.50 refuses a session that asks for BiDi (`webSocketUrl`, which webdriverio 9
 * asks for unless told not to) with "Failed to match capabilities".
 */
export const webkitCapabilities = {
  browserName: 'MiniBrowser',
  'wdio:enforceWebDriverClassic': true,
  'webkitgtk:browserOptions': {
    binary: miniBrowserPath,
    args: [
      // Lets WebKitWebDriver drive it.
      '--automation',
      // getUserMedia with WebKit's mock microphone ("Mock audio device 1", 44.1 kHz), granted without a prompt.
      '--enable-media-stream=true',
      '--enable-mock-capture-devices=true',
      '--enable-webaudio=true',
    ],
  },
} as const

/** Whether this machine has what WebKit runs with (MiniBrowser, WebKitWebDriver, Xvfb on PATH). */
export function hasWebKit(): boolean {
  const onPath = (cmd: string) => (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(`${dir}/${cmd}`))
  return existsSync(miniBrowserPath) && onPath('WebKitWebDriver') && onPath('Xvfb')
}

export interface RunningWebKitDriver {
  port: number
  display: string
  stop(): void
}

const startupMs = 20_000

export async function startWebKitDriver(): Promise<RunningWebKitDriver> {
  if (!existsSync(miniBrowserPath)) throw new Error(`WebKit's MiniBrowser is not at ${miniBrowserPath}; install: ${webkitInstall}`)
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  const children: ChildProcess[] = [xvfb]
  const stop = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    process.off('exit', stop)
  }
  // A run that ends without closing the provider (Ctrl-C, a crash) must not leave an X server behind.
  process.on('exit', stop)
  try {
    const display = `:${await readDisplay(xvfb)}`
    const port = await freePort()
    const driver = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DISPLAY: display },
    })
    children.push(driver)
    // What the driver and the browser it launches print (crashes, GStreamer warnings), for a failed run.
    mkdirSync(dirname(logPath), { recursive: true })
    const log = createWriteStream(logPath, { flags: 'a' })
    log.write(`--- ${new Date().toISOString()} WebKitWebDriver on port ${port}, DISPLAY ${display}\n`)
    driver.stderr!.pipe(log)
    await waitForDriver(driver, port)
    return { port, display, stop }
  } catch (error) {
    stop()
    throw error
  }
}

function readDisplay(xvfb: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display within ${startupMs} ms: ${err.trim()}`)), startupMs)
    xvfb.stderr!.on('data', (chunk: Buffer) => (err += chunk))
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk
      const number = out.match(/^(\d+)\n/)?.[1]
      if (number) clearTimeout(timer), resolve(number)
    })
    xvfb.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(error.code === 'ENOENT' ? new Error(`Xvfb is not installed; install: ${webkitInstall}`) : error)
    })
    xvfb.once('exit', (code) => (clearTimeout(timer), reject(new Error(`Xvfb exited (${code}): ${err.trim()}`))))
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitForDriver(driver: ChildProcess, port: number): Promise<void> {
  let err = ''
  let failure: Error | undefined
  driver.stderr!.on('data', (chunk: Buffer) => (err += chunk))
  driver.once('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'ENOENT' ? new Error(`WebKitWebDriver is not installed; install: ${webkitInstall}`) : error
  })
  driver.once('exit', (code) => (failure ??= new Error(`WebKitWebDriver exited (${code}): ${err.trim()}`)))
  const deadline = Date.now() + startupMs
  while (Date.now() < deadline) {
    if (failure) throw failure
    const ready = await fetch(`http://127.0.0.1:${port}/status`)
      .then((r) => r.ok)
      .catch(() => false)
    if (ready) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port} within ${startupMs} ms: ${err.trim()}`)
}
