// `vite build` with Vite's defaults, through its API (the repository's Vite), failing on any warning: the
// build of the Vite and strict-CSP consumers, run from each one's build.js with its own folder as the root.
import { build, createLogger } from 'vite'

export async function viteBuild(root) {
  const warnings = []
  const logger = createLogger('warn')
  const warn = logger.warn
  logger.warn = (msg, options) => {
    warnings.push(msg)
    warn(msg, options)
  }
  logger.warnOnce = logger.warn
  await build({
    root,
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
}
