// Runs vitest for the chosen projects (tiers) and tallies every test. `vitest list` first, so a
// test that never reports (global setup failed, worker crashed) still counts as failed.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { tallyVitest } = require('./tally');

const root = join(__dirname, '..', '..');
const vitestBin = join(root, 'node_modules', '.bin', 'vitest');
const reporter = join(__dirname, 'counting-reporter.mjs');

/**
 * Each project (tier) runs in a vitest of its own, so a global setup that fails (the platform did
 * not start) costs that tier only. A run that exits cleanly reported every test it collected; after
 * any other run the project's tests are listed (`vitest list` with PULSE_TEST_LIST_ONLY set, which
 * tells a global setup not to start anything), so a test that never reported still counts. Listing
 * imports every file once more (77 s for the integration tier in CI), so a green run skips it.
 * @param {{ projects: string[], config?: string, resultsDir: string, extraArgs?: string[], log?: (line: string) => void }} options
 * @returns {import('./tally').Outcome[]}
 */
function runVitest({ projects, config, resultsDir, extraArgs = [], log = console.log }) {
  mkdirSync(resultsDir, { recursive: true });
  return projects.flatMap((project) => runProject({ project, config, resultsDir, extraArgs, log }));
}

function runProject({ project, config, resultsDir, extraArgs, log }) {
  const listFile = join(resultsDir, `vitest-list-${project}.json`);
  const reportFile = join(resultsDir, `vitest-report-${project}.json`);
  rmSync(listFile, { force: true });
  rmSync(reportFile, { force: true });
  const common = [...(config ? ['--config', config] : []), '--project', project, '--passWithNoTests'];

  const args = ['run', ...common, '--reporter=default', `--reporter=${reporter}`, ...extraArgs];
  log(`\n› [${project}] vitest ${args.join(' ')}`);
  const run = spawnSync(vitestBin, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PULSE_TEST_REPORT: reportFile },
  });
  const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined;
  const tests = run.status === 0 && report ? [] : listTests({ project, common, listFile, extraArgs, log });
  const runFailure =
    run.status === 0 ? undefined : `vitest exited with ${run.status ?? run.signal} (global setup failed? see above)`;
  const outcomes = tallyVitest(tests, report, { project, runFailure, allowUnnamedSkips: extraArgs.length > 0 });
  // Nonzero exit with nothing to show for it (a crash before any report): still a failure.
  if (run.status !== 0 && !outcomes.some((o) => o.status === 'failed')) {
    outcomes.push({ tier: project, name: 'vitest run', status: 'failed', reason: runFailure });
  }
  return outcomes;
}

/** Every test of the project, as `vitest list` finds them without starting anything. */
function listTests({ project, common, listFile, extraArgs, log }) {
  log(`› [${project}] listing its tests, to count those that did not report`);
  const listed = spawnSync(vitestBin, ['list', ...common, `--json=${listFile}`, ...extraArgs], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PULSE_TEST_LIST_ONLY: '1' },
  });
  if (listed.status !== 0)
    log(`! vitest list (${project}) exited with ${listed.status}; files that failed to load count as failed`);
  return existsSync(listFile) ? JSON.parse(readFileSync(listFile, 'utf8')) : [];
}

module.exports = { runVitest };
