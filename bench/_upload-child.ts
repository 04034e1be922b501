// One upload in its own process, so its peak RSS is measured alone. Prints one JSON line.
// Modes: sdk (a path), sdk-blob (fs.openAsBlob), sdk-readstream (fs.createReadStream), bare (fetch).
const [mode, base, path] = process.argv.slice(2)

const start = performance.now()
const before = process.memoryUsage.rss()
let progressCalls = 0
if (mode === 'bare') {
  const { openAsBlob } = await import('node:fs')
  const response = await fetch(`${base}/v1/process/audio`, {
    method: 'POST',
    headers: { 'content-type': 'audio/wav', authorization: 'Bearer t' },
    body: await openAsBlob(path),
    redirect: 'error',
    duplex: 'half',
  } as RequestInit)
  await response.text()
} else {
  const { Symbl } = await import('../src/node.js')
  const symbl = new Symbl({ baseUrl: base, accessToken: 't', timeout: false })
  const fs = await import('node:fs')
  const file =
    mode === 'sdk-blob' ? await fs.openAsBlob(path, { type: 'audio/wav' }) : mode === 'sdk-readstream' ? fs.createReadStream(path) : path
  await symbl.audio.processFile(file, { wait: false, contentType: 'audio/wav', onUploadProgress: () => progressCalls++ })
}
const seconds = (performance.now() - start) / 1000
console.log(JSON.stringify({ mode, seconds, maxRss: await peakRss(), before, progressCalls, mem: process.memoryUsage() }))

/**
 * VmHWM: this process's own RSS high-water mark. Not `resourceUsage().maxRSS`: Linux carries that
 * over from the parent across fork+exec, so it would report the (larger) bench parent.
 */
async function peakRss(): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '')
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return kb ? Number(kb) * 1024 : process.resourceUsage().maxRSS * 1024
}
