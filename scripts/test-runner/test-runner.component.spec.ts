import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The runner itself, run on fixture suites that each break in one way: the closing line must
// count every test that did not pass, and the exit status must say so.
const root = join(__dirname, '..', '..');
const resultsDir = mkdtempSync(join(tmpdir(), 'pulse-runner-test-'));
const FIXTURES = [
  'before-all-throws',
  'global-setup-throws',
  'unhandled-rejection',
  'after-all-throws',
  'import-error',
  'skips',
  'all-pass',
] as const;
type Fixture = (typeof FIXTURES)[number];

interface FixtureRun {
  code: number | null;
  closing: string | undefined;
  output: string;
}

function runFixture(project: Fixture): Promise<FixtureRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
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
      // Each run its own results folder: the runs go side by side.
      {
        cwd: root,
        env: { ...process.env, PULSE_TEST_RESULTS_DIR: join(resultsDir, project), NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, closing: stdout.trim().split('\n').at(-1), output: `${stdout}${stderr}` }),
    );
  });
}

/** Runs every fixture, three at a time: each is a chain of process starts that leaves a core idle between them. */
async function runAll(): Promise<Map<Fixture, FixtureRun>> {
  const runs = new Map<Fixture, FixtureRun>();
  const queue = [...FIXTURES];
  const lane = async () => {
    for (let project = queue.shift(); project; project = queue.shift()) runs.set(project, await runFixture(project));
  };
  await Promise.all([lane(), lane(), lane()]);
  return runs;
}

// Each case starts two vitest processes (list, run) of its own: seconds, more on a busy machine;
// they all run first, side by side, and each case reads its own.
describe('npm test (scripts/test.js)', () => {
  let runs: Map<Fixture, FixtureRun>;
  const runFixtureResult = (project: Fixture) => runs.get(project)!;
  beforeAll(async () => {
    runs = await runAll();
  }, 300_000);
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

  it('should count every test of a suite whose beforeAll threw as failed', () => {
    const run = runFixtureResult('before-all-throws');
    expect(run.closing, run.output).toBe('1 passed, 3 failed');
    expect(run.output).toContain('did not run: Error: the service did not start');
    expect(run.code).toBe(1);
  });

  it('should count the tests of a project whose global setup threw as failed', () => {
    const run = runFixtureResult('global-setup-throws');
    expect(run.closing, run.output).toBe('0 passed, 2 failed');
    expect(run.code).toBe(1);
  });

  it('should count an unhandled rejection as a failure even when every test passed', () => {
    const run = runFixtureResult('unhandled-rejection');
    expect(run.closing, run.output).toBe('2 passed, 1 failed');
    expect(run.output).toContain('unhandled error: Error: nobody awaited this');
    expect(run.code).toBe(1);
  });

  it('should count an afterAll that threw as a failure', () => {
    const run = runFixtureResult('after-all-throws');
    expect(run.closing, run.output).toBe('2 passed, 1 failed');
    expect(run.output).toContain('could not stop the server');
    expect(run.code).toBe(1);
  });

  it('should count a file that cannot load as a failure', () => {
    const run = runFixtureResult('import-error');
    expect(run.closing, run.output).toBe('0 passed, 1 failed');
    expect(run.output).toContain('this file cannot load');
    expect(run.code).toBe(1);
  });

  it('should name a skip that says why and fail one that does not', () => {
    const run = runFixtureResult('skips');
    expect(run.closing, run.output).toBe('1 passed, 1 failed, 1 skipped');
    expect(run.output).toContain('skips and says why: needs a GPU');
    expect(run.output).toContain('skips silently: skipped without a reason');
    expect(run.code).toBe(1);
  });

  it('should exit 0 when everything passed', () => {
    const run = runFixtureResult('all-pass');
    expect(run.closing, run.output).toBe('2 passed, 0 failed');
    expect(run.code).toBe(0);
  });
});
