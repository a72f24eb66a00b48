import { metricsRegistry } from '@social-pulse/observability';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiTestConfig, readMetric } from '../testing/api-test-app';
import { FakeClickHouseServer } from '../testing/fake-clickhouse-server';
import { ClickHouseRepository } from './clickhouse.repository';

// Component tier: the real repository and @clickhouse/client against a fake ClickHouse HTTP server,
// read back through the registry GET /metrics serves.

// Long enough that a loaded machine does not time out an answered query; short for the tests that wait it out.
const TIMEOUT_MS = 1_000;
const range = { from: new Date('2026-11-26T11:00:00.000Z'), to: new Date('2026-11-26T12:00:00.000Z') };

const sample = async (suffix: 'count' | 'sum', labels: Record<string, string>) =>
  readMetric(await metricsRegistry.metrics(), `pulse_clickhouse_query_duration_seconds_${suffix}`, labels);
const count = (query: string, outcome: string) => sample('count', { query, outcome });

describe(ClickHouseRepository.name, () => {
  let server: FakeClickHouseServer;
  let sut: ClickHouseRepository;

  beforeEach(async () => {
    server = await FakeClickHouseServer.start();
    sut = new ClickHouseRepository(
      apiTestConfig({ CLICKHOUSE_URL: server.url, CLICKHOUSE_TIMEOUT_MS: String(TIMEOUT_MS) }),
    );
  });

  afterEach(async () => {
    await sut.onModuleDestroy();
    await server.close();
  });

  describe('query timing', () => {
    const calls: [string, (sut: ClickHouseRepository) => Promise<unknown>][] = [
      ['trending_topic_history', (r) => r.topicHistory('5m', 'ai', range.from)],
      ['engagement_summary', (r) => r.engagementSummary({ interval: 'minute', group_by: null, ...range })],
      ['session_summary', (r) => r.sessionSummary({ interval: 'hour', group_by: 'os', ...range }, range.to)],
      ['engagement_live', (r) => r.liveEngagement(range.to)],
      ['user_sessions', (r) => r.userSessions({ user_id: 'u-1', limit: 10, ...range })],
      [
        'ads_performance',
        (r) => r.adsPerformance({ interval: 'hour', group_by: [], campaign_id: null, ad_id: null, ...range }),
      ],
      ['ads_campaigns', (r) => r.adsCampaigns({ grain: 'hour', limit: 20, ...range })],
    ];

    it.each(calls)('should time %s under its name, ok once its rows are read', async (name, call) => {
      server.answer([{ n: 1 }]);
      const before = await count(name, 'ok');

      await expect(call(sut)).resolves.toBeDefined();

      expect(await count(name, 'ok')).toBe(before + 1);
      expect(server.queries).toHaveLength(1);
    });

    it('should time both reads of a trending list that falls back to the whole horizon', async () => {
      const before = await count('trending_latest', 'ok');

      await expect(sut.latestTrending('1m', 10)).resolves.toEqual([]);

      // Nothing in the last window: the second statement searches from the epoch.
      expect(server.queries.map(({ params }) => params.since)).toEqual([
        expect.not.stringMatching(/^1970/),
        '1970-01-01 00:00:00.000',
      ]);
      expect(await count('trending_latest', 'ok')).toBe(before + 2);
    });

    it('should count a ClickHouse exception as an error, and rethrow it', async () => {
      server.failWith(241, 'MEMORY_LIMIT_EXCEEDED');
      const before = { error: await count('engagement_live', 'error'), ok: await count('engagement_live', 'ok') };

      await expect(sut.liveEngagement(range.to)).rejects.toThrow(/Memory limit/);

      expect(await count('engagement_live', 'error')).toBe(before.error + 1);
      expect(await count('engagement_live', 'ok')).toBe(before.ok);
    });

    it('should count a query the client gave up on as a timeout, with the time it waited', async () => {
      server.hang();
      const before = { timeout: await count('ads_campaigns', 'timeout'), error: await count('ads_campaigns', 'error') };
      const sumBefore = await sample('sum', { query: 'ads_campaigns', outcome: 'timeout' });

      await expect(sut.adsCampaigns({ grain: 'minute', limit: 5, ...range })).rejects.toThrow('Timeout error.');

      expect(await count('ads_campaigns', 'timeout')).toBe(before.timeout + 1);
      expect(await count('ads_campaigns', 'error')).toBe(before.error);
      const waited = (await sample('sum', { query: 'ads_campaigns', outcome: 'timeout' })) - sumBefore;
      expect(waited).toBeGreaterThanOrEqual((TIMEOUT_MS - 10) / 1000);
      expect(waited).toBeLessThan(5);
    });
  });

  describe(ClickHouseRepository.prototype.ping.name, () => {
    it('should time a ping that ClickHouse answers', async () => {
      const before = await count('ping', 'ok');

      await expect(sut.ping()).resolves.toBe(true);

      expect(await count('ping', 'ok')).toBe(before + 1);
    });

    it('should answer false, timed as a timeout, when ClickHouse does not answer', async () => {
      server.hang();
      const before = await count('ping', 'timeout');

      await expect(sut.ping()).resolves.toBe(false);

      expect(await count('ping', 'timeout')).toBe(before + 1);
    });
  });
});
