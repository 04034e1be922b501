// Peak RSS and throughput of uploading a large file (sparse, made on the fly) to a local HTTP
// server: the SDK's `audio.processFile(path)` against a bare streaming `fetch` of the same file.
// Each upload runs in its own child process (bundled first, so no TypeScript loader inflates RSS);
// the server runs here. Flags: --size 512M|1G|… (default 1 GiB), --rounds N (default 2),
// --variants (also Blob and fs.ReadStream inputs).
import { spawn } from 'node:child_process'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'vite'

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const size = parseSize(flag('size') ?? '1G')
const rounds = Number(flag('rounds') ?? 2)
const modes = ['bare', 'sdk', ...(args.includes('--variants') ? ['sdk-blob', 'sdk-readstream'] : [])]

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)i?B?$/i.exec(text)
  if (!m) throw new Error(`--size ${text}: use e.g. 512M or 1G`)
  return Math.round(Number(m[1]) * 1024 ** ' KMG'.indexOf(m[2].toUpperCase() || ' '))
}

const dir = await mkdtemp(join(tmpdir(), 'symbl-bench-'))
try {
  const file = join(dir, 'big.wav')
  const handle = await open(file, 'w')
  await handle.truncate(size) // sparse: no disk space, reads return zeros
  await handle.close()

  await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    ssr: { noExternal: true },
    build: {
      ssr: 'bench/_upload-child.ts',
      outDir: join(dir, 'child'),
      write: true,
      minify: false,
      target: 'node20',
      rolldownOptions: { output: { entryFileNames: 'child.mjs' } },
    },
  })
  const child = join(dir, 'child', 'child.mjs')

  let received = 0
  const server = createServer((req, res) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => (bytes += chunk.length))
    req.on('end', () => {
      received = bytes
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ conversationId: '5815170693595136', jobId: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`

  const results = new Map<string, { best: number; rss: number }>()
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      received = 0
      // Async spawn: the server in this process must keep answering while the child runs.
      const out = await run(child, [mode, base, file])
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number; maxRss: number }
      if (process.env.BENCH_DEBUG) console.log(out.trim())
      if (received !== size) throw new Error(`${mode}: the server received ${received} of ${size} bytes`)
      const prev = results.get(mode)
      const speed = size / result.seconds
      results.set(mode, { best: Math.max(prev?.best ?? 0, speed), rss: Math.max(prev?.rss ?? 0, result.maxRss) })
    }
  }
  server.close()

  const mb = (n: number) => `${Math.round(n / 1e6)} MB`
  const fmt = (mode: string) => `${mb(results.get(mode)!.best)}/s peak RSS ${mb(results.get(mode)!.rss)}`
  const label = size >= 1024 ** 3 ? `${+(size / 1024 ** 3).toFixed(2)} GiB` : `${+(size / 1024 ** 2).toFixed(1)} MiB`
  const ratio = results.get('sdk')!.best / results.get('bare')!.best
  console.log(`upload ${label}: sdk ${fmt('sdk')} | bare fetch ${fmt('bare')} | ratio ${ratio.toFixed(2)}`)
  for (const mode of modes.slice(2)) console.log(`  ${mode}: ${fmt(mode)}`)
  const sdkRss = results.get('sdk')!.rss
  console.log(
    `targets: peak RSS < 100 MB ${sdkRss < 100e6 ? 'met' : 'MISSED'}; throughput >= 0.9x bare fetch ${ratio >= 0.9 ? 'met' : 'MISSED'}`,
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}

function run(script: string, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d: Buffer) => (out += d))
    p.on('error', reject)
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv[0]} child exited with ${code}`))))
  })
}
