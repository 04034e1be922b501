// Python SDK: example/Telephony_API/telephony_pstn.py — have Symbl dial into a call (e.g. a Zoom
// meeting's phone number), receive live results, stop, and read the conversation.
//   SYMBL_BASE_URL=http://127.0.0.1:8787 SYMBL_APP_ID=x SYMBL_APP_SECRET=y npx tsx examples/telephony-pstn.ts [phoneNumber] [seconds]
// The local emulator does not dial: it plays a preloaded transcript (if any) to subscribers of the call.
import { Symbl } from 'symbl-sdk'

const symbl = new Symbl({ baseUrl: process.env.SYMBL_BASE_URL })

const phoneNumber = process.argv[2] ?? '14087778888' // the phone number to call, from the meeting invitation
const seconds = Number(process.argv[3] ?? 5) // how long to listen before stopping
const meetingId = '' // your Zoom meeting id
const password = '' // your Zoom meeting passcode
const emailId = 'user@example.com' // where the summary email of the meeting goes

const connection = await symbl.telephony.startPstn({
  phoneNumber,
  dtmf: meetingId ? `,,${meetingId}#,,${password}#` : undefined,
  actions: [{ invokeOn: 'stop', name: 'sendSummaryEmail', parameters: { emails: [emailId] } }],
  data: { session: { name: 'Meeting name' } },
})
console.log(`call started: connectionId ${connection.connectionId}, conversationId ${connection.conversationId}`)

// Here are the events of the Telephony API; keep the ones you need.
connection.subscribe({
  transcript_response: (frame) => frame.isFinal && console.log('transcript response:', frame.payload.content),
  message_response: (frame) =>
    console.log('message response:', frame.messages.map((m) => `${m.from?.name ?? '?'}: ${m.payload.content}`).join(' | ')),
  // insight_response: (frame) => console.log('insight response:', frame.insights),
  // topic_response: (frame) => console.log('topic response:', frame.topics),
  error: (error) => console.error('error:', error.message),
})

// Stop after some time (Python: connection_object.stop()).
await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
const stopped = await connection.stop()
console.log('call stopped; summary:', JSON.stringify(stopped.summaryInfo ?? []))

// To get the messages from the meeting
console.dir(await connection.conversation?.getMessages(), { depth: null })

// To get the action items / follow ups / members / topics / questions from the meeting
// console.dir(await connection.conversation?.getActionItems(), { depth: null })
