// The msw front over the same core: REST through setupServer, in-process (no sockets).

import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { EmulatorCore } from '../../src/emulator/index.js'
import { createEmulatorHandlers } from '../../src/emulator/msw.js'

const core = new EmulatorCore({ jobDelayMs: 0 })
const server = setupServer(...createEmulatorHandlers(core, { baseUrl: 'https://api.symbl.test' }))
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => {
  server.close()
  core.dispose()
})

it('serves the API in-process through msw handlers, with faults', async () => {
  const base = 'https://api.symbl.test'
  const tokenRes = await fetch(`${base}/oauth2/token:generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'application', appId: 'a', appSecret: 'b' }),
  })
  const { accessToken } = (await tokenRes.json()) as { accessToken: string }
  const headers = { 'x-api-key': accessToken, 'content-type': 'application/json' }
  const submit = await fetch(`${base}/v1/process/text`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ messages: [{ payload: { content: 'Is this working?' } }] }),
  })
  expect(submit.status).toBe(201)
  const { conversationId } = (await submit.json()) as { conversationId: string }
  await core.idle()
  const questions = (await (await fetch(`${base}/v1/conversations/${conversationId}/questions`, { headers })).json()) as {
    questions: Array<{ text: string }>
  }
  expect(questions.questions.map((q) => q.text)).toEqual(['Is this working?'])
  // The loopback pages (summaryUrl, insights UI) come through msw too, as HTML.
  const exp = (await (
    await fetch(`${base}/v1/conversations/${conversationId}/experiences`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'verbose-text-summary' }),
    })
  ).json()) as { url: string }
  expect((await fetch(`${base}/meeting/${conversationId}`)).status).toBe(404) // without its key
  const page = await fetch(exp.url)
  expect(page.headers.get('content-type')).toMatch(/^text\/html/)
  expect(await page.text()).toContain('Is this working?')
  core.faults.failNext({ path: '/v1/conversations/*', status: 500 })
  expect((await fetch(`${base}/v1/conversations/${conversationId}`, { headers })).status).toBe(500)
  expect((await fetch(`${base}/v1/conversations/${conversationId}`, { headers: {} })).status).toBe(401)
})
