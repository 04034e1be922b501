// The `symbl` executable (dist/node/cli.js): runs the command line and exits with its status. Only
// the exit code is set, not process.exit(): output still being written to a pipe is not cut off.
import { main } from './main.js'

process.exitCode = await main(process.argv.slice(2))
