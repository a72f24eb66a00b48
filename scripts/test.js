// `npm test`: the Flink jobs' tests (Maven Surefire), then every TypeScript test (vitest), the
// integration ones against the real services that the test setup starts. Ends with one line
// `N passed, N failed` over both.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');

const resultsDir = join(root, '.pulse', 'test-results');

function run(command, args) {
  console.log(`› ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status;
}

/** Surefire writes one XML report per test class; its counts are on the root element. */
function surefireCounts() {
  const dir = join(root, 'flink', 'target', 'surefire-reports');
  if (!existsSync(dir)) return { passed: 0, failed: 0 };
  let total = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of readdirSync(dir).filter((f) => f.startsWith('TEST-') && f.endsWith('.xml'))) {
    const head = readFileSync(join(dir, file), 'utf8').match(/<testsuite [^>]*>/)?.[0] ?? '';
    const attr = (name) => Number(head.match(new RegExp(` ${name}="(\\d+)"`))?.[1] ?? 0);
    total += attr('tests');
    failed += attr('failures') + attr('errors');
    skipped += attr('skipped');
  }
  return { passed: total - failed - skipped, failed };
}

function vitestCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests };
}

/** The browser tests drive Debian's Chromium through playwright-core; no browser is downloaded. */
function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return 0;
  if (process.getuid?.() !== 0) {
    console.log('! /usr/bin/chromium is missing: run `sudo apt-get install -y chromium` for the browser tests');
    return 0;
  }
  console.log('› installing Debian chromium for the browser tests…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status;
  return update || spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env }).status;
}

ensureDeps();
ensureChromium();
mkdirSync(resultsDir, { recursive: true });
const summary = [];

// 1. Java: builds the jobs jar (the Flink integration test submits it) and runs Surefire.
rmSync(join(root, 'flink', 'target', 'surefire-reports'), { recursive: true, force: true });
const mavenStatus = run('mvn', ['-B', '-q', '-f', join(root, 'flink', 'pom.xml'), 'package']);
const java = surefireCounts();
if (mavenStatus !== 0 && java.failed === 0) java.failed = 1; // a build failure counts as one
summary.push(['Flink jobs (Maven Surefire)', java]);

// 2. Components the integration tests need, installed with progress before the clock starts.
const installStatus = run(process.execPath, [join(root, 'bin', 'pulse.js'), 'install']);

// 3. TypeScript: unit tests, then integration tests against the real platform.
const vitestReport = join(resultsDir, 'vitest.json');
rmSync(vitestReport, { force: true });
const vitestStatus =
  installStatus === 0
    ? run(join(root, 'node_modules', '.bin', 'vitest'), [
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${vitestReport}`,
      ])
    : 1;
const ts = vitestCounts(vitestReport);
if (vitestStatus !== 0 && ts.failed === 0) ts.failed = 1; // setup failure: no test could report
summary.push(['TypeScript (vitest)', ts]);

const passed = summary.reduce((n, [, c]) => n + c.passed, 0);
const failed = summary.reduce((n, [, c]) => n + c.failed, 0);
console.log('');
for (const [name, counts] of summary) console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
