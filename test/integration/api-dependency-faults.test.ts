import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, createClickHouse, migrate, readMigrations } from '@social-pulse/clickhouse';
import {
  startApi,
  startChdbServer,
  startRedisServer,
  stopChdbServer,
  type AppProcess,
  type ChdbServerProcess,
  type RedisServerProcess,
} from '@social-pulse/testing';

/**
 * The API with its Redis and ClickHouse each stopped and frozen (SIGSTOP: the port accepts and
 * never answers), then both. Redis, ClickHouse and the API are processes of this test's own, so
 * the platform's are never touched. Every answer must come within the configured timeouts.
 */
describe('API when a dependency is down or hung', () => {
  const config = {
    REDIS_TIMEOUT_MS: 100,
    CLICKHOUSE_TIMEOUT_MS: 1_000,
    DEPENDENCY_FAILURES_TO_OPEN: 3,
    DEPENDENCY_OPEN_MS: 1_000,
    ANSWER_MAX_STALE_SECONDS: 600,
  };
  /** What answering one request may take beyond its dependencies' timeouts, on a busy 2-core machine. */
  const REQUEST_ALLOWANCE_MS = 300;
  const KEY = 'pulse-dev-api-key';
  let redisServer: RedisServerProcess;
  let clickhouseServer: ChdbServerProcess;
  let api: AppProcess;
  let redis: Redis;

  beforeAll(async () => {
    [redisServer, clickhouseServer] = await Promise.all([startRedisServer(), startChdbServer()]);
    const clickhouse = createClickHouse({ url: clickhouseServer.url });
    await migrate(clickhouse, readMigrations(MIGRATIONS_DIR));
    await clickhouse.close();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    api = await startApi({
      REDIS_URL: redisServer.url,
      CLICKHOUSE_URL: clickhouseServer.url,
      API_KEY_RATE_LIMIT: '1000',
      API_KEY_RATE_BURST: '1000',
      ...Object.fromEntries(Object.entries(config).map(([name, value]) => [name, String(value)])),
    });
  }, 120_000);
  afterAll(async () => {
    console.info(
      `slowest answers (ms), timeouts Redis ${config.REDIS_TIMEOUT_MS} / ClickHouse ${config.CLICKHOUSE_TIMEOUT_MS}: ` +
        [...slowest].map(([situation, ms]) => `${situation} ${Math.round(ms)}`).join(', '),
    );
    redis?.disconnect();
    await api?.stop();
    await redisServer?.stop();
    clickhouseServer?.child.kill('SIGCONT');
    await stopChdbServer(clickhouseServer);
  });

  /** The slowest answer per situation, printed at the end for the record. */
  const slowest = new Map<string, number>();
  const note = (situation: string, ms: number) => slowest.set(situation, Math.max(slowest.get(situation) ?? 0, ms));

  /** A dashboard request (a day of hourly engagement, `shape` picks one of its cache keys) and how long it took. */
  async function ask(shape: 'device' | 'country' | 'os' = 'device') {
    const started = performance.now();
    const response = await fetch(`${api.url}/v1/engagement/summary?interval=hour&group_by=${shape}`, {
      headers: { 'X-API-Key': KEY },
    });
    const body = (await response.json()) as Record<string, unknown>;
    return {
      status: response.status,
      source: response.headers.get('x-answer-source'),
      body,
      ms: performance.now() - started,
    };
  }
  const ready = async () => {
    const response = await fetch(`${api.url}/ready`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The hot copies of the answers (not their last good copies), as if their TTL had passed. */
  const expireHotAnswers = async () => {
    const keys = (await redis.keys('pulse:engagement:*')).filter((key) => !key.startsWith('pulse:last-good:'));
    if (keys.length > 0) await redis.del(...keys);
    return keys.length;
  };
  /** Waits out the open circuits, so the next request tries the dependencies again. */
  const circuitsClosed = () => new Promise((resolve) => setTimeout(resolve, config.DEPENDENCY_OPEN_MS + 100));

  it('should answer from ClickHouse and cache it when both are up', async () => {
    expect(await ask()).toMatchObject({ status: 200, source: 'clickhouse' });
    expect(await ask()).toMatchObject({ status: 200, source: 'redis' });
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready', redis: true, clickhouse: true } });
  });

  it.each(['frozen', 'stopped'] as const)(
    'should answer from ClickHouse, within the Redis timeouts, while Redis is %s',
    async (fault) => {
      const stopped = fault === 'stopped' ? await startAgainLater() : null;
      if (fault === 'frozen') redisServer.signal('SIGSTOP');
      try {
        for (let i = 0; i < 5; i++) {
          const answer = await ask();
          expect(answer).toMatchObject({ status: 200, source: 'clickhouse' });
          note(`redis ${fault}`, answer.ms);
          // A read and a write to Redis, each bounded; ClickHouse computes it within its own timeout.
          expect(answer.ms).toBeLessThan(
            2 * config.REDIS_TIMEOUT_MS + config.CLICKHOUSE_TIMEOUT_MS + REQUEST_ALLOWANCE_MS,
          );
        }
        expect(await ready()).toMatchObject({ status: 200, body: { status: 'degraded', redis: false } });
      } finally {
        if (fault === 'frozen') redisServer.signal('SIGCONT');
        else await stopped!();
      }
      await circuitsClosed();
      expect(await ask()).toMatchObject({ status: 200 });
    },
    60_000,
  );

  it('should serve the last good answer, marked stale, within the ClickHouse timeout while ClickHouse is frozen', async () => {
    await ask();
    clickhouseServer.child.kill('SIGSTOP');
    try {
      expect(await expireHotAnswers()).toBeGreaterThan(0);
      const answer = await ask();
      expect(answer).toMatchObject({ status: 200, source: 'redis', body: { stale: true } });
      note('clickhouse frozen, stale', answer.ms);
      expect(answer.ms).toBeLessThan(config.CLICKHOUSE_TIMEOUT_MS + 2 * config.REDIS_TIMEOUT_MS + REQUEST_ALLOWANCE_MS);

      // An answer never computed has no last good copy: 503, saying why, as fast.
      const none = await ask('os');
      expect(none.status).toBe(503);
      note('clickhouse frozen, 503', none.ms);
      expect(none.body).toMatchObject({ status: 503, dependencies: ['clickhouse'] });
      expect(String(none.body.detail)).toContain('no last good answer');
      expect(none.ms).toBeLessThan(config.CLICKHOUSE_TIMEOUT_MS + 2 * config.REDIS_TIMEOUT_MS + REQUEST_ALLOWANCE_MS);
      expect(await ready()).toMatchObject({ status: 200, body: { status: 'degraded', clickhouse: false } });
    } finally {
      clickhouseServer.child.kill('SIGCONT');
    }
    await circuitsClosed();
    expect(await ask()).toMatchObject({ status: 200 });
  }, 60_000);

  it('should answer 503 naming both, within the timeouts, when Redis and ClickHouse are both frozen', async () => {
    await ask('country');
    clickhouseServer.child.kill('SIGSTOP');
    redisServer.signal('SIGSTOP');
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await ask('country');
        expect(answer.status).toBe(503);
        note('both frozen, 503', answer.ms);
        expect(answer.body).toMatchObject({ status: 503, retry_after: expect.any(Number) });
        expect(answer.ms).toBeLessThan(
          config.CLICKHOUSE_TIMEOUT_MS + 2 * config.REDIS_TIMEOUT_MS + REQUEST_ALLOWANCE_MS,
        );
      }
      const unready = await ready();
      expect(unready.status).toBe(503);
      expect(unready.body).toMatchObject({ redis: false, clickhouse: false });
    } finally {
      clickhouseServer.child.kill('SIGCONT');
      redisServer.signal('SIGCONT');
    }
    await circuitsClosed();
    expect(await ask('country')).toMatchObject({ status: 200 });
  }, 60_000);

  it('should serve the last good answer while ClickHouse is stopped', async () => {
    await ask();
    // Last: the server and its data are gone for good (afterAll finds it stopped).
    await stopChdbServer(clickhouseServer);
    await expireHotAnswers();
    const answer = await ask();
    expect(answer).toMatchObject({ status: 200, source: 'redis', body: { stale: true } });
    note('clickhouse stopped, stale', answer.ms);
    expect(answer.ms).toBeLessThan(config.CLICKHOUSE_TIMEOUT_MS + 2 * config.REDIS_TIMEOUT_MS + REQUEST_ALLOWANCE_MS);
  }, 60_000);

  /** Stops the test's Redis; the returned function starts a new one on the same port. */
  async function startAgainLater(): Promise<() => Promise<void>> {
    const { port } = redisServer;
    await redisServer.stop();
    return async () => {
      redisServer = await startRedisServer({ port });
    };
  }
});
