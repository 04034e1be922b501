// `vite build` with Vite's defaults, failing on any warning (../shared/vite-build.js). The worklet comes in as
// `symbl-sdk/worklet.js?url`: Vite emits the package's file as an asset and gives its URL.
import { viteBuild } from '../shared/vite-build.js'

await viteBuild(import.meta.dirname)
