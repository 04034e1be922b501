// Bun: the Node quick start on Bun's own fetch and WebSocket (Bun resolves the package's `node`
// condition; the Node entry's platform then uses Bun's globals, the token as the X-API-KEY header).
// Credentials from SYMBL_APP_ID / SYMBL_APP_SECRET, the API from SYMBL_BASE_URL (the emulator).
import { countOwnGlobals, uploadFile } from '../shared/own-globals.js'
import { refusedHandshake } from '../shared/refused-handshake.js'
import { roundTrip } from '../shared/round-trip.js'

if (typeof Bun === 'undefined') throw new Error('not running on Bun')
const counts = countOwnGlobals()
const { Symbl } = await import('symbl-sdk')
if (Symbl.platform !== 'node') throw new Error(`resolved the ${Symbl.platform} build, expected node`)
const result = await roundTrip(Symbl, {})
const uploaded = await uploadFile(Symbl, new URL('../../fixtures/two-speakers-8k.wav', import.meta.url).pathname)
if (counts.webSocket !== 1 || counts.webSocketToken[0] !== 'X-API-KEY header')
  throw new Error(`expected one socket on Bun's WebSocket with the X-API-KEY header, got ${JSON.stringify(counts)}`)
if (counts.fetch < 4) throw new Error(`expected the REST calls on Bun's fetch, got ${counts.fetch}`)
// After the counts above: its own sockets are counted by itself.
const refused = await refusedHandshake(Symbl, {})
console.log(JSON.stringify({ ...result, refusedHandshake: refused, uploaded, runtime: `bun ${Bun.version}`, ownGlobals: counts }))
