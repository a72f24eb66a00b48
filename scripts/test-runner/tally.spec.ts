import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closingLine, countByTier, tallySurefire, tallyVitest } from './tally';

const root = join(__dirname, '..', '..');
const file = join(root, 'test', 'integration', 'some.test.ts');
const listed = (...names: string[]) => names.map((name) => ({ name, file, projectName: 'integration' }));
const module = (tests: { name: string; state: string; note?: string }[], extra: object = {}) => ({
  file,
  project: 'integration',
  errors: [] as string[],
  suiteErrors: [] as { name: string; errors: string[] }[],
  tests,
  ...extra,
});

describe('tallyVitest', () => {
  it('should count passed and failed tests as reported', () => {
    const outcomes = tallyVitest(listed('a', 'b'), {
      modules: [
        module([
          { name: 'a', state: 'passed' },
          { name: 'b', state: 'failed' },
        ]),
      ],
      unhandled: [],
    });
    expect(countByTier(outcomes).total).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  it('should count a listed test that never reported as failed, with the run failure as its reason', () => {
    const outcomes = tallyVitest(listed('a', 'b'), undefined, { runFailure: 'global setup failed' });
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['failed', 'did not run: global setup failed'],
      ['failed', 'did not run: global setup failed'],
    ]);
  });

  it('should count the skipped tests of a suite whose beforeAll threw as failed', () => {
    const outcomes = tallyVitest(listed('s > a', 'b'), {
      modules: [
        module(
          [
            { name: 's > a', state: 'skipped' },
            { name: 'b', state: 'passed' },
          ],
          {
            suiteErrors: [{ name: 's', errors: ['Error: no platform'] }],
          },
        ),
      ],
      unhandled: [],
    });
    expect(outcomes.find((o) => o.name.endsWith('s > a'))).toMatchObject({
      status: 'failed',
      reason: 'did not run: Error: no platform',
    });
  });

  it('should add one failure for an afterAll error after passing tests, and one per unhandled error', () => {
    const outcomes = tallyVitest(listed('s > a'), {
      modules: [
        module([{ name: 's > a', state: 'passed' }], { suiteErrors: [{ name: 's', errors: ['Error: stop'] }] }),
      ],
      unhandled: ['Error: late rejection'],
    });
    expect(countByTier(outcomes).total).toEqual({ passed: 1, failed: 2, skipped: 0 });
  });

  it('should count a skip with a note as skipped and one without as failed, unless tests were filtered', () => {
    const report = {
      modules: [
        module([
          { name: 'why', state: 'skipped', note: 'needs a GPU' },
          { name: 'silent', state: 'skipped' },
        ]),
      ],
      unhandled: [],
    };
    expect(countByTier(tallyVitest(listed('why', 'silent'), report)).total).toEqual({
      passed: 0,
      failed: 1,
      skipped: 1,
    });
    const filtered = tallyVitest(listed('why', 'silent'), report, { allowUnnamedSkips: true });
    expect(countByTier(filtered).total).toEqual({ passed: 0, failed: 0, skipped: 2 });
  });

  it('should count a file that failed to load once', () => {
    const outcomes = tallyVitest([], { modules: [module([], { errors: ['SyntaxError: x'] })], unhandled: [] });
    expect(outcomes).toEqual([
      { tier: 'integration', name: 'test/integration/some.test.ts (file)', status: 'failed', reason: 'SyntaxError: x' },
    ]);
  });
});

describe('tallySurefire', () => {
  it('should read each test method, its failure, error or skip reason', () => {
    const xml = `<testsuite tests="4">
      <testcase name="passes" classname="dev.x.ATest" time="0.1"/>
      <testcase name="fails" classname="dev.x.ATest"><failure message="expected &lt;1&gt;" type="x"/></testcase>
      <testcase name="errs" classname="dev.x.ATest"><error message="boom"/></testcase>
      <testcase name="skips" classname="dev.x.ATest"><skipped message="needs Docker"/></testcase>
      <testcase name="silent" classname="dev.x.ATest"><skipped/></testcase>
    </testsuite>`;
    const outcomes = tallySurefire([{ file: 'TEST-dev.x.ATest.xml', xml, tierOf: () => 'unit' }]);
    expect(outcomes.map((o) => [o.name, o.status, o.reason])).toEqual([
      ['ATest > passes', 'passed', undefined],
      ['ATest > fails', 'failed', 'expected <1>'],
      ['ATest > errs', 'failed', 'boom'],
      ['ATest > skips', 'skipped', 'needs Docker'],
      ['ATest > silent', 'failed', 'skipped without a reason: use @Disabled("why")'],
    ]);
    expect(outcomes.every((o) => o.tier === 'java unit')).toBe(true);
  });
});

describe('closingLine', () => {
  it('should print the plain line CI reads, with skips only when there are any', () => {
    expect(closingLine({ passed: 3, failed: 0, skipped: 0 })).toBe('3 passed, 0 failed');
    expect(closingLine({ passed: 3, failed: 1, skipped: 2 })).toBe('3 passed, 1 failed, 2 skipped');
  });
});
