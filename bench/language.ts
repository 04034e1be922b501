// The emulator's language rules on the hand-labelled set (test/fixtures/language-set.ts): precision
// and recall per label, for the part the rules were written against and the held-out third.
// `npx tsx bench/language.ts --why` also lists every miss.
import { halves, report, score } from '../test/emulator/language-eval.js'

const { dev, heldOut, fresh, third } = halves()
const why = process.argv.includes('--why')
for (const [name, cases] of [
  [`rule-writing part (${dev.length} sentences)`, dev],
  [`held-out third (${heldOut.length} sentences)`, heldOut],
  [`second held-out group, written later (${fresh.length} sentences)`, fresh],
  [`third held-out group, written later still (${third.length} sentences)`, third],
] as const) {
  const s = score(cases)
  console.log(report(name, s))
  if (why) for (const m of s.misses) console.log(`    - ${m}`)
}
