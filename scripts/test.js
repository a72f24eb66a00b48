// `npm test`: style and type checks, the Flink jobs' tests (Maven Surefire), then the TypeScript
// tiers (vitest), the integration tier against the real services its global setup starts.
// Ends with one line `N passed, N failed[, N skipped]` that counts every test that did not pass.
// Plain JavaScript: it runs before any dependency is installed.
const { join } = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');

const TIERS = ['unit', 'component', 'integration'];
// The vitest projects of each tier, run in this order: the integration files on a platform of their
// own run after the shared platform has stopped (vitest.config.mts).
const TIER_PROJECTS = {
  unit: ['unit'],
  component: ['component'],
  integration: ['integration', 'integration-own-platform'],
};
const PHASES = ['checks', 'java', 'vitest'];

const HELP = `Usage: npm test -- [options] [-- vitest filters]

Runs the checks and the test tiers and ends with \`N passed, N failed[, N skipped]\`.

Options:
  --tier <name>     unit, component or integration; repeat or comma-separate (default: all three)
  --only <phase>    checks, java or vitest; repeat or comma-separate (default: all)
  --config <file>   the vitest config (default: vitest.config.mts)
  --project <name>  a vitest project of that config to run instead of the tiers' (repeatable)
  -h, --help        this text

Tiers (by file name):
  unit         *.spec.ts beside the code, and Java classes tagged @Tag("unit"): pure logic
  component    *.component.spec.ts, Java @Tag("component"): one app or job in-process, fakes at its ports
  integration  test/integration/**/*.test.ts and *.integration.spec.ts: the real services (pulse up);
               then *.own-platform.test.ts, each starting a platform of its own

Examples:
  npm test -- --tier unit                    quick loop: unit tests only
  npm test -- --tier component --only vitest
  npm test -- --tier integration -- test/integration/redis.test.ts`;

function parseArgs(argv) {
  const options = { tiers: [], phases: [], projects: [], config: undefined, extra: [] };
  const list = (value, allowed, flag) => {
    const values = String(value ?? '')
      .split(',')
      .filter(Boolean);
    const bad = values.filter((v) => !allowed.includes(v));
    if (values.length === 0 || bad.length > 0) {
      throw new Error(`${flag} takes ${allowed.join(', ')}; got "${value ?? ''}"`);
    }
    return values;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '--tier') options.tiers.push(...list(argv[++i], TIERS, '--tier'));
    else if (arg === '--only') options.phases.push(...list(argv[++i], PHASES, '--only'));
    else if (arg === '--config') options.config = argv[++i];
    else if (arg === '--project') options.projects.push(argv[++i]);
    else if (arg === '--') {
      options.extra.push(...argv.slice(i + 1));
      break;
    } else options.extra.push(arg);
  }
  if (options.tiers.length === 0) options.tiers = [...TIERS];
  if (options.phases.length === 0) options.phases = [...PHASES];
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`npm test: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  ensureDeps();
  const { runChecks } = require('./test-runner/checks');
  const { checkPrerequisites } = require('./test-runner/prerequisites');
  const { runMaven } = require('./test-runner/maven-phase');
  const { runVitest } = require('./test-runner/vitest-phase');
  const { printSummary } = require('./test-runner/summary');
  const { spawnSync } = require('node:child_process');

  const started = Date.now();
  // The runner's own tests run it nested and give it a folder of its own.
  const resultsDir = process.env.PULSE_TEST_RESULTS_DIR || join(root, '.pulse', 'test-results');
  const phase = (name) => options.phases.includes(name);
  const outcomes = [];
  // A run of named projects needs the platform only for the integration project (the runner's own
  // tests run fixture projects, which must not build the jar or install anything).
  const vitestProjects =
    options.projects.length > 0 ? options.projects : options.tiers.flatMap((tier) => TIER_PROJECTS[tier]);
  const needsPlatform = phase('vitest') && vitestProjects.some((project) => project.startsWith('integration'));

  outcomes.push(...checkPrerequisites({ tiers: phase('java') || needsPlatform ? options.tiers : [] }));
  // The checks run beside Maven (about a minute less on two cores); their outcomes come first.
  const checks = phase('checks') ? runChecks() : Promise.resolve([]);
  // The integration tests submit the jobs jar, so it is built even when Java tests are not chosen.
  const java = phase('java') || needsPlatform ? runMaven({ tiers: phase('java') ? options.tiers : [] }) : [];
  outcomes.push(...(await checks), ...java);
  if (needsPlatform) {
    // Downloads and builds with progress before the suites' clock starts.
    console.log(`› pulse install`);
    const installed =
      spawnSync(process.execPath, [join(root, 'bin', 'pulse.js'), 'install'], { stdio: 'inherit' }).status === 0;
    if (!installed) {
      outcomes.push({ tier: 'prerequisites', name: 'pulse install', status: 'failed', reason: 'see its output above' });
    }
  }
  if (phase('vitest')) {
    outcomes.push(
      ...runVitest({
        projects: vitestProjects,
        config: options.config,
        resultsDir,
        extraArgs: options.extra,
      }),
    );
  }
  const failed = printSummary(outcomes, Date.now() - started);
  return failed > 0 ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
