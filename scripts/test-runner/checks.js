// Style and types, checked before any suite runs: each check is one outcome in the closing line.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const CHECKS = [
  { name: 'prettier --check', command: bin('prettier'), args: ['--check', '--log-level=warn', '.'] },
  { name: 'eslint', command: bin('eslint'), args: ['--max-warnings=0', '.'], needs: 'eslint.config.mjs' },
  { name: 'tsc --noEmit', command: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
];

/**
 * Starts every check at once in a child process (eslint and tsc are single-threaded, so two cores
 * take them side by side, and Maven's tests beside them fill the time those wait) and resolves
 * with them in order, each one outcome.
 * @returns {Promise<import('./tally').Outcome[]>}
 */
function runChecks({ log = console.log } = {}) {
  const checks = CHECKS.filter((check) => !check.needs || existsSync(join(root, check.needs)));
  for (const check of checks) log(`› ${check.name}`);
  const child = spawn(process.execPath, [__filename, ...checks.map((check) => check.name)], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`the checks could not run: ${stderr}`));
      resolve(
        JSON.parse(stdout).map(({ name, status, output }) => {
          if (status === 0) return { tier: 'checks', name, status: 'passed' };
          console.log(output);
          const first = output.split('\n').find((line) => line.trim()) ?? `exited with ${status}`;
          return { tier: 'checks', name, status: 'failed', reason: first.replace(/^\[warn\] /, '') };
        }),
      );
    });
  });
}

/** In the child: the named checks concurrently, their exit statuses and output as JSON, in order. */
function runConcurrently(names) {
  const runs = CHECKS.filter((check) => names.includes(check.name)).map(
    (check) =>
      new Promise((resolve) => {
        const child = spawn(check.command, check.args, { cwd: root });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('error', (error) => resolve({ name: check.name, status: 1, output: error.message }));
        child.on('close', (status) => resolve({ name: check.name, status, output: output.trim() }));
      }),
  );
  return Promise.all(runs).then((results) => process.stdout.write(JSON.stringify(results)));
}

if (require.main === module) void runConcurrently(process.argv.slice(2));

module.exports = { runChecks };
