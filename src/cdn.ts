// The CDN <script> build: the global `Symbl` is the client class itself (`new Symbl({ tokenProvider })`),
// with every other export hanging off it (`Symbl.SymblError`, `Symbl.Symbl`, …). The SDK's lazily
// loaded modules are imported statically in this build (see staticImportsForCdn in vite.config.ts).
import * as api from './browser.js'

const Symbl = Object.assign(api.Symbl, api)
export default Symbl
