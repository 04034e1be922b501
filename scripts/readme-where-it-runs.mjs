// Writes the README's "Where it runs" table from the consumer suite's last run
// (test-results/consumers.md, written by `npm run test:consumers`), between the markers
// <!-- where-it-runs:start --> and <!-- where-it-runs:end -->. Not typed by hand: run
// `npm run test:consumers && npm run readme:where` and commit the result.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const source = 'test-results/consumers.md'
if (!existsSync(source)) {
  console.error(`${source} is missing: run npm run test:consumers first`)
  process.exit(1)
}
const readme = readFileSync('README.md', 'utf8')
const start = '<!-- where-it-runs:start -->'
const end = '<!-- where-it-runs:end -->'
const i = readme.indexOf(start)
const j = readme.indexOf(end)
if (i < 0 || j < i) {
  console.error(`README.md has no ${start} … ${end} markers`)
  process.exit(1)
}
const table = readFileSync(source, 'utf8').trim()
writeFileSync('README.md', `${readme.slice(0, i + start.length)}\n${table}\n${readme.slice(j)}`)
console.log('README.md: "Where it runs" updated from', source)
