// Credentials from SYMBL_APP_ID / SYMBL_APP_SECRET, the API from SYMBL_BASE_URL (the emulator).
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Symbl } from 'symbl-sdk'
import { roundTrip } from '../shared/round-trip.js'

if (Symbl.platform !== 'node') throw new Error(`resolved the ${Symbl.platform} build, expected node`)
const result = await roundTrip(Symbl, {})

// The package's `symbl` executable, as `npx symbl` runs it from node_modules/.bin.
const text = join(tmpdir(), `symbl-consumer-${process.pid}.json`)
await writeFile(
  text,
  JSON.stringify({ messages: [{ payload: { content: 'Can you send me the report by Friday?' }, from: { name: 'Ana' } }] }),
)
const { stdout } = await promisify(execFile)(join(import.meta.dirname, 'node_modules/.bin/symbl'), ['process', text, '--json'])
const cli = JSON.parse(stdout)
if (!/^\d+$/.test(cli.conversationId) || cli.messages !== 1) throw new Error(`symbl process printed ${stdout}`)
result.cli = { conversationId: cli.conversationId, actionItems: cli.actionItems.length }
console.log(JSON.stringify(result))
