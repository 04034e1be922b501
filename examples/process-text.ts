// Python SDK: example/Async_API/Text_API/process_text.py — process a conversation given as text.
//   SYMBL_BASE_URL=http://127.0.0.1:8787 SYMBL_APP_ID=x SYMBL_APP_SECRET=y npx tsx examples/process-text.ts
import { Symbl } from 'symbl-sdk'

// Credentials come from SYMBL_APP_ID / SYMBL_APP_SECRET (or symbl.conf), as in the Python SDK.
const symbl = new Symbl({ baseUrl: process.env.SYMBL_BASE_URL })

const payload = {
  name: 'TextAPI', // you can update the name of the conversation
  messages: [
    {
      payload: {
        content:
          'Hi Anthony. I saw your complaints about bad call reception on your mobile phone. Can I know what issues you are currently facing?',
      },
      from: { userId: 'surbhi@example.com', name: 'Surbhi Rathore' },
    },
    {
      payload: {
        content:
          'Hey Surbhi, thanks for reaching out. Whenever I am picking up the call there is a lot of white noise and I literally can’t hear anything.',
      },
      from: { userId: 'anthony@example.com', name: 'Anthony Claudia' },
    },
    {
      payload: {
        content:
          'Okay. I can schedule a visit from one of our technicians for tomorrow afternoon at 1:00 PM. He can look at your mobile and handle any issue right away',
      },
      from: { userId: 'surbhi@example.com', name: 'Surbhi Rathore' },
    },
    {
      payload: { content: "That will be really helpful. I'll follow up with the technician about some other issues too, tomorrow" },
      from: { userId: 'anthony@example.com', name: 'Anthony Claudia' },
    },
    {
      payload: {
        content: 'Sure. We are happy to help. I am scheduling the visit for tomorrow. Thanks for using Abccorp networks. Have a good day.',
      },
      from: { userId: 'surbhi@example.com', name: 'Surbhi Rathore' },
    },
  ],
}

// Waits for the job to complete (Python's wait=True default).
const conversation = await symbl.text.process(payload)

// To get the messages from the conversation
console.dir(await conversation.getMessages(), { depth: null })

// To get the action items from the conversation
// console.dir(await conversation.getActionItems(), { depth: null })

// To get the follow ups from the conversation
// console.dir(await conversation.getFollowUps(), { depth: null })

// To get the members information from the conversation
// console.dir(await conversation.getMembers(), { depth: null })

// To get the topics from the conversation
// console.dir(await conversation.getTopics(), { depth: null })

// To get the questions from the conversation
// console.dir(await conversation.getQuestions(), { depth: null })
