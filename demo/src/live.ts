// The Live screen: microphone → Streaming API, with live captions, the finalised transcript by
// speaker, insights, topics and tracker hits as they arrive, and the connection state.
import type {
  CaptureEvent,
  Conversation,
  EncodingFallback,
  MessageFrame,
  MicrophoneHandle,
  StreamingConnection,
  StreamingStats,
  Symbl,
} from 'symbl-sdk'
import type { DemoConfig } from './client.js'
import { $, clearError, fillList, formatSeconds, h, showError } from './ui.js'

export const DEMO_TRACKERS = [
  { name: 'Pricing', vocabulary: ['price', 'pricing', 'discount', 'invoice', 'cost'] },
  { name: 'Scheduling', vocabulary: ['schedule a meeting', 'tomorrow', 'next week', 'Friday'] },
]

const INSIGHT_LABEL: Record<string, string> = { question: 'Question', action_item: 'Action item', follow_up: 'Follow-up' }

export interface LiveScreen {
  /** Stops streaming if it is on (leaving the page). */
  stop(): Promise<void>
}

export function setupLive(
  symbl: Symbl,
  config: DemoConfig,
  errors: HTMLElement,
  setState: (state: string, text: string) => void,
  onConversation: (c: Conversation) => void,
): LiveScreen {
  const form = $<HTMLFormElement>('#live-controls')
  const device = $<HTMLSelectElement>('#device')
  const startButton = $<HTMLButtonElement>('#live-start')
  const stopButton = $<HTMLButtonElement>('#live-stop')
  const muteButton = $<HTMLButtonElement>('#live-mute')
  const meter = $('#level')
  const fill = $('.meter-fill', meter)
  const caption = $('#caption')
  const transcript = $('#live-transcript')
  const insights = $('#live-insights')
  const topics = $('#live-topics')
  const trackers = $('#live-trackers')
  const result = $('#live-result')
  const badge = $('#capture-state')
  const timing = $('#live-timing')
  const encoding = $<HTMLSelectElement>('#encoding')
  const upstream = $('#live-upstream')

  if (config.mode === 'emulator') {
    const note = $('#live-note')
    note.hidden = false
    note.replaceChildren(
      h('strong', {}, 'Emulator playback. '),
      'The local emulator has no speech recognizer: your microphone audio is really streamed and timed, but the captions are a short preloaded script that plays as audio arrives.',
    )
  }

  let connection: StreamingConnection | undefined
  let mic: MicrophoneHandle | undefined
  let frame = 0
  let busy = false
  const seenTopics = new Set<string>()
  const trackerHits = new Map<string, Set<string>>()

  async function listDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return
    const chosen = device.value
    const inputs = (await navigator.mediaDevices.enumerateDevices()).filter(
      (d) => d.kind === 'audioinput' && d.deviceId && d.deviceId !== 'default',
    )
    device.replaceChildren(
      h('option', { value: '' }, 'System default'),
      ...inputs.map((d, i) => h('option', { value: d.deviceId }, d.label || `Microphone ${i + 1} (name shown after permission)`)),
    )
    device.value = inputs.some((d) => d.deviceId === chosen) ? chosen : ''
  }
  void listDevices().catch(() => {})
  navigator.mediaDevices?.addEventListener?.('devicechange', () => void listDevices().catch(() => {}))

  /** The capture badge: what the microphone is doing, in the words an app should show. */
  const BADGE: Record<string, string> = {
    starting: 'Starting…',
    live: 'Live',
    muted: 'Muted by the system',
    interrupted: 'Interrupted: click anywhere to resume',
    recovering: 'Recovering…',
    ended: 'Microphone off',
    idle: 'Microphone off',
  }
  function setBadge(phase: string, detail?: string): void {
    badge.dataset.capture = phase
    badge.textContent = BADGE[phase] ?? phase
    if (detail) badge.title = detail
    else badge.removeAttribute('title')
  }

  function onCapture(event: CaptureEvent): void {
    if (event.type === 'state') return setBadge(event.state.phase, event.message)
    // What recovers by itself is only noted; what needs the user (the system muted the input) is said plainly.
    if (event.type === 'silence' || event.type === 'recovered' || event.type === 'devicelost' || event.type === 'stalled')
      badge.title = event.message
  }

  /** The live upstream rate, from the connection's `stats` event (every second): audio bytes handed to the socket. */
  let lastSent: { bytes: number; at: number } | undefined
  function onStats(s: StreamingStats): void {
    const now = performance.now()
    if (lastSent && connection) {
      const kbits = ((s.sentBytes - lastSent.bytes) * 8) / (now - lastSent.at)
      upstream.textContent = `Upstream: ${kbits.toFixed(1)} kbit/s (${connection.encoding === 'LINEAR16' ? 'LINEAR16, 16 kHz' : 'Opus'})`
      upstream.dataset.kbits = kbits.toFixed(1)
    }
    lastSent = { bytes: s.sentBytes, at: now }
  }

  /** Opus asked for, but this browser cannot encode it: the connection streams LINEAR16 instead (said, not hidden). */
  function onFallback(f: EncodingFallback): void {
    upstream.title = f.reason
    showError(errors, 'Opus is not available here, streaming LINEAR16 16 kHz instead', new Error(f.reason))
  }

  /** After each start: from the click to the first audio sent, and to the first caption (connection.stats()). */
  function showTiming(c: StreamingConnection): void {
    const s = c.stats()
    const ms = (v: number | undefined) => (v === undefined ? '…' : `${Math.round(v)} ms`)
    const caption = s.firstInterimMs ?? s.firstFinalMs
    timing.textContent = `Click → first audio sent: ${ms(s.firstAudioSentMs)} · → first caption: ${ms(caption)}`
    timing.dataset.complete = String(caption !== undefined)
  }

  function setLevel(rms: number): void {
    // −60 dBFS … 0 dBFS → 0 … 100 %
    const db = rms > 0 ? 20 * Math.log10(rms) : -100
    const pct = Math.round(Math.max(0, Math.min(100, ((db + 60) / 60) * 100)))
    fill.style.width = `${pct}%`
    meter.setAttribute('aria-valuenow', String(pct))
    meter.setAttribute('aria-valuetext', pct === 0 ? 'silent' : `${pct} percent`)
  }

  function meterLoop(): void {
    setLevel(mic && !mic.muted ? mic.level : 0)
    frame = requestAnimationFrame(meterLoop)
  }

  function controls(running: boolean): void {
    startButton.disabled = running || busy
    device.disabled = running || busy
    encoding.disabled = running || busy
    stopButton.disabled = !running || busy
    muteButton.disabled = !running || busy
  }

  function reset(): void {
    caption.replaceChildren(h('span', { class: 'muted' }, 'Listening…'))
    fillList(transcript, [], 'Finalised sentences appear here, by speaker.')
    fillList(insights, [], 'Questions, action items and follow-ups appear here.')
    fillList(topics, [], 'None yet.')
    fillList(trackers, [], 'None yet.')
    seenTopics.clear()
    trackerHits.clear()
    result.replaceChildren()
  }

  function append(list: HTMLElement, item: HTMLElement): void {
    list.querySelector(':scope > .empty')?.remove()
    list.append(item)
  }

  function onMessage(frameIn: MessageFrame): void {
    const m = frameIn.message
    if (m.type !== 'recognition_result') return
    if (connection && timing.dataset.complete !== 'true') showTiming(connection)
    const text = m.punctuated?.transcript ?? m.payload?.raw?.alternatives?.[0]?.transcript ?? ''
    const who = m.user?.name
    caption.replaceChildren(
      ...(who ? [h('span', { class: 'who' }, `${who}: `)] : []),
      h('span', { class: m.isFinal ? 'final' : 'interim' }, text),
    )
    caption.dataset.final = String(Boolean(m.isFinal))
  }

  function subscribe(c: StreamingConnection): void {
    c.on('message', onMessage)
    c.on('message_response', (f) => {
      for (const msg of f.messages) {
        const start = msg.duration?.timeOffset
        append(
          transcript,
          h(
            'li',
            {},
            h('span', { class: 'who' }, msg.from?.name ?? 'Speaker'),
            start !== undefined ? h('span', { class: 'time' }, formatSeconds(start)) : null,
            h('span', { class: 'text' }, msg.payload.content),
          ),
        )
      }
    })
    c.on('insight_response', (f) => {
      for (const i of f.insights) {
        const text = i.payload?.content ?? i.text ?? ''
        append(
          insights,
          h('li', { 'data-type': i.type }, h('span', { class: `tag tag-${i.type}` }, INSIGHT_LABEL[i.type] ?? i.type), ` ${text}`),
        )
      }
    })
    c.on('topic_response', (f) => {
      for (const t of f.topics) {
        const phrase = t.phrases
        if (!phrase || seenTopics.has(phrase.toLowerCase())) continue
        seenTopics.add(phrase.toLowerCase())
        append(topics, h('li', {}, phrase))
      }
    })
    c.on('tracker_response', (f) => {
      for (const t of f.trackers) {
        const values = trackerHits.get(t.name) ?? new Set<string>()
        for (const m of t.matches) values.add(m.value)
        trackerHits.set(t.name, values)
      }
      fillList(
        trackers,
        [...trackerHits].map(([name, values]) =>
          h('li', {}, h('span', { class: 'tag' }, name), ` ${[...values].map((v) => `“${v}”`).join(', ')}`),
        ),
        'None yet.',
      )
    })
    c.on('open', () => setState('open', 'Connected'))
    c.on('reconnecting', (info) => {
      setState('reconnecting', `Reconnecting (attempt ${info.attempt})…`)
      if (info.attempt === 2) {
        result.replaceChildren(
          'The connection to the API was lost and the SDK is reconnecting (your audio is kept and re-sent). Press Stop to give up: the microphone is then released at once.',
        )
      }
    })
    c.on('reconnected', () => {
      setState('open', 'Connected (reconnected)')
      result.replaceChildren()
    })
    c.on('close', (info) => {
      setState('closed', info.code === 1000 ? 'Closed' : `Closed (code ${info.code})`)
      // Closed by itself (the server ended it, reconnecting gave up): back to a startable page.
      if (connection === c && !busy) release()
    })
    // Includes the microphone's own failures (a device unplugged: code 'microphone', reason 'device-lost').
    c.on('error', (error) => showError(errors, error.code === 'microphone' ? 'Microphone' : 'Streaming', error))
  }

  async function start(): Promise<void> {
    if (busy || connection) return
    clearError(errors)
    busy = true
    controls(true)
    reset()
    setState('connecting', 'Connecting…')
    timing.textContent = ''
    delete timing.dataset.complete
    upstream.textContent = ''
    delete upstream.dataset.kbits
    upstream.removeAttribute('title')
    lastSent = undefined
    setBadge('starting')
    try {
      // One call opens the microphone and the connection together: capture starts with the click, and
      // what is said while the connection opens is sent right after the start (nothing is lost).
      const c = await symbl.streaming.startConnection({
        id: `${config.liveIdPrefix}${crypto.randomUUID()}`,
        speaker: { userId: 'you@example.com', name: 'You' },
        insightTypes: ['question', 'action_item', 'follow_up'],
        config: {
          meetingTitle: 'symbl-sdk demo (live)',
          sentiment: true,
          trackers: { interimResults: false },
          // Opus: the browser encodes the microphone (WebCodecs), about 8x less upstream than LINEAR16.
          ...(encoding.value === 'OPUS' ? { speechRecognition: { encoding: 'OPUS', sampleRateHertz: 48000 } } : {}),
        },
        statsIntervalMs: 1000,
        trackers: DEMO_TRACKERS,
        // The SDK captures the microphone (AudioWorklet, resampled to the connection's 16 kHz) and
        // streams it; `c.stop()` stops the microphone first.
        microphone: {
          deviceId: device.value || undefined,
          chunkMs: 100,
          // The system default: follow it when it changes or the device goes away (the gap is sent as silence).
          followDefaultDevice: !device.value,
          // A chosen device that is lost ends capture (an `error` event, shown above); end the session with what was said.
          onEnded: (error) => {
            if (error) void stop()
          },
        },
        events: { capture: onCapture, stats: onStats, fallback: onFallback },
      })
      connection = c
      mic = c.microphone
      subscribe(c)
      setState(c.state, c.state === 'open' ? 'Connected' : c.state)
      if (mic) setBadge(mic.state.phase)
      showTiming(c)
      document.body.dataset.micSource = 'sdk'
      void listDevices().catch(() => {}) // labels are readable now
      cancelAnimationFrame(frame)
      meterLoop()
      busy = false
      controls(true)
    } catch (error) {
      busy = false
      controls(false)
      setBadge('idle')
      setState('closed', 'Not connected')
      showError(errors, 'Could not start streaming', error)
    }
  }

  /** Forgets the connection and the microphone and makes the page startable again. */
  function release(): void {
    mic = undefined
    connection = undefined
    cancelAnimationFrame(frame)
    setLevel(0)
    muteButton.setAttribute('aria-pressed', 'false')
    muteButton.textContent = 'Mute'
    setBadge('idle')
    busy = false
    controls(false)
    // No more captions are coming: do not leave "Listening…" up after the stream ended.
    if (caption.textContent === 'Listening…') caption.replaceChildren(h('span', { class: 'muted' }, 'Not listening.'))
  }

  async function stop(): Promise<void> {
    const c = connection
    if (!c || busy) return
    if (c.state === 'reconnecting') {
      // The API is unreachable: stop() would wait for it (up to its 30 s timeout). Give up now.
      busy = true
      c.close()
      release()
      setState('closed', 'Stopped (connection lost)')
      result.replaceChildren()
      showError(
        errors,
        'Stopped',
        new Error(
          'The connection to the API (or the local emulator) was lost, so this conversation could not be finalised. The microphone is released. Check that the API is reachable, then press Start again.',
        ),
      )
      return
    }
    busy = true
    controls(true)
    setState('stopping', 'Stopping…')
    try {
      const conversation = await c.stop() // stops the microphone first
      result.replaceChildren(`Stopped. Conversation ${conversation.conversationId} is saved. `)
      const open = h('button', { type: 'button', class: 'link' }, 'Show its full analysis')
      open.addEventListener('click', () => onConversation(conversation))
      result.append(open)
    } catch (error) {
      showError(errors, 'Stopping', error)
    } finally {
      release()
      if (c.state === 'closed') setState('closed', 'Stopped')
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void start()
  })
  stopButton.addEventListener('click', () => void stop())
  muteButton.addEventListener('click', () => {
    if (!mic) return
    if (mic.muted) mic.unmute()
    else mic.mute()
    muteButton.setAttribute('aria-pressed', String(mic.muted))
    muteButton.textContent = mic.muted ? 'Unmute' : 'Mute'
  })

  return { stop }
}
