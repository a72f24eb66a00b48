// Style and types, checked before any suite runs: each check is one outcome in the closing line.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const CHECKS = [
  { name: 'prettier --check', command: bin('prettier'), args: ['--check', '--log-level=warn', '.'] },
  { name: 'eslint', command: bin('eslint'), args: ['--max-warnings=0', '.'], needs: 'eslint.config.mjs' },
  { name: 'tsc --noEmit', command: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
];

/** @returns {import('./tally').Outcome[]} */
function runChecks({ log = console.log } = {}) {
  return CHECKS.filter((check) => !check.needs || existsSync(join(root, check.needs))).map((check) => {
    log(`› ${check.name}`);
    const result = spawnSync(check.command, check.args, { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.status === 0) return { tier: 'checks', name: check.name, status: 'passed' };
    console.log(output);
    const first = output.split('\n').find((line) => line.trim()) ?? `exited with ${result.status}`;
    return { tier: 'checks', name: check.name, status: 'failed', reason: first.replace(/^\[warn\] /, '') };
  });
}

module.exports = { runChecks };
