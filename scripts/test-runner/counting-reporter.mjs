// A vitest reporter that writes every test's state and every error no test owns (a file that
// failed to load, a beforeAll/afterAll that threw, unhandled rejections) to the JSON file named by
// PULSE_TEST_REPORT, for scripts/test-runner/tally.js to count. Runs beside the default reporter.
import { writeFileSync } from 'node:fs';

const message = (error) => {
  const text = error?.message ?? String(error);
  return error?.name && !text.startsWith(error.name) ? `${error.name}: ${text}` : text;
};

export default class CountingReporter {
  onTestRunEnd(testModules, unhandledErrors, reason) {
    const modules = testModules.map((module) => ({
      file: module.moduleId,
      project: module.project.name,
      errors: module.errors().map(message),
      suiteErrors: [...module.children.allSuites()]
        .filter((suite) => suite.errors().length > 0)
        .map((suite) => ({ name: suite.fullName, errors: suite.errors().map(message) })),
      tests: [...module.children.allTests()].map((test) => {
        const result = test.result();
        return {
          name: test.fullName,
          state: result.state,
          note: result.note,
          errors: (result.errors ?? []).map(message),
        };
      }),
    }));
    const report = { reason, modules, unhandled: unhandledErrors.map(message) };
    if (process.env.PULSE_TEST_REPORT) writeFileSync(process.env.PULSE_TEST_REPORT, JSON.stringify(report, null, 1));
  }
}
