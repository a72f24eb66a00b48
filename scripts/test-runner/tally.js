// Turns what the suites reported into one outcome per test, so the closing line counts every
// test that did not pass: failed, never run (its suite's setup failed, the global setup failed,
// the worker died), skipped without a reason, plus errors no test owns (afterAll, unhandled).
// Pure functions: the runner's own unit tests feed them reports.

/**
 * @typedef {'passed' | 'failed' | 'skipped'} Status
 * @typedef {{ tier: string, name: string, status: Status, reason?: string }} Outcome
 * @typedef {{ name: string, state: string, note?: string, errors?: string[] }} ReportedTest
 * @typedef {{ file: string, project: string, errors: string[], suiteErrors: { name: string, errors: string[] }[], tests: ReportedTest[] }} ReportedModule
 * @typedef {{ modules: ReportedModule[], unhandled: string[] }} VitestReport
 * @typedef {{ name: string, file: string, projectName: string }} ListedTest
 */

const key = (project, file, name) => `${project}\u0000${file}\u0000${name}`;
const firstLine = (text) => String(text ?? '').split('\n')[0];

/**
 * @param {ListedTest[]} listed every test `vitest list` found before the run
 * @param {VitestReport | undefined} report what the counting reporter wrote (undefined: vitest never got that far)
 * @param {{ project?: string, runFailure?: string, allowUnnamedSkips?: boolean }} [options]
 * @returns {Outcome[]}
 */
function tallyVitest(listed, report, options = {}) {
  /** @type {Outcome[]} */
  const outcomes = [];
  const modules = report?.modules ?? [];
  const reported = new Map();
  for (const module of modules) {
    for (const test of module.tests) reported.set(key(module.project, module.file, test.name), { module, test });
  }
  const seen = new Set();
  const label = (file, name) => `${relative(file)} > ${name}`;

  for (const { module, test } of reported.values()) {
    seen.add(key(module.project, module.file, test.name));
    outcomes.push(outcomeOf(module, test, options));
  }
  // Listed but never reported: the file crashed, the global setup failed or the run was cut short.
  for (const test of listed) {
    if (seen.has(key(test.projectName, test.file, test.name))) continue;
    const module = modules.find((m) => m.project === test.projectName && m.file === test.file);
    const why = module?.errors[0] ?? options.runFailure ?? 'the run ended before it';
    outcomes.push({
      tier: test.projectName,
      name: label(test.file, test.name),
      status: 'failed',
      reason: `did not run: ${firstLine(why)}`,
    });
  }
  // A file that failed to load has no tests to carry its error; an afterAll error follows tests that passed.
  for (const module of modules) {
    if (module.tests.length === 0 && module.errors.length > 0) {
      outcomes.push({
        tier: module.project,
        name: `${relative(module.file)} (file)`,
        status: 'failed',
        reason: firstLine(module.errors[0]),
      });
    }
    const testsFailed = module.tests.some((t) => t.state !== 'passed');
    if (module.tests.length > 0 && module.errors.length > 0 && !testsFailed) {
      outcomes.push({
        tier: module.project,
        name: `${relative(module.file)} (hooks)`,
        status: 'failed',
        reason: firstLine(module.errors[0]),
      });
    }
    for (const suite of module.suiteErrors) {
      const inSuite = module.tests.filter((t) => t.name.startsWith(`${suite.name} > `));
      if (inSuite.every((t) => t.state === 'passed')) {
        outcomes.push({
          tier: module.project,
          name: `${relative(module.file)} > ${suite.name} (hooks)`,
          status: 'failed',
          reason: firstLine(suite.errors[0]),
        });
      }
    }
  }
  for (const error of report?.unhandled ?? []) {
    outcomes.push({
      tier: options.project ?? 'vitest',
      name: 'unhandled error',
      status: 'failed',
      reason: firstLine(error),
    });
  }
  return outcomes;
}

/** @returns {Outcome} */
function outcomeOf(module, test, options) {
  const name = `${relative(module.file)} > ${test.name}`;
  const tier = module.project;
  if (test.state === 'passed') return { tier, name, status: 'passed' };
  if (test.state === 'failed') return { tier, name, status: 'failed', reason: firstLine(test.errors?.[0]) };
  if (test.state === 'skipped' && test.note) return { tier, name, status: 'skipped', reason: test.note };
  // A skipped test inside a suite whose beforeAll threw never ran: that is a failure.
  const setupError =
    module.suiteErrors.find((s) => test.name.startsWith(`${s.name} > `))?.errors[0] ?? module.errors[0];
  if (setupError) return { tier, name, status: 'failed', reason: `did not run: ${firstLine(setupError)}` };
  if (test.state === 'skipped' && options.allowUnnamedSkips)
    return { tier, name, status: 'skipped', reason: 'filtered out' };
  if (test.state === 'skipped') {
    return { tier, name, status: 'failed', reason: "skipped without a reason: skip with ctx.skip('why') instead" };
  }
  return { tier, name, status: 'failed', reason: `did not finish (${test.state})` };
}

/**
 * Surefire's per-class XML reports: each <testcase> with a <failure>, <error> or <skipped> child.
 * @param {{ file: string, xml: string, tierOf: (className: string) => string }[]} reports
 * @returns {Outcome[]}
 */
function tallySurefire(reports) {
  /** @type {Outcome[]} */
  const outcomes = [];
  for (const { xml, tierOf } of reports) {
    for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
      const attrs = match[1];
      const body = match[3] ?? '';
      const attr = (name) => attrs.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1] ?? '';
      const className = attr('classname');
      const tier = `java ${tierOf(className)}`;
      const name = `${className.split('.').pop()} > ${unescapeXml(attr('name'))}`;
      const problem = body.match(/<(failure|error)\b([^>]*)/);
      const skipped = body.match(/<skipped\b([^>]*)/);
      if (problem) {
        const message = problem[2].match(/message="([^"]*)"/)?.[1] ?? problem[1];
        outcomes.push({ tier, name, status: 'failed', reason: firstLine(unescapeXml(message)) });
      } else if (skipped) {
        const message = skipped[1].match(/message="([^"]*)"/)?.[1];
        outcomes.push(
          message
            ? { tier, name, status: 'skipped', reason: unescapeXml(message) }
            : { tier, name, status: 'failed', reason: 'skipped without a reason: use @Disabled("why")' },
        );
      } else {
        outcomes.push({ tier, name, status: 'passed' });
      }
    }
  }
  return outcomes;
}

/** Counts per tier and in total, in first-seen order of the tiers. */
function countByTier(outcomes) {
  const tiers = new Map();
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const outcome of outcomes) {
    if (!tiers.has(outcome.tier)) tiers.set(outcome.tier, { passed: 0, failed: 0, skipped: 0 });
    tiers.get(outcome.tier)[outcome.status] += 1;
    total[outcome.status] += 1;
  }
  return { tiers, total };
}

/** The closing line CI reads: `N passed, N failed`, with `, N skipped` when any were. */
function closingLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

const root = require('node:path').join(__dirname, '..', '..');
const relative = (file) => require('node:path').relative(root, file) || file;
const unescapeXml = (text) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#10;/g, '\n')
    .replace(/&amp;/g, '&');

module.exports = { tallyVitest, tallySurefire, countByTier, closingLine };
