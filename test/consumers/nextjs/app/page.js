// A server component that renders the client component: the SDK runs in the browser from here.
import { Captions } from './captions.js'

export default function Page() {
  return (
    <main>
      <h1>symbl-sdk in Next.js</h1>
      <Captions />
    </main>
  )
}
