// A two-speaker support call (the Python SDK's Text API example, extended so that every insight
// type and both sentiments show up), as "Speaker: text" lines, and the parser for pasted text.
import type { TextMessage } from 'symbl-sdk'

export const SAMPLE_CONVERSATION = `Surbhi: Hi Anthony. I saw your complaints about bad call reception on your mobile phone. Can I know what issues you are currently facing?
Anthony: Hey Surbhi, thanks for reaching out. Whenever I am picking up the call there is a lot of white noise and I literally can't hear anything. It is really frustrating and annoying.
Surbhi: I am sorry about that. Okay. I can schedule a visit from one of our technicians for tomorrow afternoon at 1:00 PM. He can look at your mobile and handle any issue right away.
Anthony: That will be really helpful. Can you also send me the invoice for last month by Friday?
Surbhi: Sure, I will send you the invoice by email today.
Anthony: Great, thank you. I'll follow up with the technician about some other issues too, tomorrow.
Surbhi: Wonderful. We are happy to help. I am scheduling the visit for tomorrow. Thanks for using Abccorp networks. Have a good day.`

/**
 * Parses "Name: text" lines into Text API messages; lines without a "Name:" prefix continue the
 * previous speaker (or "Speaker 1"). Throws an Error with a plain message when nothing is left.
 */
export function parseConversation(text: string): TextMessage[] {
  const messages: TextMessage[] = []
  let speaker = 'Speaker 1'
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line) continue
    const match = /^([^:]{1,40}):\s*(.+)$/.exec(line)
    if (match && !/^https?$/i.test(match[1])) {
      speaker = match[1].trim()
      messages.push({
        payload: { content: match[2].trim() },
        from: { name: speaker, userId: `${speaker.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com` },
      })
    } else {
      messages.push({ payload: { content: line }, from: { name: speaker } })
    }
  }
  if (messages.length === 0)
    throw new Error('The conversation is empty. Paste some lines such as "Ana: Can you send the report?", or load the sample.')
  return messages
}
