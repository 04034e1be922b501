// Progress of an upload (bytes, rate, ETA) and of the job waited for, as lines for `Output`.
// Updates are throttled (a 200 MB upload reports thousands of times) except the first and the last.
import type { JobStatus, UploadProgress } from '../node.js'
import type { Output } from './output.js'

const THROTTLE_MS = 200

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}

/** m:ss, or h:mm:ss from an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const mm = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`
}

function bar(fraction: number, width: number): string {
  const full = Math.round(Math.max(0, Math.min(1, fraction)) * width)
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`
}

/** Returns the `onUploadProgress` callback that draws `Uploading name  45% ███░░ 90.0 MB / 200.0 MB  12.3 MB/s  ETA 0:09`. */
export function uploadProgress(out: Output, name: string, now: () => number = Date.now): (p: UploadProgress) => void {
  const started = now()
  let last = 0
  return (p) => {
    const t = now()
    const done = p.totalBytes !== undefined && p.sentBytes >= p.totalBytes
    if (!done && p.sentBytes > 0 && t - last < THROTTLE_MS) return
    last = t
    const seconds = (t - started) / 1000
    const rate = seconds > 0 ? p.sentBytes / seconds : 0
    const parts = [`Uploading ${name}`]
    if (p.fraction !== undefined && p.totalBytes !== undefined) {
      parts.push(`${String(Math.floor(p.fraction * 100)).padStart(3)}% ${bar(p.fraction, 20)}`)
      parts.push(`${formatBytes(p.sentBytes)} / ${formatBytes(p.totalBytes)}`)
    } else parts.push(formatBytes(p.sentBytes))
    if (rate > 0) parts.push(`${formatBytes(rate)}/s`)
    if (rate > 0 && p.totalBytes !== undefined && !done) parts.push(`ETA ${formatDuration((p.totalBytes - p.sentBytes) / rate)}`)
    out.showProgress(parts.join('  '))
  }
}

/** Returns the `onStatus` callback that draws `Processing: in_progress (0:12)`, and a stop function for its clock. */
export function jobProgress(out: Output, now: () => number = Date.now): { onStatus: (status: JobStatus) => void; stop: () => void } {
  const started = now()
  let status: JobStatus | undefined
  const draw = () => status && out.showProgress(`Processing: ${status} (${formatDuration((now() - started) / 1000)})`)
  // A terminal line shows the time going by between status calls; a log gets one line per status.
  const timer = out.progress && out.live ? setInterval(draw, 1000) : undefined
  timer?.unref()
  return {
    onStatus(next) {
      status = next
      draw()
    },
    stop() {
      if (timer) clearInterval(timer)
      out.clearProgress()
    },
  }
}
