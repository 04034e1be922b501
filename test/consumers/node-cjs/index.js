// Credentials from SYMBL_APP_ID / SYMBL_APP_SECRET, the API from SYMBL_BASE_URL (the emulator).
const { Symbl } = require('symbl-sdk')

if (Symbl.platform !== 'node') throw new Error(`resolved the ${Symbl.platform} build, expected node`)
if (!require.resolve('symbl-sdk').endsWith('.cjs')) throw new Error(`require resolved ${require.resolve('symbl-sdk')}`)
import('../shared/round-trip.js')
  .then(({ roundTrip }) => roundTrip(Symbl, {}))
  .then((result) => console.log(JSON.stringify(result)))
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
