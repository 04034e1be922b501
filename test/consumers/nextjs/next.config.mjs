// The app's own folder and test/consumers/shared (the round trip every consumer runs) are inside this
// root; without it Next.js guesses the root from the repository's lockfile.
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
export default { turbopack: { root }, outputFileTracingRoot: root }
