// Formatted transcript (contract 4.14): markdown or SRT, returned as a string payload (the emulator's
// choice where DOCS22 and GO disagree). Times in SRT are relative to the conversation start.

import type { StoredMessage } from '../types.js'

export interface TranscriptOptions {
  contentType: 'text/markdown' | 'text/srt'
  createParagraphs?: boolean
  showSpeakerSeparation?: boolean
  /** Phrases to wrap in <mark> (markdown only). */
  highlight?: string[]
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

export function srtTime(ms: number): string {
  const t = Math.max(0, Math.round(ms))
  return `${pad(Math.floor(t / 3_600_000))}:${pad(Math.floor(t / 60_000) % 60)}:${pad(Math.floor(t / 1000) % 60)},${pad(t % 1000, 3)}`
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One regex per distinct phrase, compiled once per transcript (not once per message and phrase). */
function highlighter(phrases: string[]): (text: string) => string {
  const res = [...new Set(phrases)]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((p) => new RegExp(`(?<![\\w>])(${escapeRe(p)})(?![\\w<])`, 'i'))
  return (text) => res.reduce((out, re) => out.replace(re, '<mark>$1</mark>'), text)
}

export function formatTranscript(messages: StoredMessage[], startMs: number, options: TranscriptOptions): string {
  if (options.contentType === 'text/srt') {
    return messages
      .map(
        (m, i) =>
          `${i + 1}\n${srtTime(m.startMs - startMs)} --> ${srtTime(m.endMs - startMs)}\n${options.showSpeakerSeparation === false ? '' : `${m.from.name}: `}${m.text}\n\n`,
      )
      .join('')
  }
  const blocks: Array<{ speaker: string; texts: string[] }> = []
  const highlight = highlighter(options.highlight ?? [])
  for (const m of messages) {
    const text = highlight(m.text)
    const last = blocks.at(-1)
    if (options.createParagraphs && last && last.speaker === m.from.name) last.texts.push(text)
    else blocks.push({ speaker: m.from.name, texts: [text] })
  }
  const separate = options.showSpeakerSeparation !== false
  return blocks.map((b) => `${separate ? `${b.speaker}: ` : ''}${b.texts.join(' ')}`).join('<br/><br/>')
}
