// Preloaded transcripts: the emulator has no speech recognizer, so tests and users can say what
// was said in an audio file, URL, streaming connection or call. A string key matches any of the
// request's identifiers (connectionId, URL, conversation name, conversationId, phone number, SIP
// URI); a function key sees them all and decides.

import type { PreloadedMessage } from './types.js'

export interface PreloadContext {
  kind: 'audio' | 'video' | 'streaming' | 'telephony'
  connectionId?: string
  url?: string
  name?: string
  conversationId?: string
  phoneNumber?: string
  uri?: string
}

export type PreloadKey = string | ((context: PreloadContext) => boolean)

interface Entry {
  key: PreloadKey
  messages: PreloadedMessage[]
  once: boolean
}

export class Preloads {
  private entries: Entry[] = []

  add(key: PreloadKey, messages: PreloadedMessage[], options: { once?: boolean } = {}): void {
    for (const m of messages) {
      if (typeof m.text !== 'string') throw new TypeError('preloaded messages need a text')
      if (m.start !== undefined && m.end !== undefined && m.end < m.start) throw new RangeError('preloaded message ends before it starts')
    }
    this.entries.push({ key, messages, once: options.once ?? false })
  }

  clear(): void {
    this.entries = []
  }

  find(context: PreloadContext): PreloadedMessage[] | undefined {
    const ids = [context.connectionId, context.url, context.name, context.conversationId, context.phoneNumber, context.uri].filter(Boolean)
    // Latest rule wins, so a test can override an earlier fixture.
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]
      const hit = typeof entry.key === 'function' ? entry.key(context) : ids.includes(entry.key)
      if (!hit) continue
      if (entry.once) this.entries.splice(i, 1)
      return entry.messages
    }
    return undefined
  }
}

/**
 * Lays preloaded lines on a timeline (seconds). Lines with times keep them. Lines without: onto the
 * detected speech segments in order when there are enough, else back to back at 150 words/min
 * with 0.3 s gaps after the previous line.
 */
export function placePreloaded(
  messages: PreloadedMessage[],
  segments: Array<{ start: number; end: number }> = [],
): Array<Required<Pick<PreloadedMessage, 'start' | 'end'>> & PreloadedMessage> {
  let cursor = 0
  const useSegments = segments.length >= messages.length && messages.every((m) => m.start === undefined)
  return messages.map((m, i) => {
    if (useSegments) return { ...m, start: segments[i].start, end: segments[i].end }
    const words = Math.max(1, m.text.split(/\s+/).filter(Boolean).length)
    const start = m.start ?? (i === 0 ? 0 : cursor + 0.3)
    const end = m.end ?? start + words * 0.4
    cursor = end
    return { ...m, start, end }
  })
}
