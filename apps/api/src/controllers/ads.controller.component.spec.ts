import { PROBLEM_TYPES } from '@social-pulse/observability/nest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADS_INTERVAL_RULES } from '../dtos/ads-performance.dto';
import { adsCampaignsKey, adsPerformanceKey } from '../repositories/redis.repository';
import { ADS_POINT, adsCampaignRow, adsPerformanceRow } from '../testing/ads.fixtures';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { AdsController } from './ads.controller';

const NOW = new Date('2025-06-01T12:02:30.000Z');
const LOOKUPS = 'api_cache_lookups_total';
const GROUP_BY_LIST = 'device, os, country, age_band, gender, currency';
/** The default performance request at NOW: minutes from 11:02 to 12:03, every segment and campaign. */
const DEFAULT_PERFORMANCE = {
  interval: 'minute' as const,
  group_by: [],
  campaign_id: null,
  ad_id: null,
  from: new Date('2025-06-01T11:02:00.000Z'),
  to: new Date('2025-06-01T12:03:00.000Z'),
};
/** The default campaigns request at NOW: the 24 whole hours up to the current one. */
const DEFAULT_CAMPAIGNS = {
  grain: 'hour' as const,
  from: new Date('2025-05-31T13:00:00.000Z'),
  to: new Date('2025-06-01T13:00:00.000Z'),
  limit: 20,
};

describe(AdsController.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    api = await startApiTestApp();
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });

  afterEach(async () => {
    vi.useRealTimers();
    await api.close();
  });

  describe('performance', () => {
    it('should compute a miss from ClickHouse, answer it in the envelope and cache it for the interval’s TTL', async () => {
      api.clickhouse.withAdsPerformance([adsPerformanceRow()]);
      const missesBefore = await api.metric(LOOKUPS, { result: 'miss' });

      const response = await api.get('/v1/ads/performance');

      const data = {
        interval: 'minute',
        group_by: [],
        campaign_id: null,
        ad_id: null,
        from: '2025-06-01T11:02:00.000Z',
        to: '2025-06-01T12:03:00.000Z',
        points: [ADS_POINT],
      };
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        data,
        data_time: NOW.toISOString(),
        computed_at: NOW.toISOString(),
        age_ms: 0,
        source: 'clickhouse',
        stale: false,
        stale_after_ms: 6_000,
      });
      expect(api.clickhouse.adsQueries).toEqual([{ kind: 'ads-performance', query: DEFAULT_PERFORMANCE }]);
      expect(api.redis.answerWrites).toEqual([
        {
          key: adsPerformanceKey(DEFAULT_PERFORMANCE),
          snapshot: { data, data_time: NOW.toISOString(), computed_at: NOW.toISOString() },
          ttlSeconds: 1,
        },
      ]);
      expect(await api.metric(LOOKUPS, { result: 'miss' })).toBe(missesBefore + 1);
    });

    it('should answer a hit from Redis without querying ClickHouse, aged at answering time', async () => {
      api.clickhouse.withAdsPerformance([adsPerformanceRow({ device: 'mobile', country: 'DE' })]);
      const url = '/v1/ads/performance?interval=hour&group_by=device,country&campaign_id=summer-sale';
      const first = await api.get(url);
      api.clickhouse.adsQueries.length = 0;
      const hitsBefore = await api.metric(LOOKUPS, { result: 'hit' });
      vi.setSystemTime(NOW.getTime() + 4_000);

      const second = await api.get(url);

      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual({ ...first.json(), source: 'redis', age_ms: 4_000 });
      expect(second.json().data.points[0].group).toEqual({ device: 'mobile', country: 'DE' });
      expect(api.clickhouse.adsQueries).toEqual([]);
      expect(await api.metric(LOOKUPS, { result: 'hit' })).toBe(hitsBefore + 1);
    });

    it('should send concurrent misses of one request to ClickHouse once', async () => {
      api.clickhouse.withAdsPerformance([adsPerformanceRow()]).hold();

      const responses = Promise.all(Array.from({ length: 10 }, () => api.get('/v1/ads/performance?interval=day')));
      await new Promise<void>((resolve) => setImmediate(resolve));
      api.clickhouse.release();

      expect((await responses).map((r) => [r.statusCode, r.json().source])).toEqual(
        Array(10).fill([200, 'clickhouse']),
      );
      expect(api.clickhouse.adsQueries).toHaveLength(1);
      expect(api.redis.answerWrites).toHaveLength(1);
    });

    it('should share one key among spellings of one breakdown and ranges that widen to the same periods', async () => {
      await api.get('/v1/ads/performance?group_by=os,device&from=2025-06-01T11:00:10Z&to=2025-06-01T11:59:01Z');
      await api.get('/v1/ads/performance?group_by=device,os&from=2025-06-01T11:00:59Z&to=2025-06-01T12:00:00Z');

      expect(new Set(api.redis.answerReads).size).toBe(1);
      expect(api.clickhouse.adsQueries).toEqual([
        {
          kind: 'ads-performance',
          query: {
            ...DEFAULT_PERFORMANCE,
            group_by: ['device', 'os'],
            from: new Date('2025-06-01T11:00:00.000Z'),
            to: new Date('2025-06-01T12:00:00.000Z'),
          },
        },
      ]);
    });

    it('should keep answers for different campaigns apart', async () => {
      await api.get('/v1/ads/performance?campaign_id=a');
      await api.get('/v1/ads/performance?campaign_id=b');
      await api.get('/v1/ads/performance?ad_id=a');

      expect(api.clickhouse.adsQueries.map((call) => [call.query])).toEqual([
        [expect.objectContaining({ campaign_id: 'a', ad_id: null })],
        [expect.objectContaining({ campaign_id: 'b', ad_id: null })],
        [expect.objectContaining({ campaign_id: null, ad_id: 'a' })],
      ]);
    });

    it.each(['minute', 'hour', 'day'] as const)('should cache a %s answer for its TTL', async (interval) => {
      await api.get(`/v1/ads/performance?interval=${interval}`);

      expect(api.redis.answerWrites.map((w) => w.ttlSeconds)).toEqual([ADS_INTERVAL_RULES[interval].cacheTtlSeconds]);
    });

    it('should answer null ratios where the denominator is 0, never Infinity or 0', async () => {
      api.clickhouse.withAdsPerformance([
        adsPerformanceRow({
          impressions: '0',
          clicks: '0',
          attributed_clicks: '0',
          money: [['USD', '0', '5', '0', '0']],
        }),
      ]);

      const point = (await api.get('/v1/ads/performance')).json().data.points[0];

      expect(point).toMatchObject({ ctr: null, conversion_rate: null });
      expect(point.money).toEqual([expect.objectContaining({ cpa_micros: null, roas: null })]);
    });

    it.each([
      ['a malformed from', '?from=yesterday', 'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
      ['from after to', '?from=2025-06-01T12:00:00Z&to=2025-06-01T11:00:00Z', 'from must be before to'],
      [
        'an hour range over 31 days',
        '?interval=hour&from=2025-04-01T00:00:00Z&to=2025-06-01T00:00:00Z',
        'from and to must be at most 31 days apart for interval=hour',
      ],
      ['an unknown interval', '?interval=week', 'interval must be one of minute, hour, day'],
      ['an unknown group_by', '?group_by=device,browser', `group_by must list only ${GROUP_BY_LIST} (not "browser")`],
      ['a repeated group_by', '?group_by=device,os,device', 'group_by names device more than once'],
      ['group_by given twice', '?group_by=device&group_by=os', 'group_by must be given once'],
      ['an empty campaign_id', '?campaign_id=', 'campaign_id must not be empty'],
      ['an ad_id over 128 characters', `?ad_id=${'a'.repeat(129)}`, 'ad_id must be at most 128 characters'],
    ])('should answer 400 to %s, naming the parameter', async (_, query, message) => {
      const response = await api.get(`/v1/ads/performance${query}`);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, detail: message });
      expect(api.redis.answerReads).toEqual([]);
      expect(api.clickhouse.adsQueries).toEqual([]);
    });

    it('should answer 401 without a key, touching neither Redis nor ClickHouse', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/ads/performance?group_by=nonsense' });

      expect(response.statusCode).toBe(401);
      expect(api.redis.answerReads).toEqual([]);
      expect(api.clickhouse.adsQueries).toEqual([]);
    });
  });

  describe('campaigns', () => {
    it('should compute a miss from ClickHouse for the last 24 hours and cache it for the hour grain’s TTL', async () => {
      api.clickhouse.withAdsCampaigns([adsCampaignRow(), adsCampaignRow({ campaign_id: 'brand', currency: 'EUR' })]);

      const response = await api.get('/v1/ads/campaigns');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        data: {
          grain: 'hour',
          from: '2025-05-31T13:00:00.000Z',
          to: '2025-06-01T13:00:00.000Z',
          limit: 20,
          campaigns: [
            {
              rank: 1,
              campaign_id: 'summer-sale',
              currency: 'USD',
              impressions: 20_000,
              clicks: 300,
              conversions: 12,
              spend_micros: '60000000',
              revenue_micros: '150000000',
              ctr: 0.015,
              cpa_micros: '5000000',
              roas: 2.5,
            },
            { rank: 1, campaign_id: 'brand', currency: 'EUR' },
          ],
        },
        source: 'clickhouse',
        stale_after_ms: 35_000,
      });
      expect(api.clickhouse.adsQueries).toEqual([{ kind: 'ads-campaigns', query: DEFAULT_CAMPAIGNS }]);
      expect(api.redis.answerWrites).toEqual([
        expect.objectContaining({ key: adsCampaignsKey(DEFAULT_CAMPAIGNS), ttlSeconds: 30 }),
      ]);
    });

    it('should read minutes for a short range and days for a long one, caching each for its grain', async () => {
      await api.get('/v1/ads/campaigns?from=2025-06-01T11:00:00Z&limit=5');
      await api.get('/v1/ads/campaigns?from=2025-01-01&to=2025-06-01');

      expect(api.clickhouse.adsQueries.map((call) => call.query)).toEqual([
        { grain: 'minute', from: new Date('2025-06-01T11:00:00Z'), to: new Date('2025-06-01T12:03:00Z'), limit: 5 },
        { grain: 'day', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-06-01T00:00:00Z'), limit: 20 },
      ]);
      expect(api.redis.answerWrites.map((w) => w.ttlSeconds)).toEqual([1, 60]);
    });

    it('should answer a hit from Redis without querying ClickHouse', async () => {
      api.redis.seedAnswer(adsCampaignsKey(DEFAULT_CAMPAIGNS), {
        data: { grain: 'hour', campaigns: [] },
        data_time: '2025-06-01T12:02:00.000Z',
        computed_at: '2025-06-01T12:02:00.000Z',
      });

      const response = await api.get('/v1/ads/campaigns');

      expect(response.json()).toMatchObject({ source: 'redis', age_ms: 30_000, stale: false });
      expect(api.clickhouse.adsQueries).toEqual([]);
    });

    it.each([
      ['limit over 100', '?limit=101', 'limit must be at most 100'],
      ['limit 0', '?limit=0', 'limit must be at least 1'],
      [
        'a range over 5 years',
        '?from=2019-01-01&to=2025-01-01',
        'from and to must be at most 1827 days (5 years) apart',
      ],
      ['a malformed to', '?to=now', 'to must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    ])('should answer 400 to %s, naming the parameter', async (_, query, message) => {
      const response = await api.get(`/v1/ads/campaigns${query}`);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, detail: message });
      expect(api.clickhouse.adsQueries).toEqual([]);
    });

    it('should answer 401 without a key', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/ads/campaigns' });

      expect(response.statusCode).toBe(401);
      expect(api.redis.answerReads).toEqual([]);
      expect(api.clickhouse.adsQueries).toEqual([]);
    });
  });

  describe('failures', () => {
    it('should answer from ClickHouse when Redis rejects reads', async () => {
      api.redis.failReads();
      api.clickhouse.withAdsCampaigns([adsCampaignRow()]);

      const response = await api.get('/v1/ads/campaigns');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ source: 'clickhouse', data: { campaigns: [{ rank: 1 }] } });
    });

    it('should answer 503 with the reason, not the error, when ClickHouse fails, and cache nothing', async () => {
      api.clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));

      const response = await api.get('/v1/ads/performance?interval=day');

      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        type: PROBLEM_TYPES.unavailable,
        title: 'Service Unavailable',
        status: 503,
        detail: 'the answer cannot be served now: clickhouse: failed; no last good answer',
        instance: '/v1/ads/performance',
        dependencies: ['clickhouse'],
        reasons: [{ dependency: 'clickhouse', reason: 'error' }],
        retry_after: 5,
      });
      expect(response.body).not.toContain('ECONNREFUSED');
      expect(api.redis.answerWrites).toEqual([]);
    });

    it('should answer 500, not a rounded number, when a count comes back past 2^53', async () => {
      api.clickhouse.withAdsPerformance([adsPerformanceRow({ impressions: '9007199254740993' })]);

      const response = await api.get('/v1/ads/performance');

      expect(response.statusCode).toBe(500);
      expect(api.redis.answerWrites).toEqual([]);
    });
  });

  describe('OpenAPI', () => {
    it('should document both endpoints behind the API key, answering the envelope', async () => {
      const document = (await api.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
      const ok = (path: string) => document.paths[path].get.responses['200'].content['application/json'].schema;
      const parameters = (path: string) =>
        document.paths[path].get.parameters
          .filter((p: { in: string }) => p.in !== 'header')
          .map((p: { name: string }) => p.name)
          .sort();

      for (const path of ['/v1/ads/performance', '/v1/ads/campaigns']) {
        expect(document.paths[path].get.security, path).toEqual([{ 'api-key': [] }]);
        expect(Object.keys(document.paths[path].get.responses).sort(), path).toEqual(
          ['200', '304', '400', '401', '403', '429', '503'].sort(),
        );
      }
      expect(ok('/v1/ads/performance')).toEqual({ $ref: '#/components/schemas/AdsPerformanceAnswerDto' });
      expect(ok('/v1/ads/campaigns')).toEqual({ $ref: '#/components/schemas/AdsCampaignsAnswerDto' });
      expect(parameters('/v1/ads/performance')).toEqual(['ad_id', 'campaign_id', 'from', 'group_by', 'interval', 'to']);
      expect(parameters('/v1/ads/campaigns')).toEqual(['from', 'limit', 'to']);
      const schemas = document.components.schemas;
      for (const name of ['AdsPerformanceAnswerDto', 'AdsCampaignsAnswerDto']) {
        expect(Object.keys(schemas[name].properties).sort(), name).toEqual(
          ['age_ms', 'computed_at', 'data', 'data_time', 'source', 'stale', 'stale_after_ms'].sort(),
        );
      }
      expect(Object.keys(schemas.AdsPointDto.properties)).toEqual([
        'period',
        'group',
        'impressions',
        'users_reached',
        'clicks',
        'attributed_clicks',
        'unattributed_clicks',
        'conversions',
        'unattributed_conversions',
        'ctr',
        'conversion_rate',
        'money',
      ]);
      expect(Object.keys(schemas.AdsGroupDto.properties)).toEqual([
        'device',
        'os',
        'country',
        'age_band',
        'gender',
        'currency',
      ]);
      expect(schemas.AdsMoneyDto.properties.spend_micros.type).toBe('string');
      expect(schemas.AdsMoneyDto.properties.cpa_micros).toMatchObject({ type: 'string', nullable: true });
      expect(schemas.AdsMoneyDto.properties.roas).toMatchObject({ type: 'number', nullable: true });
      expect(schemas.AdsCampaignDto.properties.spend_micros.type).toBe('string');
      expect(schemas.AdsPerformanceDataDto.properties.group_by).toMatchObject({ type: 'array' });
    });
  });
});
