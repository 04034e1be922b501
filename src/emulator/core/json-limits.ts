// Limits on client JSON the emulator keeps (metadata, speaker events). Without them, one request
// could store something no later answer can serialise: metadata nested 5000 deep was stored, its
// PUT answered 500 (JSON.stringify overflowed the stack), and from then on GET /v1/conversations
// answered 500 for every app. The real limits are not documented (contract 8): these are ours.

/** Deepest object/array nesting accepted in a request body (real metadata is shallow). */
export const MAX_JSON_DEPTH = 64
/** Largest `metadata` kept per conversation, as JSON (after an append merges it). */
export const MAX_METADATA_BYTES = 256 * 1024
/** Largest speaker event kept (a real one is {type, user:{id,name,email}, timestamp}: well under 1 KiB). */
export const MAX_SPEAKER_EVENT_BYTES = 4 * 1024
/** Speaker events kept per conversation and per call; beyond, the oldest are dropped. */
export const MAX_SPEAKER_EVENTS = 1000

/** One conversation's messages and text, however many appends add them (routes/async.ts). */
export const MAX_CONVERSATION_MESSAGES = 100_000
export const MAX_CONVERSATION_TEXT_CHARS = 20 * 1024 * 1024

/** Whether `value` nests objects/arrays deeper than `max` levels (iterative: no stack to overflow). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
  return false
}

/** Size of `value` as UTF-8 JSON (call only on values checked with nestedDeeperThan). */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').length
}

/** Appends to a list kept at most `max` long: the oldest entries are dropped. */
export function pushBounded<T>(list: T[], items: T[], max: number): void {
  list.push(...items.slice(-max))
  if (list.length > max) list.splice(0, list.length - max)
}

/** The 400 message for a speaker event that is too large, or undefined when it may be kept. */
export function speakerEventProblem(event: unknown, what: string): string | undefined {
  if (nestedDeeperThan(event, 8))
    return `"${what}" is nested too deeply (more than 8 levels): send {type, user: {id, name, email}, timestamp}`
  if (jsonBytes(event) > MAX_SPEAKER_EVENT_BYTES)
    return `"${what}" is larger than ${MAX_SPEAKER_EVENT_BYTES} bytes: send {type, user: {id, name, email}, timestamp}`
  return undefined
}
