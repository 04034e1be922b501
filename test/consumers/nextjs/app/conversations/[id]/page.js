// A server component that reads a conversation on the server: the Node entry, app id/secret and the API
// address from the server's env. Rendered per request.
import { Symbl } from 'symbl-sdk'

export const dynamic = 'force-dynamic'

export default async function ConversationPage({ params }) {
  const { id } = await params
  const symbl = new Symbl()
  const { messages } = await symbl.conversations.getMessages(id, { sentiment: true })
  return (
    <main>
      <h1 id="platform">{Symbl.platform}</h1>
      <ul id="messages">
        {messages.map((m) => (
          <li key={m.id}>
            {m.from?.name}: {m.text} ({m.sentiment?.polarity?.score})
          </li>
        ))}
      </ul>
    </main>
  )
}
