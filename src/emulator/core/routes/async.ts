// Async API (contract 3): submissions and appends for audio, video, text and URLs, and job status.
// Files are consumed as a stream (never buffered): the audio is measured and segmented while it
// arrives, and the job publishes the result when it enters in_progress.

import { AudioIngest } from '../audio/ingest.js'
import type { EmulatorCore } from '../core.js'
import { ApiError, badRequest, notFound, payloadTooLarge } from '../errors.js'
import { MAX_CONVERSATION_MESSAGES, MAX_CONVERSATION_TEXT_CHARS } from '../json-limits.js'
import { checkAnalysisBounds, checkMetadata, parseOptions } from '../options.js'
import { placePreloaded } from '../preload.js'
import { numericId } from '../ids.js'
import { fetchLoopback, isLoopback } from '../loopback.js'
import { UNRECOGNISED_TEXT } from '../views.js'
import type { AudioInfo, Conversation, ConversationOptions, PreloadedMessage, StoredMessage } from '../types.js'
import { ok, type Route, type RouteContext } from './route.js'

type Kind = 'audio' | 'video'

function conversationFor(
  core: EmulatorCore,
  scope: string | undefined,
  id: string | undefined,
  source: Conversation['source'],
  options: ConversationOptions,
): Conversation {
  // enableAllTrackers: the account's trackers (emulator option `accountTrackers`) join the request's.
  const requested = { ...options, trackers: core.trackersFor(options.trackers, options.enableAllTrackers) }
  if (id === undefined) {
    const c = core.store.createConversation(source, requested, undefined, scope)
    if (options.metadata) c.metadata = { ...options.metadata }
    return c
  }
  const existing = core.store.visible(id, scope)
  if (!existing) throw notFound()
  const metadata = options.metadata ? { ...existing.metadata, ...options.metadata } : undefined
  // Appends merge metadata: the sum must stay within the bound too (checked before anything changes).
  if (metadata) checkMetadata(metadata)
  // Appends may add trackers/entities/metadata; the first job's options stay otherwise.
  const names = new Set(requested.trackers.map((t) => t.name))
  const trackers = [...existing.options.trackers.filter((t) => !names.has(t.name)), ...requested.trackers]
  const entities = [...existing.options.entities, ...options.entities]
  checkAnalysisBounds(trackers, entities) // appends add up: the sum is bounded too
  existing.options = {
    ...existing.options,
    enableAllTrackers: existing.options.enableAllTrackers || options.enableAllTrackers,
    trackers,
    entities,
  }
  if (metadata) existing.metadata = metadata
  return existing
}

/** End of the audio timeline so far (appends continue after it), in seconds. */
const audioEnd = (c: Conversation): number => c.audio.reduce((s, a) => s + (a.durationSeconds ?? 0), 0)

function publishAudio(
  core: EmulatorCore,
  c: Conversation,
  info: AudioInfo,
  offset: number,
  kind: Kind,
  url?: string,
  found?: PreloadedMessage[],
): void {
  // `found`: a preload the caller already looked up (a `once` rule is consumed by the lookup, so it must happen only once).
  const preload = found ?? core.preloads.find({ kind, url, name: c.name, conversationId: c.id })
  const base = c.startMs + offset * 1000
  const add = (
    text: string,
    start: number,
    end: number,
    speaker: { name: string; userId?: string; email?: string } | undefined,
    unrecognised: boolean,
  ): void => {
    const from = core.store.member(c, speaker ?? { name: 'Speaker 1' })
    const message: StoredMessage = {
      id: numericId(),
      text,
      from,
      startMs: base + start * 1000,
      endMs: base + end * 1000,
      origin: unrecognised ? 'audio' : 'fixture',
    }
    if (unrecognised) message.unrecognised = true
    c.messages.push(message)
  }
  if (preload) for (const line of placePreloaded(preload, info.speechSegments)) add(line.text, line.start, line.end, line.speaker, false)
  else
    info.speechSegments.forEach((s, i) => {
      // Diarized (enableSpeakerDiarization): the voice cluster of the segment, "Speaker 1" speaking first.
      const k = info.speakers?.[i]
      add(UNRECOGNISED_TEXT, s.start, s.end, k === undefined ? undefined : { name: `Speaker ${k + 1}` }, true)
    })
  c.audio.push(info)
  core.store.touch(c)
}

async function ingest(ctx: RouteContext, limit: number, speakerCount: number | undefined): Promise<AudioInfo> {
  const declared = ctx.headers.get('content-length')
  if (declared && Number(declared) > limit) throw payloadTooLarge(limit)
  const audio = new AudioIngest(speakerCount)
  if (ctx.body) {
    for await (const chunk of ctx.body) {
      await audio.push(chunk)
      if (audio.bytes > limit) throw payloadTooLarge(limit)
    }
  }
  const result = await audio.finish()
  if ('error' in result) throw badRequest(result.error)
  return result.info
}

function fileRoute(kind: Kind, append: boolean): Route {
  return {
    method: append ? 'PUT' : 'POST',
    pattern: append ? new RegExp(`^/v1/process/${kind}/(?<id>(?!url$)[^/]+)$`) : new RegExp(`^/v1/process/${kind}$`),
    async handler(ctx) {
      const { core } = ctx
      const options = parseOptions({}, ctx.query)
      core.jobs.checkCapacity() // 429 before taking the upload
      const existing = append ? ctx.params.id : undefined
      if (existing !== undefined && !core.store.visible(existing, ctx.scope)) throw notFound()
      const info = await ingest(ctx, core.maxUploadBytes, options.speakerCount)
      if (kind === 'video' && !['mp4', 'webm'].includes(info.format)) throw badRequest('Unsupported video format: expected video/mp4.')
      const c = conversationFor(core, ctx.scope, existing, kind, options)
      // The offset is read when the job runs: earlier appends of this conversation have run by then.
      const job = core.jobs.submit(c, () => publishAudio(core, c, info, audioEnd(c), kind), options.webhookUrl)
      return ok({ conversationId: c.id, jobId: job.id }, 201)
    },
  }
}

const MEDIA_FETCH_TIMEOUT_MS = 60_000

async function fetchMedia(core: EmulatorCore, url: string, speakerCount: number | undefined): Promise<AudioInfo> {
  // Bounded: a loopback server that never answers must not keep the job (and its slot) forever.
  // Every redirect hop must stay on loopback too (fetchLoopback).
  const res = await fetchLoopback(new URL(url), { signal: core.outgoingSignal(MEDIA_FETCH_TIMEOUT_MS) })
  if (!res.ok || !res.body) throw new Error(`fetching the media: HTTP ${res.status}`)
  const audio = new AudioIngest(speakerCount)
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    await audio.push(chunk)
    if (audio.bytes > core.maxUploadBytes) throw new Error('media too large')
  }
  const result = await audio.finish()
  if ('error' in result) throw new Error(result.error)
  return result.info
}

function urlRoute(kind: Kind, append: boolean): Route {
  return {
    method: append ? 'PUT' : 'POST',
    pattern: append ? new RegExp(`^/v1/process/${kind}/url/(?<id>[^/]+)$`) : new RegExp(`^/v1/process/${kind}/url$`),
    async handler(ctx) {
      const { core } = ctx
      const body = await ctx.json()
      const options = parseOptions(body, ctx.query)
      if (typeof body.url !== 'string' || !body.url) throw badRequest('"url" is required')
      let url: URL
      try {
        url = new URL(body.url)
      } catch {
        throw badRequest('"url" must be a valid uri')
      }
      if (!/^https?:$/.test(url.protocol)) throw badRequest('"url" must be a valid http(s) uri')
      const c = conversationFor(core, ctx.scope, append ? ctx.params.id : undefined, kind, options)
      const job = core.jobs.submit(
        c,
        async () => {
          const offset = audioEnd(c)
          // Only loopback URLs are fetched (no network here); others need a preloaded transcript,
          // otherwise the job ends `failed`, as a real server that cannot fetch the media would.
          // (The preload is looked up once, after the fetch: looking it up before as well consumed
          // a `once` preload, and the fetched media then got no transcript.)
          if (isLoopback(url))
            return publishAudio(core, c, await fetchMedia(core, url.href, options.speakerCount), offset, kind, body.url as string)
          const preload = core.preloads.find({ kind, url: body.url as string, name: c.name, conversationId: c.id })
          if (!preload) throw new Error('media URL not reachable from the emulator')
          const placed = placePreloaded(preload)
          const seconds = placed.length ? placed.reduce((m, p) => Math.max(m, p.end), 0) : 0
          publishAudio(
            core,
            c,
            { format: 'unknown', bytes: 0, durationSeconds: seconds, durationMethod: 'unknown', speechSegments: [] },
            offset,
            kind,
            body.url as string,
            preload,
          )
        },
        options.webhookUrl,
      )
      return ok({ conversationId: c.id, jobId: job.id }, 201)
    },
  }
}

interface TextMessageInput {
  text: string
  from?: { name?: string; userId?: string; email?: string }
  startMs?: number
  endMs?: number
}

function parseTime(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) throw badRequest(`"${name}" must be a valid ISO 8601 date`)
  return ms
}

function parseTextMessages(body: Record<string, unknown>): TextMessageInput[] {
  const list = body.messages
  if (list === undefined) throw badRequest('"messages" is required')
  if (!Array.isArray(list)) throw badRequest('"messages" must be an array')
  if (!list.length) throw badRequest('"messages" must contain at least 1 items')
  return list.map((m: unknown, i) => {
    const rec = m as Record<string, unknown> | null
    if (typeof rec !== 'object' || rec === null) throw badRequest(`"messages[${i}]" must be an object`)
    const payload = rec.payload as Record<string, unknown> | undefined
    if (typeof payload !== 'object' || payload === null) throw badRequest(`"messages[${i}].payload" is required`)
    if (typeof payload.content !== 'string') throw badRequest(`"messages[${i}].payload.content" must be a string`)
    if (!payload.content.trim()) throw badRequest(`"messages[${i}].payload.content" is not allowed to be empty`)
    const from = rec.from as Record<string, unknown> | undefined
    if (from !== undefined && (typeof from !== 'object' || from === null)) throw badRequest(`"messages[${i}].from" must be an object`)
    const duration = rec.duration as Record<string, unknown> | undefined
    if (duration !== undefined && (typeof duration !== 'object' || duration === null))
      throw badRequest(`"messages[${i}].duration" must be an object`)
    const startMs = parseTime(duration?.startTime, `messages[${i}].duration.startTime`)
    const endMs = parseTime(duration?.endTime, `messages[${i}].duration.endTime`)
    if (startMs !== undefined && endMs !== undefined && endMs < startMs)
      throw badRequest(`"messages[${i}].duration.endTime" must be after startTime`)
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)
    return {
      text: payload.content.trim(),
      from: from ? { name: str(from.name), userId: str(from.userId), email: str(from.email) } : undefined,
      startMs,
      endMs,
    }
  })
}

/**
 * Messages without times (allowed: `duration` is optional) are laid back to back after the previous
 * one at 150 words per minute, starting at the first given time or at submission time.
 */
function publishText(core: EmulatorCore, c: Conversation, input: TextMessageInput[]): void {
  const wasEmpty = c.messages.length === 0
  let cursor = c.messages.length
    ? c.messages.reduce((x, m) => Math.max(x, m.endMs), -Infinity)
    : (input.find((m) => m.startMs !== undefined)?.startMs ?? c.startMs)
  for (const m of input) {
    const words = Math.max(1, m.text.split(/\s+/).length)
    const startMs = m.startMs ?? cursor
    const endMs = m.endMs ?? (m.startMs !== undefined || m.endMs === undefined ? startMs + words * 400 : startMs)
    cursor = Math.max(cursor, endMs)
    c.messages.push({ id: numericId(), text: m.text, from: core.store.member(c, m.from), startMs, endMs, origin: 'text' })
  }
  if (wasEmpty) c.startMs = c.messages.reduce((x, m) => Math.min(x, m.startMs), Infinity) // no spread: 100k+ messages overflow the stack
  core.store.touch(c)
}

/**
 * One conversation's text is bounded (ours; not documented): each request is limited by
 * `maxJsonBytes`, but appends add up, and one conversation could otherwise grow until the process
 * runs out of memory. Beyond the bound an append is a 400 and the conversation stays as it was.
 */
function checkConversationSize(c: Conversation | undefined, input: TextMessageInput[]): void {
  if (!c) return // unknown: conversationFor answers the 404
  const count = c.messages.length + input.length
  if (count > MAX_CONVERSATION_MESSAGES)
    throw badRequest(
      `A conversation may hold at most ${MAX_CONVERSATION_MESSAGES} messages (this append would make ${count}): start a new conversation`,
    )
  const chars = c.messages.reduce((n, m) => n + m.text.length, 0) + input.reduce((n, m) => n + m.text.length, 0)
  if (chars > MAX_CONVERSATION_TEXT_CHARS)
    throw badRequest(
      `A conversation may hold at most ${MAX_CONVERSATION_TEXT_CHARS} characters of text (this append would make ${chars}): start a new conversation`,
    )
}

function textRoute(append: boolean): Route {
  return {
    method: append ? 'PUT' : 'POST',
    pattern: append ? /^\/v1\/process\/text\/(?<id>[^/]+)$/ : /^\/v1\/process\/text$/,
    async handler(ctx) {
      const { core } = ctx
      const body = await ctx.json()
      const options = parseOptions(body, ctx.query)
      const input = parseTextMessages(body)
      if (append) checkConversationSize(core.store.visible(ctx.params.id, ctx.scope), input)
      const c = conversationFor(core, ctx.scope, append ? ctx.params.id : undefined, 'text', options)
      const job = core.jobs.submit(c, () => publishText(core, c, input), options.webhookUrl)
      return ok({ conversationId: c.id, jobId: job.id }, 201)
    },
  }
}

export const asyncRoutes: Route[] = [
  urlRoute('audio', false),
  urlRoute('audio', true),
  urlRoute('video', false),
  urlRoute('video', true),
  fileRoute('audio', false),
  fileRoute('audio', true),
  fileRoute('video', false),
  fileRoute('video', true),
  textRoute(false),
  textRoute(true),
  {
    method: 'GET',
    pattern: /^\/v1\/job\/(?<id>[^/]+)$/,
    handler({ core, params, scope }) {
      const job = core.store.visibleJob(params.id, scope)
      if (!job) throw new ApiError(404, { message: 'The jobId is either invalid or does not exist.' })
      return ok({ id: job.id, status: job.status })
    },
  },
]
