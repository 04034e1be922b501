// `vite build` with Vite's defaults, failing on any warning (../shared/vite-build.js).
import { viteBuild } from '../shared/vite-build.js'

await viteBuild(import.meta.dirname)
