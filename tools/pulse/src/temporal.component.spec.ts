import type { Client } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { say } from './console';
import { runFollowingSteps, type StepProgress } from './temporal';

const progress = defineQuery<StepProgress>('progress');
// On vitest's fake clock: the port's latency is simulated time, advanced by the test.
const latency = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Temporal client faked at the CLI's outgoing port: a workflow that ends after `runsMs`, queries that take `queryMs`. */
function fakeClient(runsMs: number, queryMs: number) {
  const queries = { started: 0, settled: 0, concurrent: 0, maxConcurrent: 0 };
  const startedAt = Date.now();
  const handle = {
    result: () => latency(runsMs).then(() => 'done'),
    query: async () => {
      queries.started++;
      queries.maxConcurrent = Math.max(queries.maxConcurrent, ++queries.concurrent);
      await latency(queryMs);
      queries.concurrent--;
      queries.settled++;
      const steps = [{ step: 'first' }];
      if (Date.now() - startedAt >= runsMs) steps.push({ step: 'last' });
      return { steps };
    },
  };
  const client = { workflow: { start: async () => handle, getHandle: () => handle } } as unknown as Client;
  return { client, queries };
}

const run = (client: Client) =>
  runFollowingSteps(client, {
    workflow: async () => 'done',
    workflowId: 'wf',
    args: [],
    progress,
    started: 'starting',
    alreadyRunning: 'already running',
    failedAs: 'failed',
  });

describe(runFollowingSteps.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** Runs the CLI's follow to its end on the fake clock. */
  async function runToEnd(client: Client) {
    const running = run(client);
    await vi.runAllTimersAsync();
    return running;
  }

  it('should leave no progress query running when it returns, so closing the connection cannot break one', async () => {
    vi.spyOn(say, 'step').mockImplementation(() => undefined);
    // Queries slower than the half-second poll: without waiting, one would still run after the result.
    const { client, queries } = fakeClient(1_200, 700);
    await expect(runToEnd(client)).resolves.toBe('done');
    expect(queries.started).toBeGreaterThan(1);
    expect(queries.settled).toBe(queries.started);
    expect(queries.maxConcurrent).toBe(1);
  });

  it('should print the steps that happened before the end, each once', async () => {
    const steps = vi.spyOn(say, 'step').mockImplementation(() => undefined);
    const { client } = fakeClient(800, 300);
    await runToEnd(client);
    expect(steps.mock.calls.map(([line]) => line)).toEqual([
      'starting (workflow wf, see the Temporal UI)',
      '  first',
      '  last',
    ]);
  });
});
