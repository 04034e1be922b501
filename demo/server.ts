// The demo's own small server: it holds the app credentials and hands the page short-lived tokens
// through the SDK's token-endpoint helper, so no secret ever reaches the browser. It also tells the
// page which API it talks to (`/demo-config`) and serves the CDN bundle for `cdn.html`.
//
// This is what a real app's backend does for Symbl; the rest (captions, insights, charts) runs in
// the browser with the SDK's browser build.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { createTokenHandler, toNodeListener } from '../src/node.js'

export interface DemoConfig {
  /** REST base URL the page talks to (the emulator's, or Symbl's). */
  baseUrl: string
  /** 'emulator': the local emulator, which plays preloaded scripts instead of recognising speech. */
  mode: 'emulator' | 'symbl'
  /** Prefix of streaming connection ids that the emulator answers with the demo's live script. */
  liveIdPrefix: string
}

export interface DemoServerOptions {
  baseUrl: string
  appId: string
  appSecret: string
  mode: DemoConfig['mode']
  /** Absolute path of the CDN bundle (dist/cdn/symbl.iife.js). */
  cdnBundlePath: string
  port?: number
  host?: string
}

export interface RunningDemoServer {
  url: string
  port: number
  config: DemoConfig
  close(): Promise<void>
}

export const LIVE_ID_PREFIX = 'demo-live-'

/** What the emulator plays back on a demo Live connection (it has no speech recognizer). */
export const LIVE_SCRIPT = [
  { text: 'Thanks for joining the weekly product sync.', speaker: { name: 'Maya', userId: 'maya@example.com' }, start: 0.4, end: 2.6 },
  { text: 'Can you send me the release notes by Friday?', speaker: { name: 'Maya', userId: 'maya@example.com' }, start: 3.0, end: 5.2 },
  {
    text: 'Sure, I will send the release notes and schedule a meeting with the design team.',
    speaker: { name: 'Leo', userId: 'leo@example.com' },
    start: 5.6,
    end: 9.0,
  },
  {
    text: 'The pricing page is confusing and customers keep asking about the discount.',
    speaker: { name: 'Maya', userId: 'maya@example.com' },
    start: 9.4,
    end: 13.0,
  },
  {
    text: 'Great idea, let us follow up with the sales team next week.',
    speaker: { name: 'Leo', userId: 'leo@example.com' },
    start: 13.4,
    end: 16.4,
  },
]

/** The path of a request target, or undefined when it does not parse. */
function pathOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname
  } catch {
    return undefined
  }
}

export async function startDemoServer(options: DemoServerOptions): Promise<RunningDemoServer> {
  const config: DemoConfig = { baseUrl: options.baseUrl, mode: options.mode, liveIdPrefix: LIVE_ID_PREFIX }
  // The SDK's helper: gets and caches a token with the app credentials, answers { accessToken, expiresIn }.
  const tokenListener = toNodeListener(createTokenHandler({ appId: options.appId, appSecret: options.appSecret, baseUrl: options.baseUrl }))

  const server: Server = createServer((req, res) => {
    // A target that is no URL (`//x:99999999/`, `http://[::1`) made new URL throw in this listener,
    // which ended the demo (issue 11, item 1's class): it gets a 400 instead.
    const path = pathOf(req.url)
    if (path === undefined) {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: 'Bad request: the request target is not a valid URL' }))
      return
    }
    if (path === '/symbl-token') return tokenListener(req, res)
    if (path === '/demo-config') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify(config))
      return
    }
    if (path === '/symbl.iife.js') {
      readFile(options.cdnBundlePath).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' })
          res.end(body)
        },
        () => {
          res.writeHead(404, { 'content-type': 'text/plain' })
          res.end('The CDN bundle is missing: run `npm run build`')
        },
      )
      return
    }
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ message: `No demo route ${path}` }))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    config,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
