// The Recorded screen: a file or pasted text → the Async API (upload progress, job status) → every
// Conversation API result, and the sentiment chart.
import { speakerSentiment, type Conversation, type Entity, type GroupedEntity, type Insight, type JobStatus, type Symbl } from 'symbl-sdk'
import type { DemoConfig } from './client.js'
import { renderSentimentChart } from './chart.js'
import { DEMO_TRACKERS } from './live.js'
import { parseConversation, SAMPLE_CONVERSATION } from './sample-conversation.js'
import { $, clearError, fillList, formatSeconds, h, showError, speakerColour } from './ui.js'

const STATUS_TEXT: Record<string, string> = {
  uploading: 'uploading…',
  submitting: 'submitting…',
  scheduled: 'scheduled (waiting to be processed)',
  in_progress: 'in progress',
  completed: 'completed',
  failed: 'failed',
  fetching: 'completed, fetching the results…',
  done: 'done: results below',
}

const PARAMETERS = { detectEntities: true, enableSummary: true, trackers: DEMO_TRACKERS }
const POLL = { initialMs: 400, maxMs: 3000 }

export interface RecordedScreen {
  show(conversation: Conversation): Promise<void>
}

export function setupRecorded(symbl: Symbl, config: DemoConfig, errors: HTMLElement): RecordedScreen {
  const fileForm = $<HTMLFormElement>('#file-form')
  const fileInput = $<HTMLInputElement>('#file')
  const textForm = $<HTMLFormElement>('#text-form')
  const textArea = $<HTMLTextAreaElement>('#conversation-text')
  const progress = $<HTMLProgressElement>('#upload-progress')
  const status = $<HTMLOutputElement>('#job-status')
  const results = $('#results')
  let busy = false

  if (config.mode === 'emulator') {
    $('#file-note').textContent =
      'The local emulator has no speech recognizer: it measures the audio and lists each stretch of speech as “[unrecognised speech]” with its real timing. Text conversations are analysed fully.'
  }

  const setStatus = (s: JobStatus | keyof typeof STATUS_TEXT) => {
    status.value = STATUS_TEXT[s] ?? s
    status.dataset.status = s
  }

  function setBusy(on: boolean): void {
    busy = on
    for (const b of document.querySelectorAll<HTMLButtonElement>('#file-form button, #text-form button')) b.disabled = on
    document.querySelector('#panel-recorded')?.setAttribute('aria-busy', String(on))
  }

  $('#load-sample').addEventListener('click', () => {
    textArea.value = SAMPLE_CONVERSATION
    textArea.focus()
  })

  async function run(submit: () => Promise<Conversation>): Promise<void> {
    if (busy) return
    clearError(errors)
    setBusy(true)
    results.hidden = true
    try {
      const conversation = await submit()
      await show(conversation)
    } catch (error) {
      if (status.dataset.status !== 'failed') setStatus('failed')
      showError(errors, 'Processing failed', error)
    } finally {
      setBusy(false)
    }
  }

  textForm.addEventListener('submit', (e) => {
    e.preventDefault()
    let messages: ReturnType<typeof parseConversation>
    try {
      messages = parseConversation(textArea.value)
    } catch (error) {
      showError(errors, 'Nothing to process', error)
      textArea.focus()
      return
    }
    progress.value = 0
    progress.removeAttribute('data-done')
    void run(() => {
      setStatus('submitting')
      return symbl.text.process(
        { name: 'Demo text conversation', messages },
        { parameters: PARAMETERS, pollInterval: POLL, onStatus: setStatus },
      )
    })
  })

  fileForm.addEventListener('submit', (e) => {
    e.preventDefault()
    const file = fileInput.files?.[0]
    if (!file) {
      showError(errors, 'No file', new Error('Choose an audio or video file first.'))
      fileInput.focus()
      return
    }
    const isVideo = file.type.startsWith('video/') || /\.(mp4|m4v)$/i.test(file.name)
    if (!isVideo && file.type && !file.type.startsWith('audio/') && !/\.(wav|mp3|m4a|flac|ogg|opus|aac|amr|aiff?|wma)$/i.test(file.name)) {
      showError(
        errors,
        'This file cannot be processed',
        new Error(
          `“${file.name}” is not an audio or video file (its type is ${file.type}). Pick a recording such as a .wav, .mp3 or .mp4.`,
        ),
      )
      return
    }
    progress.value = 0
    void run(() => {
      setStatus('uploading')
      const api = isVideo ? symbl.video : symbl.audio
      return api.processFile(file, {
        parameters: { ...PARAMETERS, name: file.name },
        pollInterval: POLL,
        onUploadProgress: (p) => {
          if (p.fraction !== undefined) progress.value = p.fraction
          if (p.fraction === 1) setStatus('submitting')
        },
        onStatus: setStatus,
      })
    })
  })

  async function show(conversation: Conversation): Promise<void> {
    setStatus('fetching')
    progress.value = 1
    const [messages, questions, actionItems, followUps, topics, entities, trackers, analytics, summary] = await Promise.allSettled([
      conversation.getMessages({ sentiment: true }),
      conversation.getQuestions(),
      conversation.getActionItems(),
      conversation.getFollowUps(),
      conversation.getTopics(),
      conversation.getEntities(),
      conversation.getTrackers(),
      conversation.getAnalytics(),
      conversation.getSummary(),
    ])
    // The transcript is essential; the rest degrade section by section.
    if (messages.status === 'rejected') throw messages.reason
    const list = messages.value.messages
    const speakers = [...new Set(list.map((m) => m.from?.name ?? 'Unknown speaker'))]
    const colourOf = (name: string | undefined) => speakerColour(Math.max(0, speakers.indexOf(name ?? 'Unknown speaker')))

    fillList(
      $('#transcript'),
      list.map((m) => {
        const score = m.sentiment?.polarity.score
        const mood = score === undefined ? undefined : score > 0.2 ? 'positive' : score < -0.2 ? 'negative' : 'neutral'
        return h(
          'li',
          {},
          h('span', { class: 'who', style: `color:${colourOf(m.from?.name)}` }, m.from?.name ?? 'Unknown speaker'),
          m.timeOffset !== undefined ? h('span', { class: 'time' }, formatSeconds(m.timeOffset)) : null,
          h('span', { class: 'text' }, m.text),
          mood ? h('span', { class: `mood mood-${mood}`, title: `Polarity ${score!.toFixed(2)}` }, mood) : null,
        )
      }),
      'No messages.',
    )

    const section = <T>(id: string, r: PromiseSettledResult<T>, items: (v: T) => Node[], empty: string) => {
      const el = $(`#${id}`)
      if (r.status === 'rejected')
        fillList(el, [h('li', { class: 'empty' }, `Could not load: ${(r.reason as Error)?.message ?? r.reason}`)], '')
      else fillList(el, items(r.value), empty)
    }
    const insight = (i: Insight) =>
      h(
        'li',
        {},
        h('span', {}, i.text),
        i.from?.name ? h('span', { class: 'muted' }, ` — ${i.from.name}`) : null,
        i.assignee?.name ? h('span', { class: 'muted' }, `, for ${i.assignee.name}`) : null,
        i.dueBy ? h('span', { class: 'muted' }, `, due ${new Date(i.dueBy).toLocaleDateString()}`) : null,
      )
    section('questions', questions, (v) => v.questions.map(insight), 'No questions.')
    section('action-items', actionItems, (v) => v.actionItems.map(insight), 'No action items.')
    section('follow-ups', followUps, (v) => v.followUps.map(insight), 'No follow-ups.')
    section(
      'topics',
      topics,
      (v) => v.topics.map((t) => h('li', { title: t.score !== undefined ? `score ${t.score.toFixed(2)}` : undefined }, t.text)),
      'No topics.',
    )
    section(
      'entities',
      entities,
      (v) =>
        v.entities.map((e) =>
          'matches' in e
            ? h(
                'li',
                {},
                h('span', { class: 'tag' }, (e as GroupedEntity).subType ?? e.type),
                ` ${(e as GroupedEntity).matches.map((m) => m.detectedValue).join(', ')}`,
              )
            : h(
                'li',
                {},
                h('span', { class: 'tag' }, (e as Entity).customType ?? e.type),
                ` ${(e as Entity).text ?? (e as Entity).value ?? ''}`,
              ),
        ),
      'No entities.',
    )
    section(
      'trackers',
      trackers,
      (v) =>
        v.map((t) =>
          h(
            'li',
            {},
            h('span', { class: 'tag' }, t.name),
            ` ${[...new Set(t.matches.map((m) => m.value))].map((x) => `“${x}”`).join(', ')} (${t.matches.reduce((n, m) => n + m.messageRefs.length, 0)} mentions)`,
          ),
        ),
      'No tracker hits.',
    )

    const analyticsBox = $('#analytics')
    if (analytics.status === 'rejected')
      analyticsBox.replaceChildren(h('p', { class: 'empty' }, `Could not load: ${(analytics.reason as Error)?.message}`))
    else {
      const rows = analytics.value.members.map((m) => {
        const pct = m.talkTime?.percentage ?? 0
        return h(
          'div',
          { class: 'bar-row' },
          h('span', { class: 'bar-label' }, m.name ?? m.userId ?? 'Speaker'),
          h(
            'span',
            { class: 'bar', role: 'img', 'aria-label': `${pct.toFixed(0)} percent of talk time` },
            h('span', { class: 'bar-fill', style: `width:${Math.min(100, pct)}%;background:${colourOf(m.name)}` }),
          ),
          h(
            'span',
            { class: 'bar-value' },
            `${pct.toFixed(0)}% · ${(m.talkTime?.seconds ?? 0).toFixed(1)} s${m.pace?.wpm ? ` · ${Math.round(m.pace.wpm)} wpm` : ''}`,
          ),
        )
      })
      const metrics = analytics.value.metrics.map((m) =>
        h('li', {}, `${m.type.replace(/_/g, ' ')}: ${m.seconds.toFixed(1)} s (${m.percent.toFixed(0)}%)`),
      )
      analyticsBox.replaceChildren(
        ...(rows.length ? rows : [h('p', { class: 'empty' }, 'No speakers.')]),
        h('ul', { class: 'metrics' }, ...metrics),
      )
    }

    const summaryBox = $('#summary')
    if (summary.status === 'rejected')
      summaryBox.replaceChildren(h('p', { class: 'empty' }, `No summary: ${(summary.reason as Error)?.message}`))
    else
      summaryBox.replaceChildren(
        ...(summary.value.summary.length
          ? summary.value.summary.map((s) => h('p', {}, s.text))
          : [h('p', { class: 'empty' }, 'No summary.')]),
      )

    try {
      renderSentimentChart($('#chart'), speakerSentiment(list))
    } catch (error) {
      $('#chart').replaceChildren(h('p', { class: 'empty' }, (error as Error).message))
    }

    results.hidden = false
    results.dataset.conversationId = conversation.conversationId
    setStatus('done')
  }

  return {
    async show(conversation) {
      clearError(errors)
      setBusy(true)
      try {
        await show(conversation)
      } catch (error) {
        showError(errors, 'Could not load the conversation', error)
      } finally {
        setBusy(false)
      }
    },
  }
}
