// What the suites need from the machine. A missing tool is a failure that says how to install it,
// never a silent skip. Chromium is installed here when we are root, as CI is.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const PREREQUISITES = [
  {
    name: 'java',
    tiers: ['unit', 'component', 'integration'],
    present: () => onPath('java'),
    install: 'apt-get install -y openjdk-17-jdk-headless',
  },
  {
    name: 'mvn',
    tiers: ['unit', 'component', 'integration'],
    present: () => onPath('mvn'),
    install: 'apt-get install -y maven',
  },
  {
    name: 'go',
    tiers: ['integration'],
    present: () => onPath('go'),
    install: 'apt-get install -y golang (builds the Temporal CLI)',
  },
  {
    name: 'chromium',
    tiers: ['integration'],
    present: () => existsSync(chromiumPath()),
    install: `apt-get install -y chromium (or set CHROMIUM_PATH; looked for ${chromiumPath()})`,
    autoInstall: ['chromium'],
  },
];

/** Only what is missing becomes an outcome (a failure); tools that are present are not tests. */
function checkPrerequisites({ tiers, log = console.log }) {
  const needed = PREREQUISITES.filter((p) => p.tiers.some((t) => tiers.includes(t)));
  /** @type {import('./tally').Outcome[]} */
  const outcomes = needed.map((p) => {
    if (!p.present() && p.autoInstall && process.getuid?.() === 0 && !process.env.CHROMIUM_PATH) {
      log(`› installing Debian ${p.autoInstall.join(' ')} for the tests…`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      spawnSync('apt-get', ['install', '-y', '-qq', ...p.autoInstall], { stdio: 'inherit', env });
    }
    if (p.present()) return undefined;
    return { tier: 'prerequisites', name: p.name, status: 'failed', reason: `missing: ${p.install}` };
  });
  return outcomes.filter(Boolean);
}

module.exports = { checkPrerequisites };
