// Under the page's CSP (the runner serves it with package.json's contentSecurityPolicy):
//   1. captureMicrophone without workletUrl must fail at once with a MicrophoneError naming workletUrl
//      (the default blob: worklet is blocked), not hang;
//   2. with workletUrl = the package's own worklet file (emitted by Vite from `symbl-sdk/worklet.js?url`),
//      the browser's fake microphone streams to the emulator for two seconds, and the emulator's
//      conversation has the audio's messages.
// The result goes to window.__result and document.title, where the runner reads it.
import { captureMicrophone, MicrophoneError, Symbl } from 'symbl-sdk'
import workletUrl from 'symbl-sdk/worklet.js?url'

const api = new URLSearchParams(location.search).get('api')
const violations = []
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function refusedWithoutWorkletUrl() {
  const started = performance.now()
  const outcome = await Promise.race([
    captureMicrophone({ onChunk: () => {} }).then(
      async (handle) => {
        await handle.stop()
        return new Error('captureMicrophone without workletUrl captured: the CSP did not block the blob: worklet')
      },
      (error) => error,
    ),
    sleep(10_000).then(() => new Error('captureMicrophone without workletUrl neither failed nor captured within 10 s (a hang)')),
  ])
  if (!(outcome instanceof MicrophoneError)) throw outcome
  if (
    outcome.reason !== 'worklet-unavailable' ||
    !outcome.message.includes('workletUrl') ||
    !outcome.message.includes('symbl-sdk/worklet.js')
  )
    throw new Error(`expected a worklet-unavailable MicrophoneError naming workletUrl, got ${outcome.reason}: ${outcome.message}`)
  return { message: outcome.message, ms: Math.round(performance.now() - started) }
}

async function streamsWithWorkletUrl() {
  const symbl = new Symbl({
    baseUrl: api,
    tokenProvider: ({ rejectedToken }) =>
      fetch('/symbl-token', { headers: rejectedToken ? { 'x-symbl-rejected-token': rejectedToken } : {} }).then((r) => r.json()),
  })
  const connection = await symbl.streaming.startConnection({
    speaker: { userId: 'ana@example.com', name: 'Ana' },
    config: { meetingTitle: 'strict CSP microphone' }, // LINEAR16 at 16 kHz, the default
  })
  let chunks = 0
  let bytes = 0
  let peak = 0
  const mic = await captureMicrophone({
    workletUrl,
    constraints: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    onChunk: (pcm) => {
      chunks++
      bytes += pcm.byteLength
      connection.sendAudio(pcm)
    },
    onLevel: (rms) => {
      peak = Math.max(peak, rms)
    },
  })
  await sleep(2000)
  await mic.stop()
  const { conversationId } = await connection.stop()
  if (chunks < 50 || bytes < 16000 * 2 * 1.5) throw new Error(`only ${chunks} chunks (${bytes} bytes) in 2 s of capture`)
  if (!(peak > 0)) throw new Error('the microphone delivered only silence')
  // The emulator heard it: each 0.6 s tone of the fake microphone (the runner's looped WAV) is a speech
  // segment there, a message '[unrecognised speech]' (it has no recognizer) timed on the audio it received.
  const { messages } = await symbl.conversations.getMessages(conversationId)
  if (!messages.some((m) => m.metadata?.unrecognised === true))
    throw new Error(`the emulator made no message from the streamed audio: ${JSON.stringify(messages).slice(0, 300)}`)
  return {
    conversationId,
    chunks,
    bytes,
    peak: Number(peak.toFixed(3)),
    messages: messages.map((m) => `${m.text} ${m.startTime}–${m.endTime}`),
  }
}

/** The policy is in force: the page's own response carries it, and eval is refused. */
async function policyInForce() {
  const policy = (await fetch(location.href)).headers.get('content-security-policy') ?? ''
  if (!/script-src 'self';/.test(policy) || !/worker-src 'self';/.test(policy))
    throw new Error(`the page is served without the strict CSP: ${policy}`)
  try {
    new Function('return 1')()
  } catch (error) {
    if (error instanceof EvalError) return policy
    throw error
  }
  throw new Error('eval ran: the CSP is not enforced')
}

async function run() {
  if (Symbl.platform !== 'browser') throw new Error(`resolved the ${Symbl.platform} build, expected browser`)
  const policy = await policyInForce()
  if (!new URL(workletUrl, location.href).pathname.endsWith('.js')) throw new Error(`workletUrl is not a served file: ${workletUrl}`)
  const refused = await refusedWithoutWorkletUrl()
  const streamed = await streamsWithWorkletUrl()
  return {
    ok: true,
    steps: ['policy in force', 'refused without workletUrl', 'streamed with workletUrl'],
    policy,
    refused,
    ...streamed,
    workletUrl,
    violations,
  }
}

run().then(
  (result) => {
    window.__result = result
    document.title = 'ok'
  },
  (error) => {
    window.__result = { ok: false, error: `${error?.name}: ${error?.message}`, violations }
    document.title = 'failed'
  },
)
