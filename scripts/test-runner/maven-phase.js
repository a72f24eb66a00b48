// The Flink jobs' tests through Maven Surefire, one outcome per test method. The tier of a test
// class is its JUnit @Tag; `mvn package` also builds the jobs jar the integration tests submit
// and runs spotless:check, so a formatting or compile error is a failure here.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { tallySurefire } = require('./tally');

const root = join(__dirname, '..', '..');
const flinkDir = join(root, 'flink');
const reportsDir = join(flinkDir, 'target', 'surefire-reports');

/**
 * @param {{ tiers: string[], log?: (line: string) => void }} options
 * @returns {import('./tally').Outcome[]}
 */
function runMaven({ tiers, log = console.log }) {
  const javaTiers = tiers.filter((t) => t === 'unit' || t === 'component');
  // Integration alone still needs the jar, but none of the in-process tests.
  const selection = javaTiers.length === 0 ? ['-DskipTests'] : javaTiers.length < 2 ? [`-Dgroups=${javaTiers[0]}`] : [];
  rmSync(reportsDir, { recursive: true, force: true });
  const args = ['-B', '-q', '-f', join(flinkDir, 'pom.xml'), 'package', ...selection];
  log(`› mvn ${args.join(' ')}`);
  const status = spawnSync('mvn', args, { cwd: root, stdio: 'inherit' }).status;
  const reports = existsSync(reportsDir)
    ? readdirSync(reportsDir)
        .filter((f) => f.startsWith('TEST-') && f.endsWith('.xml'))
        .map((file) => ({ file, xml: readFileSync(join(reportsDir, file), 'utf8'), tierOf }))
    : [];
  const outcomes = tallySurefire(reports);
  if (status !== 0 && !outcomes.some((o) => o.status === 'failed')) {
    outcomes.push({
      tier: 'java',
      name: 'mvn package',
      status: 'failed',
      reason: `Maven exited with ${status}: a compile, spotless:check or build error (see above)`,
    });
  }
  return outcomes;
}

/** A test class's tier from its @Tag in the source; helper classes have none. */
function tierOf(className) {
  const file = join(flinkDir, 'src', 'test', 'java', ...className.split('.')) + '.java';
  const source = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return source.match(/@Tag\("(unit|component)"\)/)?.[1] ?? 'untagged';
}

module.exports = { runMaven };
