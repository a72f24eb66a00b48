import { ClickHouseRepository } from '@social-pulse/api/clickhouse-repository';
import { RedisRepository } from '@social-pulse/api/redis-repository';
import { readMetric } from '@social-pulse/api/testing/api-test-app';
import { FakeClickHouseServer } from '@social-pulse/api/testing/fake-clickhouse-server';
import { FakeRedisServer } from '@social-pulse/api/testing/fake-redis-server';
import { trendingRows } from '@social-pulse/api/testing/trending.fixtures';
import { metricsRegistry } from '@social-pulse/observability';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerRefreshPorts, createAnswerRefreshActivities } from './answer-refresh.activities';
import { runActivity } from './testing/activity-environment';

// Component tier: the refresh activities on their real ports (the API's repositories, as the worker
// builds them), whose clients talk to fake ClickHouse and Redis servers. The worker's store calls
// land on the same histograms as the API's, told apart by the service label on the worker's /metrics.

const count = async (name: string, labels: Record<string, string>) =>
  readMetric(await metricsRegistry.metrics(), `${name}_count`, labels);

describe(answerRefreshPorts.name, () => {
  let clickhouse: FakeClickHouseServer;
  let redis: FakeRedisServer;
  let ports: ReturnType<typeof answerRefreshPorts>;

  beforeEach(async () => {
    [clickhouse, redis] = await Promise.all([FakeClickHouseServer.start(), FakeRedisServer.start()]);
    ports = answerRefreshPorts({ clickhouseUrl: clickhouse.url, redisUrl: redis.url, maxStaleSeconds: 60 });
    const writer = ports.redis;
    if (!(writer instanceof RedisRepository))
      throw new Error("the worker should write through the API's RedisRepository");
    // Connected and ready, as a running worker's is by its first refresh.
    await expect.poll(() => writer.ping(), { timeout: 10_000 }).toBe(true);
  });

  afterEach(async () => {
    if (ports.redis instanceof RedisRepository) await ports.redis.onModuleDestroy();
    if (ports.clickhouse instanceof ClickHouseRepository) await ports.clickhouse.onModuleDestroy();
    await Promise.all([clickhouse.close(), redis.close()]);
  });

  it("should time the refresh's ClickHouse reads and Redis writes through the API's repositories", async () => {
    clickhouse.answer(trendingRows(3));
    const before = {
      query: await count('pulse_clickhouse_query_duration_seconds', { query: 'trending_latest', outcome: 'ok' }),
      multi: await count('pulse_redis_command_duration_seconds', { command: 'multi', outcome: 'ok' }),
    };

    const report = await runActivity(createAnswerRefreshActivities(ports).refreshAnswers, ['trending-1m']);

    expect(report).toEqual({ refreshed: 1, failed: [] });
    expect(ports.clickhouse).toBeInstanceOf(ClickHouseRepository);
    expect(await count('pulse_clickhouse_query_duration_seconds', { query: 'trending_latest', outcome: 'ok' })).toBe(
      before.query + 1,
    );
    expect(await count('pulse_redis_command_duration_seconds', { command: 'multi', outcome: 'ok' })).toBe(
      before.multi + 1,
    );
  });

  it('should time a failed read as an error, the answer left as it was', async () => {
    clickhouse.failWith(241, 'MEMORY_LIMIT_EXCEEDED');
    const before = await count('pulse_clickhouse_query_duration_seconds', {
      query: 'engagement_live',
      outcome: 'error',
    });

    await expect(runActivity(createAnswerRefreshActivities(ports).refreshAnswers, ['engagement-live'])).rejects.toThrow(
      /engagement-live/,
    );

    expect(await count('pulse_clickhouse_query_duration_seconds', { query: 'engagement_live', outcome: 'error' })).toBe(
      before + 1,
    );
    expect(redis.commands.filter(([name]) => name.toUpperCase() === 'EXEC')).toHaveLength(0);
  });
});
