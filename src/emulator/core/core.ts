// The one core of behaviour: state, jobs, tokens, faults, analysis, sockets. Fronts (node:http+ws
// server, msw handlers) only translate their transport to `handle()` and `openSocket()`.
// No node: imports here, so the msw front can also run it in a browser.

import { Faults, MAX_DELAY_MS } from './faults.js'
import { handleRequest, type CoreRequest, type CoreResponse } from './http.js'
import { Jobs } from './jobs.js'
import { LiveStreams } from './live-registry.js'
import { fetchLoopback, isLoopback } from './loopback.js'
import { ListKeys } from './pages.js'
import { Preloads, type PreloadKey } from './preload.js'
import { openSocket, type SocketOpenRequest, type SocketOpenResult } from './socket-routes.js'
import { Hub } from './sockets.js'
import { Store } from './store.js'
import { Telephony } from './telephony.js'
import { Timers } from './time.js'
import { TokenIssuer } from './tokens.js'
import type { Job, PreloadedMessage, TrackerSpec } from './types.js'

export interface EmulatorCoreOptions {
  /** ms spent in each of `scheduled` and `in_progress`, 0 to 2^31 - 1 (default 200). */
  jobDelayMs?: number
  /** Unfinished jobs allowed at once; beyond: 429 (default 10000). */
  maxConcurrentJobs?: number
  /** Conversations kept in memory; oldest evicted (default 1000). */
  maxConversations?: number
  /** Live streaming connections at once; beyond: handshake refused with 429 (default 1000). */
  maxStreamingConnections?: number
  /** JSON body limit in bytes (default 5 MiB); beyond: 413. */
  maxJsonBytes?: number
  /** Upload limit in bytes for audio/video files (default 1 GiB); beyond: 413. */
  maxUploadBytes?: number
  /** Token lifetime in seconds, above 0 and at most 2^31 - 1 (default 86400). */
  tokenLifetimeSeconds?: number
  /** Live tokens kept (default 10000); beyond, the oldest is forgotten (401 until the app asks again). */
  maxTokens?: number
  /** Only accept this app pair at token:generate (default: any pair). */
  credentials?: { appId: string; appSecret: string }
  /** Accept any non-empty token (default false: only tokens this emulator issued). */
  acceptAnyToken?: boolean
  /** POST job status changes to loopback `webhookUrl`s (default true). */
  webhooks?: boolean
  /**
   * The account's trackers (normally managed with the Management API), used when a job or a
   * streaming start_request sets `enableAllTrackers`. Default none.
   */
  accountTrackers?: TrackerSpec[]
}

export class EmulatorCore {
  readonly store: Store
  readonly faults = new Faults()
  /** Every timer of this core; dispose() cancels them all. */
  readonly timers = new Timers()
  readonly tokens: TokenIssuer
  readonly jobs: Jobs
  readonly preloads = new Preloads()
  /** Keys of the insights list pages, per token scope (pages.ts). */
  readonly listKeys = new ListKeys()
  readonly hub = new Hub()
  readonly liveStreams: LiveStreams
  readonly telephony: Telephony
  readonly maxJsonBytes: number
  readonly maxUploadBytes: number
  readonly maxStreamingConnections: number
  /** Base URLs used in answers (eventUrl, resultWebSocketUrl, summaryUrl); set by the front. */
  publicHttpUrl = 'http://127.0.0.1'
  publicWsUrl = 'ws://127.0.0.1'
  openSockets = 0
  /** The account's trackers for `enableAllTrackers` (from the option; may be replaced by tests). */
  accountTrackers: TrackerSpec[]
  private readonly webhookChains = new Map<string, Promise<void>>()
  /** Aborted by dispose(): webhook POSTs and media fetches in flight. */
  private inflight = new AbortController()

  constructor(readonly options: EmulatorCoreOptions = {}) {
    checkDurations(options)
    this.store = new Store({ maxConversations: options.maxConversations })
    this.tokens = new TokenIssuer({
      lifetimeSeconds: options.tokenLifetimeSeconds,
      credentials: options.credentials,
      acceptAnyToken: options.acceptAnyToken,
      maxTokens: options.maxTokens,
    })
    this.faults.onExpireTokens((appId) => this.tokens.expireAll(appId))
    this.jobs = new Jobs(this.store, options, (job) => this.notify(job), this.timers)
    this.liveStreams = new LiveStreams(this.store, this.preloads, this.hub, this.timers, options.maxStreamingConnections ?? 1000)
    this.telephony = new Telephony(this)
    // Calls hold their conversation: without this, unstopped calls would keep evicted ones alive.
    this.store.onEvict((id) => this.telephony.forget(id))
    this.maxJsonBytes = options.maxJsonBytes ?? 5 * 1024 * 1024
    this.maxUploadBytes = options.maxUploadBytes ?? 1024 * 1024 * 1024
    this.maxStreamingConnections = options.maxStreamingConnections ?? 1000
    this.accountTrackers = validateTrackers(options.accountTrackers ?? [])
  }

  /** The request's trackers, plus the account's when `enableAllTrackers` is set (the request's win on a name clash). */
  trackersFor(requested: TrackerSpec[], enableAll: boolean): TrackerSpec[] {
    if (!enableAll) return requested
    const names = new Set(requested.map((t) => t.name))
    return [...requested, ...validateTrackers(this.accountTrackers).filter((t) => !names.has(t.name))]
  }

  /** Whether a streaming session or telephony call of this conversation is still running. */
  isLive(conversationId: string): boolean {
    return (
      this.liveStreams.hasLive(conversationId) ||
      [...this.telephony.calls.values()].some((c) => !c.stopped && c.conversation.id === conversationId)
    )
  }

  /** Handle one REST request (never throws; errors become the contract's bodies). */
  handle(request: CoreRequest): Promise<CoreResponse> {
    return handleRequest(this, request)
  }

  /** Decide on a WebSocket handshake and, if accepted, get the handler for its frames. */
  openSocket(request: SocketOpenRequest): SocketOpenResult {
    return openSocket(this, request)
  }

  /**
   * Waits out a handshake delay (`faults.takeHandshakeDelay`, armed by `faults.delayHandshakes`); the
   * fronts call it before `openSocket`. Resolves false when the emulator closed meanwhile: the front
   * then drops the socket.
   */
  async holdHandshake(ms: number): Promise<boolean> {
    try {
      await this.timers.sleep(ms)
      return true
    } catch {
      return false
    }
  }

  /**
   * Preload what is said in an audio file, URL, streaming connection or call (the emulator has no
   * speech recognizer). Key: a connectionId, URL, conversation name, phone number, SIP URI, or a
   * predicate over the request.
   */
  preloadTranscript(key: PreloadKey, messages: PreloadedMessage[], options?: { once?: boolean }): void {
    this.preloads.add(key, messages, options)
  }

  /** Resolves once no job is pending (handy in tests instead of polling). */
  idle(): Promise<void> {
    return this.jobs.idle()
  }

  /**
   * Stops everything that would outlive the fronts: job steps (unfinished jobs stop silently),
   * injected latency, reconnect windows, stop timeouts, telephony playback, webhook POSTs and media
   * fetches in flight. The core stays usable (a shared core can serve new requests afterwards).
   */
  dispose(): void {
    this.jobs.dispose()
    this.timers.dispose()
    this.inflight.abort()
    this.inflight = new AbortController()
    this.webhookChains.clear()
    this.liveStreams.dispose()
    this.telephony.dispose()
  }

  /** A signal for outgoing requests: aborted by dispose() or after `ms`. */
  outgoingSignal(ms: number): AbortSignal {
    const signals = [this.inflight.signal, AbortSignal.timeout(ms)]
    if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals)
    // Node < 20.3 has no AbortSignal.any.
    const both = new AbortController()
    for (const s of signals) s.addEventListener('abort', () => both.abort(s.reason), { once: true })
    return both.signal
  }

  private notify(job: Job): void {
    if (!job.webhookUrl || this.options.webhooks === false) return
    let url: URL
    try {
      url = new URL(job.webhookUrl)
    } catch {
      return
    }
    if (!isLoopback(url)) return
    const body = JSON.stringify({ jobId: job.id, status: job.status })
    // One job's POSTs go out one after the other, so the receiver sees the statuses in order; a
    // receiver that hangs is given up on after 5 s.
    const previous = this.webhookChains.get(job.id) ?? Promise.resolve()
    const post = async (): Promise<void> => {
      try {
        // Redirects are followed only while they stay on loopback (fetchLoopback).
        const res = await fetchLoopback(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: this.outgoingSignal(5000),
        })
        await res.body?.cancel()
      } catch {
        // Delivery failures are ignored (no retries are documented).
      }
    }
    const next = previous.then(post)
    this.webhookChains.set(job.id, next)
    void next.then(() => {
      if (this.webhookChains.get(job.id) === next) this.webhookChains.delete(job.id)
    })
  }
}

/**
 * The duration options, checked as the fault durations are (issue 11, item 15): a jobDelayMs of NaN
 * or '5' became a timer of NaN ms, so every job completed at once, silently; 3e9 or Infinity waited
 * the longest a timer can instead of what was asked.
 */
function checkDurations(options: EmulatorCoreOptions): void {
  const { jobDelayMs, tokenLifetimeSeconds } = options
  if (jobDelayMs !== undefined && !(typeof jobDelayMs === 'number' && jobDelayMs >= 0 && jobDelayMs <= MAX_DELAY_MS))
    throw new RangeError(`jobDelayMs must be a number of milliseconds from 0 to ${MAX_DELAY_MS} (got ${String(jobDelayMs)})`)
  if (
    tokenLifetimeSeconds !== undefined &&
    !(typeof tokenLifetimeSeconds === 'number' && tokenLifetimeSeconds > 0 && tokenLifetimeSeconds <= MAX_DELAY_MS)
  )
    throw new RangeError(
      `tokenLifetimeSeconds must be a number of seconds above 0, at most ${MAX_DELAY_MS} (got ${String(tokenLifetimeSeconds)})`,
    )
}

function validateTrackers(list: unknown): TrackerSpec[] {
  if (!Array.isArray(list)) throw new TypeError('accountTrackers must be an array of {name, vocabulary}')
  return list.map((t: unknown, i) => {
    const rec = t as { name?: unknown; vocabulary?: unknown } | null
    if (
      !rec ||
      typeof rec.name !== 'string' ||
      !rec.name ||
      !Array.isArray(rec.vocabulary) ||
      !rec.vocabulary.every((v) => typeof v === 'string')
    ) {
      throw new TypeError(`accountTrackers[${i}] must be {name: string, vocabulary: string[]}`)
    }
    return { name: rec.name, vocabulary: [...(rec.vocabulary as string[])] }
  })
}
