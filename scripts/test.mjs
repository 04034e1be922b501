// `npm test`: every check the project has, with one closing line `N passed, N failed`.
//   1. lint (Biome: formatting, lint rules, import cycles), build (all five bundles + types), type check,
//      publint --strict, attw --pack
//   2. vitest: Node tests and the real-browser tests (Chromium, Firefox ESR, and WebKitGTK, Safari's
//      engine, on an Xvfb display the test setup starts) on this Node, each test retried once; tests
//      that passed only on the retry are listed at the end
//   3. the consumers (scripts/test-consumers.mjs): the packed tarball installed into the apps of
//      test/consumers/ (Vite, webpack, Rollup, esbuild, Next.js, a strict-CSP page, Node ESM and CommonJS,
//      Bun, Deno, workerd, the TypeScript matrix), built and run against the emulator; browser pages in
//      Chromium and Firefox; each consumer counts as one test
//   4. the Node test project again on Node 22 and 24 (the `node` package from the npm registry)
// SYMBL_TEST_NODE_VERSIONS="" skips step 4; SYMBL_TEST_BROWSERS=chromium,webkit limits the browsers.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'

const results = { passed: 0, failed: 0, skipped: 0 }
const failures = []
const failedTests = []
const flakyTests = []
const skippedTests = []
const firstLine = (text = '') =>
  text
    .split('\n')
    .find((line) => line.trim())
    ?.trim()
    .slice(0, 300) ?? ''
mkdirSync('test-results', { recursive: true })

function check(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status === 0) results.passed++
  else results.failed++, failures.push(name)
  return r.status === 0
}

function vitest(name, args, prefix = []) {
  const out = `test-results/vitest-${name}.json`
  const flakyOut = `test-results/flaky-${name}.json`
  const errorsOut = `test-results/errors-${name}.json`
  for (const f of [out, flakyOut, errorsOut]) rmSync(f, { force: true })
  console.log(`\n=== vitest (${name})`)
  const [cmd, ...pre] = prefix.length ? prefix : ['npx']
  // One retry: a test that fails twice fails the run; one that passes only on the retry is named
  // at the end as flaky (scripts/flaky-reporter.mjs), so it gets looked at rather than hidden.
  const reporters = ['--reporter=default', '--reporter=json', '--reporter=./scripts/flaky-reporter.mjs']
  const r = spawnSync(cmd, [...pre, 'vitest', 'run', '--retry=1', ...reporters, `--outputFile.json=${out}`, ...args], {
    stdio: 'inherit',
    env: { ...process.env, SYMBL_FLAKY_OUT: flakyOut, SYMBL_ERRORS_OUT: errorsOut },
  })
  if (existsSync(flakyOut)) flakyTests.push(...JSON.parse(readFileSync(flakyOut, 'utf8')).map((t) => `[${name}] ${t}`))
  const errors = existsSync(errorsOut) ? JSON.parse(readFileSync(errorsOut, 'utf8')) : []
  return {
    name,
    status: r.status,
    report: existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined,
    // A browser that went away mid-run (vitest: "Browser connection was closed"): the files it had
    // not run yet are reported as passed with no tests, so its count is short, not failed.
    lostBrowser: errors.some((e) => /Browser connection was closed/.test(e)),
    errors,
  }
}

const isBrowserFile = (file) => file.name.includes('/test/browser/')

/** Adds a vitest run's results (the files `keep` accepts) to the totals and the lists printed at the end. */
function tally({ name, status, report, errors }, keep = () => true, countErrors = true) {
  if (!report) {
    results.failed++
    failures.push(`vitest ${name} (no report, exit ${status})`)
    return
  }
  let failedHere = 0
  for (const file of report.testResults.filter(keep)) {
    const failed = file.assertionResults.filter((a) => a.status === 'failed')
    // Named again at the very end: CI keeps only the tail of the output.
    if (file.status === 'failed' && failed.length === 0) {
      failedTests.push(`[${name}] ${file.name}: ${firstLine(file.message)}`)
      results.failed++
      failedHere++
    }
    for (const a of file.assertionResults) {
      if (a.status === 'passed') results.passed++
      else if (a.status === 'failed') {
        failedTests.push(`[${name}] ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`)
        results.failed++
        failedHere++
      } else if (a.status === 'pending' || a.status === 'skipped' || a.status === 'todo') {
        results.skipped++
        skippedTests.push(`[${name}] ${a.fullName}`)
      }
    }
  }
  // An error outside any test (vitest exits non-zero for it) is a failure too, not only a log line.
  if (countErrors)
    for (const e of errors) {
      failedTests.push(`[${name}] unhandled error: ${firstLine(e)}`)
      results.failed++
      failedHere++
    }
  if (failedHere > 0) failures.push(`vitest ${name}`)
}

// What is missing is said, never skipped silently: each tool's absence names the tests it costs and
// the command that installs it, and the closing line counts the tests that did not run.
const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0
const onPath = (cmd) => spawnSync('sh', ['-c', 'command -v "$0"', cmd], { stdio: 'ignore' }).status === 0
const browserPaths = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
  // WebKitWebDriver launches this MiniBrowser; test/browser/webkit/driver.ts starts Xvfb and the driver.
  webkit: process.env.WEBKIT_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
}
const browserPackages = { chromium: 'chromium', firefox: 'firefox-esr', webkit: 'webkit2gtk-driver xvfb' }
/** What else a browser needs: WebKit runs only with its WebDriver server and an X server. */
const browserTools = { chromium: [], firefox: [], webkit: ['WebKitWebDriver', 'Xvfb'] }
const alsoMissing = (b) => [...(existsSync(browserPaths[b]) ? [] : [browserPaths[b]]), ...browserTools[b].filter((t) => !onPath(t))]
const alsoCosts = {
  chromium: ', the demo e2e and part of the lazy-chunk e2e',
  firefox: ' and part of the lazy-chunk e2e',
  webkit: ', the demo e2e in WebKit and part of the lazy-chunk e2e',
}
const wantedBrowsers = (process.env.SYMBL_TEST_BROWSERS ?? 'chromium,firefox,webkit').split(',').filter(Boolean)
const unknownBrowsers = wantedBrowsers.filter((b) => !(b in browserPaths))
if (unknownBrowsers.length) {
  console.error(
    `SYMBL_TEST_BROWSERS names unknown browsers: ${unknownBrowsers.join(', ')} (known: ${Object.keys(browserPaths).join(', ')})`,
  )
  process.exit(2)
}
const browsers = wantedBrowsers.filter((b) => alsoMissing(b).length === 0)
const missingBrowsers = wantedBrowsers.filter((b) => !browsers.includes(b))
const missing = missingBrowsers.map(
  (b) =>
    `${b} (missing: ${alsoMissing(b).join(', ')}): the browser tests in ${b}${alsoCosts[b]} did not run; install: apt-get install -y ${browserPackages[b]}`,
)
if (!has('sox')) missing.push('sox: the tests on WAV files made by sox did not run; install: apt-get install -y sox libsox-fmt-all')
if (!has('espeak-ng'))
  missing.push('espeak-ng: the demo e2e speaks synthetic syllables instead of speech; install: apt-get install -y espeak-ng')
// Named again next to the closing line (issue 11, item 24): the lines a reader of a long run sees.
const missingNames = missing.map((m) => m.split(/[ :]/)[0])

// First and fast: formatting, lint rules and import cycles (Biome; `npm run format` fixes most).
check('lint (biome: format, lint, import cycles)', 'npx', ['biome', 'check', '.'])
check('build', 'node', ['scripts/build.mjs'])
check('type check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
check('publint --strict', 'npx', ['publint', '--strict'])
check('attw --pack', 'npx', ['attw', '--pack', '.'])

// The packed package where users build it: one test per consumer app, failed ones named at the end.
function consumers() {
  const out = 'test-results/consumers.json'
  rmSync(out, { force: true })
  console.log(
    '\n=== consumers (the packed tarball where users build it: bundlers, Next.js, a strict-CSP page, Node, Bun, Deno, workerd, TypeScript)',
  )
  const r = spawnSync('node', ['scripts/test-consumers.mjs'], { stdio: 'inherit' })
  if (!existsSync(out)) {
    results.failed++
    failures.push(`consumers (no report, exit ${r.status})`)
    return
  }
  const report = JSON.parse(readFileSync(out, 'utf8'))
  results.passed += report.passed
  results.failed += report.failed
  results.skipped += report.skipped
  for (const c of report.consumers) {
    if (c.error) failures.push(`consumer ${c.name}`), failedTests.push(`[consumers] ${c.name}: ${firstLine(c.error)}`)
    else if (c.skipped) skippedTests.push(`[consumers] ${c.name}: ${c.skipped}`)
  }
}
consumers()
const major = process.versions.node.split('.')[0]
if (browsers.length > 0) {
  process.env.SYMBL_TEST_BROWSERS = browsers.join(',')
  const run = vitest(`node${major}-and-browsers`, [])
  if (run.lostBrowser && run.report) {
    // The Node tests of that run count; the browser tests run again, once, and that run counts.
    // Named at the end with the flaky tests: a crash must stay visible, not pass silently.
    console.log(
      '\nA browser closed during the run (vitest: "Browser connection was closed"), so not all of its tests ran: the browser tests run again once.',
    )
    flakyTests.push(
      `[${run.name}] a browser's connection was lost mid-run; the browser tests were run again (see test-results/webkit.log for WebKit)`,
    )
    tally(run, (f) => !isBrowserFile(f), false)
    tally(vitest(`browsers-again`, ['--project', 'browser*']))
  } else tally(run)
  const report = run.report
  // The tests a missing browser would have run: the same files run in every browser.
  const perBrowser = report
    ? report.testResults.filter((f) => f.name.includes('/test/browser/')).reduce((n, f) => n + f.assertionResults.length, 0) /
      browsers.length
    : 0
  results.skipped += perBrowser * missingBrowsers.length
} else {
  tally(vitest(`node${major}`, ['--project', 'node']))
  // No browser to collect them in: count the browser tests in their source (it/test calls).
  const dir = 'test/browser'
  const count = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .reduce((n, f) => n + (readFileSync(`${dir}/${f}`, 'utf8').match(/^\s*(it|test)(\.\w+)?\(/gm)?.length ?? 0), 0)
  results.skipped += count * missingBrowsers.length
}
const versions = (process.env.SYMBL_TEST_NODE_VERSIONS ?? '22,24').split(',').filter(Boolean)
for (const v of versions) tally(vitest(`node${v}`, ['--project', 'node'], ['npm', 'exec', '--yes', `--package=node@${v}`, '--']))

if (flakyTests.length) console.log(`\nPassed only on a retry (flaky, to look at):\n${flakyTests.map((t) => `  ${t}`).join('\n')}`)
if (failedTests.length) console.log(`\nFailed tests:\n${failedTests.map((t) => `  ${t}`).join('\n')}`)
if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`)
if (skippedTests.length) console.log(`\nSkipped tests:\n${skippedTests.map((t) => `  ${t}`).join('\n')}`)
if (missing.length) console.log(`\nNot run, because a tool is missing:\n${missing.map((m) => `  ${m}`).join('\n')}`)
// The last line stays plain (`N passed, N failed[, N skipped]`: what CI reads), so what was missing is
// named on the line just above it.
if (missingNames.length) console.log(`\nMissing: ${missingNames.join(', ')} (the tests that need them did not run: see above)`)
console.log(
  `${missingNames.length ? '' : '\n'}${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`,
)
process.exit(results.failed > 0 ? 1 : 0)
