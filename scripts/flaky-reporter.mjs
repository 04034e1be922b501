// A vitest reporter that lists the tests which passed only on a retry (`npm test` runs with
// --retry=1): a flaky test must stay visible rather than pass silently. Writes the list as JSON
// to the file named by SYMBL_FLAKY_OUT, which scripts/test.mjs prints at the end of the run. The run's
// unhandled errors go to SYMBL_ERRORS_OUT (messages and causes as text): a browser that closed mid-run
// shows only there, not in the JSON report.
import { writeFileSync } from 'node:fs'

export default class FlakyReporter {
  flaky = []

  onTestCaseResult(testCase) {
    if (testCase.diagnostic()?.flaky) this.flaky.push(`[${testCase.project.name}] ${testCase.fullName}`)
  }

  onTestRunEnd(_testModules, unhandledErrors = []) {
    if (process.env.SYMBL_FLAKY_OUT) writeFileSync(process.env.SYMBL_FLAKY_OUT, JSON.stringify(this.flaky))
    if (process.env.SYMBL_ERRORS_OUT) writeFileSync(process.env.SYMBL_ERRORS_OUT, JSON.stringify(unhandledErrors.map(describe)))
  }
}

/** An error and its causes as one line of text. */
function describe(error) {
  const parts = []
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++) parts.push(`${e.name ?? 'Error'}: ${e.message ?? String(e)}`)
  return parts.join(' <- ')
}
