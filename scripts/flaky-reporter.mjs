// A vitest reporter that lists the tests which passed only on a retry (`npm test` runs with
// --retry=1): a flaky test must stay visible rather than pass silently. Writes the list as JSON
// to the file named by SYMBL_FLAKY_OUT, which scripts/test.mjs prints at the end of the run.
import { writeFileSync } from 'node:fs'

export default class FlakyReporter {
  flaky = []

  onTestCaseResult(testCase) {
    if (testCase.diagnostic()?.flaky) this.flaky.push(`[${testCase.project.name}] ${testCase.fullName}`)
  }

  onTestRunEnd() {
    if (process.env.SYMBL_FLAKY_OUT) writeFileSync(process.env.SYMBL_FLAKY_OUT, JSON.stringify(this.flaky))
  }
}
