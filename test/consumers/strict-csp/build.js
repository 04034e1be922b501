// `vite build` with Vite's defaults, through its API (the repository's Vite), failing on any warning. The worklet
// comes in as `symbl-sdk/worklet.js?url`: Vite emits the package's file as an asset and gives its URL.
import { build, createLogger } from 'vite'

const warnings = []
const logger = createLogger('warn')
const warn = logger.warn
logger.warn = (msg, options) => {
  warnings.push(msg)
  warn(msg, options)
}
logger.warnOnce = logger.warn
await build({
  root: import.meta.dirname,
  configFile: false,
  base: './',
  customLogger: logger,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: { onwarn: (w) => warnings.push(w.message ?? String(w)) },
  },
})
if (warnings.length) process.exit(1)
