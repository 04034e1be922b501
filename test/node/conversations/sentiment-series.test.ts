import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../../src/errors.js'
import { speakerSentiment, type Message } from '../../../src/index.js'

const at = (s: number) => new Date(Date.UTC(2020, 6, 10, 11, 16, 0) + s * 1000).toISOString()
const msg = (id: string, name: string | undefined, start: number, score?: number, extra: Partial<Message> = {}): Message => ({
  id,
  text: `message ${id}`,
  from: name === undefined ? undefined : { id: `id-${name}`, name },
  startTime: at(start),
  endTime: at(start + 2),
  ...(score === undefined ? {} : { sentiment: { polarity: { score } } }),
  ...extra,
})

describe('speakerSentiment', () => {
  it('turns a diarized two-speaker transcript into one polarity series per speaker, seconds from the first message', () => {
    const series = speakerSentiment({
      messages: [
        msg('1', 'Speaker 1', 3.5, 0.2),
        msg('2', 'Speaker 2', 6, -0.4),
        msg('3', 'Speaker 1', 10.25, 0.9),
        msg('4', 'Speaker 2', 12, 0),
      ],
    })
    expect(series).toEqual([
      {
        speaker: 'Speaker 1',
        points: [
          { time: 0, polarity: 0.2 },
          { time: 6.75, polarity: 0.9 },
        ],
      },
      {
        speaker: 'Speaker 2',
        points: [
          { time: 2.5, polarity: -0.4 },
          { time: 8.5, polarity: 0 },
        ],
      },
    ])
  })

  it('sorts by time even when messages arrive out of order, and takes an array too', () => {
    const series = speakerSentiment([msg('2', 'A', 20, 0.5), msg('1', 'A', 10, -0.5)])
    expect(series).toEqual([
      {
        speaker: 'A',
        points: [
          { time: 0, polarity: -0.5 },
          { time: 10, polarity: 0.5 },
        ],
      },
    ])
  })

  it('skips messages without sentiment, names unknown speakers, falls back to timeOffset', () => {
    const series = speakerSentiment([
      msg('1', 'A', 0, 0.1),
      msg('2', 'A', 1),
      msg('3', undefined, 2, -0.3),
      { ...msg('4', 'B', 0, 0.4), startTime: 'not a date', timeOffset: 7.5 },
    ])
    expect(series).toEqual([
      { speaker: 'A', points: [{ time: 0, polarity: 0.1 }] },
      { speaker: 'Unknown speaker', points: [{ time: 2, polarity: -0.3 }] },
      { speaker: 'B', points: [{ time: 7.5, polarity: 0.4 }] },
    ])
  })

  it('uses userId or email when a speaker has no name', () => {
    const series = speakerSentiment([
      msg('1', undefined, 0, 0.3, { from: { userId: 'roger@example.com' } }),
      msg('2', undefined, 1, 0.2, { from: { email: 'x@example.com' } }),
    ])
    expect(series.map((s) => s.speaker)).toEqual(['roger@example.com', 'x@example.com'])
  })

  it('returns nothing for no messages, and says how to fix messages fetched without sentiment', () => {
    expect(speakerSentiment([])).toEqual([])
    expect(() => speakerSentiment([msg('1', 'A', 0)])).toThrow(ValidationError)
    expect(() => speakerSentiment([msg('1', 'A', 0)])).toThrow(/getMessages\(\{ sentiment: true \}\)/)
    expect(() => speakerSentiment(undefined as never)).toThrow(/needs the messages array/)
  })
})
