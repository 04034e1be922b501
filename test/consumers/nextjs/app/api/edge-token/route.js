// The same token endpoint on Next.js's edge runtime (Vercel Edge): the package resolves through the
// `edge-light` condition to its Workers entry, which takes the credentials as options (no symbl.conf or
// node: modules there; Next.js passes the server's env as process.env). The header says which entry ran.
import { createTokenHandler, Symbl } from 'symbl-sdk'

export const runtime = 'edge'
export const dynamic = 'force-dynamic'

let handler
export async function GET(request) {
  handler ??= createTokenHandler({
    appId: process.env.SYMBL_APP_ID,
    appSecret: process.env.SYMBL_APP_SECRET,
    baseUrl: process.env.SYMBL_BASE_URL,
  })
  const response = await handler(request)
  response.headers.set('x-symbl-platform', Symbl.platform)
  return response
}
