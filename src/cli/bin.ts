// The `symbl` executable (dist/node/cli.js): runs the command line and exits with its status. Only
// the exit code is set, not process.exit(): output still being written to a pipe is not cut off.
import { main } from './main.js'

// A reader that went away (`symbl … | head -1`): Node reported the EPIPE as an unhandled 'error' with
// its stack trace. On stdout the rest of the results has nowhere to go, so stop quietly with status 0,
// as command-line tools do (a caption stream is not run to its end for nobody). On stderr (`2>&1 |
// head -1`) the notes are dropped and the command ends with its own status. Other errors stay errors.
const gone = (error: NodeJS.ErrnoException) => error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED'
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (gone(error)) process.exit(0)
  throw error
})
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (!gone(error)) throw error
})

process.exitCode = await main(process.argv.slice(2))
