// `symbl process <file|url|text.json>`: submits a recording (audio or video, by extension), a URL
// or a text conversation (a JSON file of the Async text payload), waits for the job with progress,
// then prints the conversation id and a readable summary.
import { readFile, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { Conversation, MediaParameters, TextPayload } from '../../node.js'
import { expectPositionals, parse, positiveInteger, UsageError } from '../args.js'
import type { Context } from '../context.js'
import { type ConversationDigest, formatDigest, talkTimes } from '../format.js'
import { jobProgress, uploadProgress } from '../progress.js'

export const USAGE = 'symbl process <file|url|text.json> [--speakers N] [--name NAME] [--no-wait] [--json]'

export const HELP = `Usage: ${USAGE}

Submits a recording, a URL or a text conversation to the Async API, waits for the job (with
progress on stderr) and prints the conversation id and a summary: speakers and their talk time,
questions, action items, follow-ups and topics.

  <file>            an audio or video file (wav, mp3, flac, ogg, opus, m4a, mp4, mov, webm, mkv, …)
  <url>             an http(s) URL of a recording the API can fetch
  <text.json>       a text conversation: {"messages": [{"payload": {"content": "…"}, "from": {"name": "…"}}]}
  --speakers N      N speakers: speaker separation (diarization) for a recording of one channel
  --name NAME       the conversation's name (default: the file's name, for a file or URL)
  --content-type T  the file's media type when its extension does not tell (e.g. audio/wav)
  --no-wait         print the ids right after submitting, without waiting for the job`

export const OPTIONS = {
  speakers: { type: 'string' },
  name: { type: 'string' },
  'content-type': { type: 'string' },
  wait: { type: 'boolean' },
  'no-wait': { type: 'boolean' },
} as const

const VIDEO = new Set(['.mp4', '.mov', '.webm', '.mkv', '.avi', '.m4v', '.wmv', '.flv', '.mpeg', '.mpg'])

export async function run(ctx: Context, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, OPTIONS)
  const [input] = expectPositionals(positionals, 1, USAGE)
  if (values.wait && values['no-wait']) throw new UsageError('--wait and --no-wait exclude each other: give one')
  const speakers = positiveInteger('speakers', values.speakers)
  const wait = !values['no-wait']
  const { out, signal, symbl } = ctx
  const progress = jobProgress(out)
  // Named after the file by default: a list of conversations then says which recording each is
  // (the API's own default is the conversationId).
  const url = /^https?:\/\//i.test(input) ? mediaUrl(input) : undefined
  const name = values.name ?? (url ? basename(url.pathname) || undefined : basename(input))
  const parameters: MediaParameters = {
    ...(name !== undefined ? { name } : {}),
    ...(speakers !== undefined ? { enableSpeakerDiarization: true, diarizationSpeakerCount: speakers } : {}),
  }
  const common = { signal, wait, onStatus: progress.onStatus }
  let conversation: Conversation
  try {
    if (url) {
      const api = VIDEO.has(extname(url.pathname).toLowerCase()) ? symbl.video : symbl.audio
      conversation = await api.processUrl({ url: input }, { ...common, parameters })
    } else if (extname(input).toLowerCase() === '.json') {
      if (speakers !== undefined) throw new UsageError('--speakers is for recordings; a text conversation names its speakers in "from"')
      conversation = await symbl.text.process(await readTextPayload(input), {
        ...common,
        parameters: values.name !== undefined ? { name: values.name } : {},
      })
    } else {
      const size = await fileSize(input)
      const api = VIDEO.has(extname(input).toLowerCase()) ? symbl.video : symbl.audio
      conversation = await api.processFile(input, {
        ...common,
        parameters,
        size,
        ...(values['content-type'] !== undefined ? { contentType: values['content-type'] } : {}),
        onUploadProgress: uploadProgress(out, basename(input)),
      })
    }
  } finally {
    progress.stop()
  }
  const ids = { conversationId: conversation.getConversationId(), jobId: conversation.getJobId() }
  if (!wait) {
    if (out.json) out.printJson({ ...ids, status: conversation.status ?? 'scheduled' })
    else out.print(`Submitted: conversation ${ids.conversationId}${ids.jobId ? `, job ${ids.jobId}` : ''}`)
    return
  }
  const digest = await digestOf(conversation, signal)
  if (out.json) out.printJson({ ...digest, status: 'completed' })
  else for (const line of formatDigest(digest)) out.print(line)
}

/** Reads the finished conversation's parts in parallel. */
async function digestOf(conversation: Conversation, signal: AbortSignal): Promise<ConversationDigest> {
  const o = { signal }
  const [messages, analytics, questions, actionItems, followUps, topics] = await Promise.all([
    conversation.getMessages(o),
    conversation.getAnalytics(o),
    conversation.getQuestions(o),
    conversation.getActionItems(o),
    conversation.getFollowUps(o),
    conversation.getTopics(o),
  ])
  return {
    conversationId: conversation.getConversationId(),
    jobId: conversation.getJobId(),
    messages: messages.messages.length,
    speakers: talkTimes(messages.messages, analytics),
    questions: questions.questions,
    actionItems: actionItems.actionItems,
    followUps: followUps.followUps,
    topics: topics.topics,
  }
}

/** A file's size (for Content-Length and the progress bar), or a usage error that names the file. */
async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new UsageError(`${path} is not a file`)
    return s.size
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
}

async function readTextPayload(path: string): Promise<TextPayload> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON (${(e as Error).message}): give {"messages": [{"payload": {"content": "…"}}]}`)
  }
  // Checked in depth by the SDK (a ValidationError naming the field); here only the outer shape.
  if (!payload || typeof payload !== 'object' || !Array.isArray((payload as { messages?: unknown }).messages))
    throw new UsageError(`${path} must hold {"messages": [{"payload": {"content": "…"}, "from": {"name": "…"}}]}`)
  return payload as TextPayload
}

/**
 * The recording's URL; one that does not parse is a usage error naming the argument (it was "symbl:
 * Invalid URL", exit 1). The argument is quoted without its user info, which may hold a password.
 */
function mediaUrl(input: string): URL {
  try {
    return new URL(input)
  } catch {
    const shown = input.replace(/^([a-z]+:\/\/)[^/?#]*@/i, '$1…@')
    throw new UsageError(
      `"${shown}" is not a valid URL: give the recording's full http(s) address, e.g. https://example.com/call.wav (spaces as %20)`,
    )
  }
}
