// `symbl stream <file.wav>`: streams a recording over the Streaming API and prints captions and
// insights as they arrive. Ctrl-C stops cleanly: the audio already sent is kept, the stop_request
// is sent, and the conversation id is printed, as at the end of the file.
import { stat } from 'node:fs/promises'
import type { StreamingConnection } from '../../node.js'
import { expectPositionals, parse, UsageError } from '../args.js'
import type { Context } from '../context.js'
import { formatDuration } from '../progress.js'

export const USAGE = 'symbl stream <file.wav> [--realtime] [--name NAME] [--speaker NAME] [--json]'

export const HELP = `Usage: ${USAGE}

Streams a WAV recording (any PCM or float WAV; resampled to 16 kHz) to the Streaming API and
prints the captions (final ones on stdout; interim ones on a terminal's stderr) and the questions,
action items, follow-ups and topics as they arrive. Ctrl-C stops cleanly and prints the
conversation id, as the end of the file does.

  --realtime      send at the pace of the recording, as a live source would (default: as fast
                  as the connection takes it)
  --name NAME     the meeting title
  --speaker NAME  the name of the person speaking in the recording
  --json          one JSON line per event received (message_response, insight_response, …),
                  then {"conversationId"}`

export const OPTIONS = { realtime: { type: 'boolean' }, name: { type: 'string' }, speaker: { type: 'string' } } as const

export async function run(ctx: Context, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, OPTIONS)
  const [file] = expectPositionals(positionals, 1, USAGE)
  try {
    if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`)
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
  const { out, signal, symbl } = ctx
  // Ctrl-C cancels the start; once started, it must not close the connection (the connection's
  // signal would, without a stop_request), so the start gets a signal of its own.
  const starting = new AbortController()
  const cancelStart = () => starting.abort(signal.reason)
  signal.addEventListener('abort', cancelStart)
  let connection: StreamingConnection
  try {
    connection = await symbl.streaming.startConnection({
      insightTypes: ['question', 'action_item', 'follow_up'],
      config: { ...(values.name !== undefined ? { meetingTitle: values.name } : {}) },
      ...(values.speaker !== undefined ? { speaker: { name: values.speaker, userId: values.speaker } } : {}),
      signal: starting.signal,
    })
  } finally {
    signal.removeEventListener('abort', cancelStart)
  }
  printEvents(ctx, connection)
  let interrupted = false
  try {
    const sent = await connection.sendAudioFromFile(file, { realtime: !!values.realtime, signal })
    out.note(`Sent ${formatDuration(sent.durationMs / 1000)} of audio; stopping…`)
  } catch (e) {
    // Ctrl-C: stop sending, but still end the conversation cleanly below.
    if (!signal.aborted) {
      connection.close()
      throw e
    }
    interrupted = true
    out.note('Interrupted: stopping the conversation…')
  }
  // Not bound by the Ctrl-C signal (already aborted): a second Ctrl-C exits at once.
  const conversation = await connection.stop()
  const conversationId = conversation.getConversationId()
  if (out.json) out.printJsonLine({ conversationId, interrupted })
  else out.print(`Conversation ${conversationId}${interrupted ? ' (interrupted)' : ''}`)
}

function printEvents({ out }: Context, connection: StreamingConnection): void {
  if (out.json) {
    for (const name of ['message_response', 'insight_response', 'topic_response', 'tracker_response', 'entity_response'] as const)
      connection.on(name, (frame) => out.printJsonLine(frame))
  } else {
    connection.on('message', (frame) => {
      const m = frame.message
      // Interim captions only on a terminal, redrawn in place; the final text comes in message_response.
      if (m.type === 'recognition_result' && !m.isFinal) {
        const text = m.punctuated?.transcript ?? m.payload?.raw?.alternatives?.[0]?.transcript
        if (text) out.showProgress(`… ${text}`)
      }
    })
    connection.on('message_response', ({ messages }) => {
      for (const m of messages) out.print(`${m.from?.name || m.from?.userId || 'Speaker'}: ${m.payload.content}`)
    })
    connection.on('insight_response', ({ insights }) => {
      for (const i of insights) out.print(`  [${i.type.replace(/_/g, ' ')}] ${i.payload?.content ?? i.text ?? ''}`)
    })
    connection.on('topic_response', ({ topics }) => {
      if (topics.length) out.print(`  [topics] ${topics.map((t) => t.phrases).join(', ')}`)
    })
  }
  // Errors the connection reports without failing (a malformed frame, a reconnect): a note each.
  connection.on('error', (error) => out.error(`symbl: ${error.message}`))
  connection.on('reconnecting', (e) => out.note(`Connection lost; reconnecting (attempt ${e.attempt})…`))
}
