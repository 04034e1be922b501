// Credentials from SYMBL_APP_ID / SYMBL_APP_SECRET, the API from SYMBL_BASE_URL (the emulator).
import { Symbl } from 'symbl-sdk'
import { roundTrip } from '../shared/round-trip.js'

if (Symbl.platform !== 'node') throw new Error(`resolved the ${Symbl.platform} build, expected node`)
const result = await roundTrip(Symbl, {})
console.log(JSON.stringify(result))
