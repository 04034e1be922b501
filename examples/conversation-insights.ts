// Python SDK: example/Conversation_Class/conversation_class.py — read a conversation's transcript and insights.
//   SYMBL_BASE_URL=http://127.0.0.1:8787 SYMBL_APP_ID=x SYMBL_APP_SECRET=y npx tsx examples/conversation-insights.ts [conversationId]
// Without an id, it first processes a short text conversation so there is something to read.
import { Symbl } from 'symbl-sdk'

const symbl = new Symbl({ baseUrl: process.env.SYMBL_BASE_URL })

let conversationId = process.argv[2] // update with the conversation id of your conversation
if (!conversationId) {
  const conversation = await symbl.text.process({
    messages: [
      { payload: { content: 'What time works for the design review?' }, from: { name: 'Ana', userId: 'ana@example.com' } },
      { payload: { content: 'Thursday at ten. I will send the report by Friday.' }, from: { name: 'Ben', userId: 'ben@example.com' } },
      { payload: { content: "Great. I'll get back to you about the budget next week." }, from: { name: 'Ana', userId: 'ana@example.com' } },
    ],
  })
  conversationId = conversation.conversationId
}

const conversations = symbl.conversations
const show = (label: string, value: unknown) => console.log(`${label}:`, JSON.stringify(value, null, 2))
show('messages', await conversations.getMessages(conversationId))
show('conversation', await conversations.getConversation(conversationId))
show('action items', await conversations.getActionItems(conversationId))
show('follow ups', await conversations.getFollowUps(conversationId))
show('members', await conversations.getMembers(conversationId))
show('topics', await conversations.getTopics(conversationId))
show('questions', await conversations.getQuestions(conversationId))
