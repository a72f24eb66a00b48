import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import type { LogRecord } from '../testing/recording-logger';
import { TrendingService } from './trending.service';

const logs = vi.hoisted(() => [] as LogRecord[]);
vi.mock('@social-pulse/observability', async (importOriginal) => {
  const { recordingLogger } = await import('../testing/recording-logger');
  return {
    ...(await importOriginal<typeof import('@social-pulse/observability')>()),
    createLogger: (service: string) => recordingLogger(service, logs),
  };
});

const START = new Date('2025-06-01T12:00:00.000Z');

/** Lets the promise chains a timer callback started settle, without waiting on the clock. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(TrendingService.name, () => {
  let api: ApiTestApp;

  beforeEach(() => {
    logs.length = 0;
  });

  afterEach(async () => {
    await api.close();
    vi.useRealTimers();
  });

  describe('without requests', () => {
    beforeEach(async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'setTimeout', 'Date'], now: START });
      api = await startApiTestApp();
    });

    it('should never query ClickHouse on its own: the refresh workflows keep the keys warm', async () => {
      await vi.advanceTimersByTimeAsync(60_000);
      await settle();

      expect(api.clickhouse.queries).toEqual([]);
      expect(api.redis.answerWrites).toEqual([]);
    });
  });
});
