// The round trip every consumer makes against the emulator, given the `Symbl` class the consumer
// imported from its own installed `symbl-sdk` (this file imports nothing from the package, so it
// cannot resolve it any other way than the consumer did). Plain JavaScript: bundled into the
// browser consumers, imported by the Node ones.
export async function roundTrip(Symbl, options) {
  const symbl = new Symbl(options)
  const steps = []

  const conversation = await symbl.text.process({
    messages: [
      { payload: { content: 'I really love this new plan, it is great.' }, from: { name: 'Ana', userId: 'ana@example.com' } },
      { payload: { content: 'Can you send me the report by Friday?' }, from: { name: 'Raj', userId: 'raj@example.com' } },
    ],
  })
  if (!conversation.conversationId) throw new Error('text.process: no conversation id')
  steps.push('text.process')

  const { messages } = await conversation.getMessages({ sentiment: true })
  if (!Array.isArray(messages) || messages.length !== 2) throw new Error(`getMessages: ${messages?.length} messages, expected 2`)
  if (!messages.every((m) => typeof m.sentiment?.polarity?.score === 'number'))
    throw new Error(`getMessages({ sentiment: true }): no sentiment in ${JSON.stringify(messages[0])}`)
  steps.push('getMessages')

  const connection = await symbl.streaming.startConnection({
    speaker: { userId: 'ana@example.com', name: 'Ana' },
    config: { meetingTitle: 'consumer round trip' }, // LINEAR16 at 16 kHz, the default
  })
  // One second of a 440 Hz tone as 16-bit little-endian PCM at 16 kHz: no microphone needed.
  const pcm = new Uint8Array(32000)
  const view = new DataView(pcm.buffer)
  for (let i = 0; i < 16000; i++) view.setInt16(i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)), true)
  await connection.sendAudio(pcm)
  const streamed = await connection.stop()
  if (!streamed?.conversationId) throw new Error('streaming stop(): no conversation id')
  steps.push('streaming')

  return {
    ok: true,
    steps,
    conversationId: conversation.conversationId,
    messages: messages.length,
    streamingConversationId: streamed.conversationId,
  }
}
