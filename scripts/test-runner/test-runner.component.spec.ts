import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The runner itself, run on fixture suites that each break in one way: the closing line must
// count every test that did not pass, and the exit status must say so.
const root = join(__dirname, '..', '..');
const resultsDir = mkdtempSync(join(tmpdir(), 'pulse-runner-test-'));

function runFixture(project: string) {
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'scripts', 'test.js'),
      '--only',
      'vitest',
      '--config',
      join(__dirname, 'fixtures', 'vitest.fixtures.mts'),
      '--project',
      project,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, PULSE_TEST_RESULTS_DIR: resultsDir, NO_COLOR: '1' } },
  );
  const lines = `${result.stdout}`.trim().split('\n');
  return { code: result.status, closing: lines.at(-1), output: `${result.stdout}${result.stderr}` };
}

// Each case starts two vitest processes (list, run) of its own: seconds, more on a busy machine.
describe('npm test (scripts/test.js)', { timeout: 120_000 }, () => {
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

  it('should count every test of a suite whose beforeAll threw as failed', () => {
    const run = runFixture('before-all-throws');
    expect(run.closing, run.output).toBe('1 passed, 3 failed');
    expect(run.output).toContain('did not run: Error: the service did not start');
    expect(run.code).toBe(1);
  });

  it('should count the tests of a project whose global setup threw as failed', () => {
    const run = runFixture('global-setup-throws');
    expect(run.closing, run.output).toBe('0 passed, 2 failed');
    expect(run.code).toBe(1);
  });

  it('should count an unhandled rejection as a failure even when every test passed', () => {
    const run = runFixture('unhandled-rejection');
    expect(run.closing, run.output).toBe('2 passed, 1 failed');
    expect(run.output).toContain('unhandled error: Error: nobody awaited this');
    expect(run.code).toBe(1);
  });

  it('should count an afterAll that threw as a failure', () => {
    const run = runFixture('after-all-throws');
    expect(run.closing, run.output).toBe('2 passed, 1 failed');
    expect(run.output).toContain('could not stop the server');
    expect(run.code).toBe(1);
  });

  it('should count a file that cannot load as a failure', () => {
    const run = runFixture('import-error');
    expect(run.closing, run.output).toBe('0 passed, 1 failed');
    expect(run.output).toContain('this file cannot load');
    expect(run.code).toBe(1);
  });

  it('should name a skip that says why and fail one that does not', () => {
    const run = runFixture('skips');
    expect(run.closing, run.output).toBe('1 passed, 1 failed, 1 skipped');
    expect(run.output).toContain('skips and says why: needs a GPU');
    expect(run.output).toContain('skips silently: skipped without a reason');
    expect(run.code).toBe(1);
  });

  it('should exit 0 when everything passed', () => {
    const run = runFixture('all-pass');
    expect(run.closing, run.output).toBe('2 passed, 0 failed');
    expect(run.code).toBe(0);
  });
});
