// Deno: the Node quick start on Deno's own fetch and WebSocket (Deno resolves the package's `node`
// condition from node_modules; the Node entry's platform then uses Deno's globals, the token as the
// subprotocol since Deno's WebSocket takes no headers). Credentials from SYMBL_APP_ID /
// SYMBL_APP_SECRET, the API from SYMBL_BASE_URL (the emulator).
import { countOwnGlobals, uploadFile } from '../shared/own-globals.js'
import { refusedHandshake } from '../shared/refused-handshake.js'
import { roundTrip } from '../shared/round-trip.js'

if (typeof Deno === 'undefined') throw new Error('not running on Deno')
const counts = countOwnGlobals()
const { Symbl } = await import('symbl-sdk')
if (Symbl.platform !== 'node') throw new Error(`resolved the ${Symbl.platform} build, expected node`)
const result = await roundTrip(Symbl, {})
const uploaded = await uploadFile(Symbl, new URL('../../fixtures/two-speakers-8k.wav', import.meta.url).pathname)
if (counts.webSocket !== 1 || counts.webSocketToken[0] !== 'subprotocol')
  throw new Error(`expected one socket on Deno's WebSocket with the token as subprotocol, got ${JSON.stringify(counts)}`)
if (counts.fetch < 4) throw new Error(`expected the REST calls on Deno's fetch, got ${counts.fetch}`)
// After the counts above: its own sockets are counted by itself.
const refused = await refusedHandshake(Symbl, {})
console.log(JSON.stringify({ ...result, refusedHandshake: refused, uploaded, runtime: `deno ${Deno.version.deno}`, ownGlobals: counts }))
