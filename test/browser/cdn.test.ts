import { describe, expect, it } from 'vitest'
// The real CDN file, built by `npm run build` (npm test builds first).
import cdnUrl from '../../dist/cdn/symbl.iife.js?url'

declare global {
  interface Window {
    Symbl: any
  }
}

async function loadScript(src: string): Promise<void> {
  const script = document.createElement('script')
  script.src = src
  const loaded = new Promise<void>((resolve, reject) => {
    script.onload = () => resolve()
    script.onerror = () => reject(new Error(`could not load ${src}`))
  })
  document.head.append(script)
  await loaded
}

describe('the CDN <script> bundle', () => {
  it('defines the global Symbl as the client class, with every export on it', async () => {
    await loadScript(cdnUrl)
    const { Symbl } = window
    expect(typeof Symbl).toBe('function')
    expect(Symbl.platform).toBe('browser')
    expect(Symbl.Symbl).toBe(Symbl)
    const symbl = new Symbl({ tokenProvider: () => 'token', baseUrl: 'https://api.symbl.test' })
    expect(symbl.wsBaseUrl).toBe('wss://api.symbl.test')
    expect(symbl.conversations).toBeDefined()
    expect(symbl.streaming).toBeDefined()
    let error: unknown
    try {
      new Symbl({ appId: 'a', appSecret: 'b' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(Symbl.ConfigError)
    // The minified bundle renames classes; errors must still carry their real names.
    expect((error as Error).name).toBe('ConfigError')
    expect(new Symbl.ValidationError('x').name).toBe('ValidationError')
    expect(error).toBeInstanceOf(Symbl.SymblError)
    expect(String((error as Error).message)).toMatch(/tokenProvider/)
  })
})
