import { PROBLEM_TYPES } from '@social-pulse/observability/nest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIVE_CACHE_TTL_SECONDS } from '../dtos/engagement-live.dto';
import { ENGAGEMENT_INTERVAL_RULES } from '../dtos/engagement-summary.dto';
import { engagementSummaryKey, liveEngagementKey } from '../repositories/redis.repository';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { engagementRow, liveRow, sessionRollupRow } from '../testing/engagement.fixtures';
import type { LogRecord } from '../testing/recording-logger';
import { EngagementController } from './engagement.controller';

const logs = vi.hoisted(() => [] as LogRecord[]);
vi.mock('@social-pulse/observability', async (importOriginal) => {
  const { recordingLogger } = await import('../testing/recording-logger');
  return {
    ...(await importOriginal<typeof import('@social-pulse/observability')>()),
    createLogger: (service: string) => recordingLogger(service, logs),
  };
});

const NOW = new Date('2025-06-01T12:02:30.000Z');
const LOOKUPS = 'api_cache_lookups_total';
/** The default summary request at NOW: minutes from 11:02 to 12:03. */
const DEFAULT_SUMMARY = {
  interval: 'minute' as const,
  group_by: null,
  from: new Date('2025-06-01T11:02:00.000Z'),
  to: new Date('2025-06-01T12:03:00.000Z'),
};

describe(EngagementController.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    logs.length = 0;
    api = await startApiTestApp();
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });

  afterEach(async () => {
    vi.useRealTimers();
    await api.close();
  });

  const kinds = () => api.clickhouse.engagementQueries.map((call) => call.kind);

  describe('summary', () => {
    it('should compute a miss from both rollups, answer it in the envelope and cache it for the interval’s TTL', async () => {
      api.clickhouse
        .withEngagementSummary([engagementRow()])
        .withSessionSummary([sessionRollupRow({ duration_ms: [1000, 4000, 9000] })]);
      const missesBefore = await api.metric(LOOKUPS, { result: 'miss' });

      const response = await api.get('/v1/engagement/summary');

      const data = {
        interval: 'minute',
        group_by: null,
        from: '2025-06-01T11:02:00.000Z',
        to: '2025-06-01T12:03:00.000Z',
        points: [
          {
            period: '2025-06-01T12:00:00.000Z',
            group: null,
            active_users: 40,
            sessions: 45,
            events: 120,
            sessions_started: 10,
            session_duration_p50_ms: 1000,
            session_duration_p90_ms: 4000,
            bounce_rate: 0.4,
            events_per_session: 5,
          },
        ],
      };
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        data,
        data_time: NOW.toISOString(),
        computed_at: NOW.toISOString(),
        age_ms: 0,
        source: 'clickhouse',
        stale: false,
        stale_after_ms: 10_000,
      });
      expect(api.clickhouse.engagementQueries).toEqual([
        { kind: 'engagement-summary', query: DEFAULT_SUMMARY },
        { kind: 'session-summary', query: DEFAULT_SUMMARY, now: NOW },
      ]);
      expect(api.redis.answerWrites).toEqual([
        {
          key: engagementSummaryKey(DEFAULT_SUMMARY),
          snapshot: { data, data_time: NOW.toISOString(), computed_at: NOW.toISOString() },
          ttlSeconds: 5,
        },
      ]);
      expect(await api.metric(LOOKUPS, { result: 'miss' })).toBe(missesBefore + 1);
    });

    it('should answer a hit from Redis without querying ClickHouse, aged at answering time', async () => {
      api.clickhouse.withEngagementSummary([engagementRow()]);
      const first = await api.get('/v1/engagement/summary?interval=hour&group_by=os');
      api.clickhouse.engagementQueries.length = 0;
      const hitsBefore = await api.metric(LOOKUPS, { result: 'hit' });
      vi.setSystemTime(NOW.getTime() + 4_000);

      const second = await api.get('/v1/engagement/summary?interval=hour&group_by=os');

      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual({ ...first.json(), source: 'redis', age_ms: 4_000 });
      expect(api.clickhouse.engagementQueries).toEqual([]);
      expect(await api.metric(LOOKUPS, { result: 'hit' })).toBe(hitsBefore + 1);
    });

    it('should share one key among requests whose range widens to the same periods', async () => {
      await api.get('/v1/engagement/summary?from=2025-06-01T11:00:10Z&to=2025-06-01T11:59:01Z');
      await api.get('/v1/engagement/summary?from=2025-06-01T11:00:59.999Z&to=2025-06-01T12:00:00Z');

      expect(new Set(api.redis.answerReads).size).toBe(1);
      expect(kinds()).toEqual(['engagement-summary', 'session-summary']);
    });

    it.each(['minute', 'hour', 'day'] as const)('should cache a %s answer for its TTL', async (interval) => {
      await api.get(`/v1/engagement/summary?interval=${interval}`);

      expect(api.redis.answerWrites.map((w) => w.ttlSeconds)).toEqual([
        ENGAGEMENT_INTERVAL_RULES[interval].cacheTtlSeconds,
      ]);
    });

    it('should not query session metrics for a breakdown by event type', async () => {
      api.clickhouse
        .withEngagementSummary([engagementRow({ group_value: 'like' })])
        .withSessionSummary([sessionRollupRow()]);

      const response = await api.get('/v1/engagement/summary?group_by=event_type');

      expect(response.statusCode).toBe(200);
      expect(kinds()).toEqual(['engagement-summary']);
      expect(response.json().data.points).toEqual([
        expect.objectContaining({ group: 'like', events: 120, sessions_started: null, bounce_rate: null }),
      ]);
    });

    it.each([
      ['a malformed from', '?from=yesterday', 'from must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
      ['a time without a zone', '?to=2025-06-01T12:00:00', 'to must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
      ['from after to', '?from=2025-06-01T12:00:00Z&to=2025-06-01T11:00:00Z', 'from must be before to'],
      [
        'a minute range over a day',
        '?from=2025-05-30T00:00:00Z&to=2025-06-01T00:00:00Z',
        'from and to must be at most 24 hours apart for interval=minute',
      ],
      ['an unknown interval', '?interval=week', 'interval must be one of minute, hour, day'],
      ['an unknown group_by', '?group_by=browser', 'group_by must be one of device, os, country, event_type'],
    ])('should answer 400 to %s, naming the parameter', async (_, query, message) => {
      const response = await api.get(`/v1/engagement/summary${query}`);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, detail: message });
      expect(api.redis.answerReads).toEqual([]);
      expect(api.clickhouse.engagementQueries).toEqual([]);
    });

    it('should answer 401 without a key, touching neither Redis nor ClickHouse', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/engagement/summary?interval=week' });

      expect(response.statusCode).toBe(401);
      expect(api.redis.answerReads).toEqual([]);
      expect(api.clickhouse.engagementQueries).toEqual([]);
    });
  });

  describe('live', () => {
    it('should compute a miss from ClickHouse at the time of the request and cache it for 2 s', async () => {
      api.clickhouse.withLive(liveRow());

      const response = await api.get('/v1/engagement/live');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        data: {
          active_users: 10,
          active_sessions: 12,
          users_last_5_minutes: 25,
          sessions_last_5_minutes: 27,
          events_last_5_minutes: 310,
        },
        data_time: NOW.toISOString(),
        computed_at: NOW.toISOString(),
        age_ms: 0,
        source: 'clickhouse',
        stale: false,
        stale_after_ms: 7_000,
      });
      expect(api.clickhouse.engagementQueries).toEqual([{ kind: 'live', now: NOW }]);
      expect(api.redis.answerWrites).toEqual([
        expect.objectContaining({ key: liveEngagementKey(), ttlSeconds: LIVE_CACHE_TTL_SECONDS }),
      ]);
    });

    it('should answer a hit from Redis, and mark it stale once it outlived its TTL and margin', async () => {
      api.redis.seedAnswer(liveEngagementKey(), {
        data: { active_users: 1 },
        data_time: '2025-06-01T12:02:22.999Z',
        computed_at: '2025-06-01T12:02:22.999Z',
      });

      const response = await api.get('/v1/engagement/live');

      expect(response.json()).toMatchObject({ source: 'redis', age_ms: 7_001, stale: true, data: { active_users: 1 } });
      expect(api.clickhouse.engagementQueries).toEqual([]);
    });

    it('should answer 401 without a key', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/engagement/live' });

      expect(response.statusCode).toBe(401);
      expect(api.clickhouse.engagementQueries).toEqual([]);
    });
  });

  describe('failures', () => {
    it('should answer from ClickHouse when Redis rejects reads', async () => {
      api.redis.failReads();
      api.clickhouse.withLive(liveRow({ active_users: '3' }));

      const response = await api.get('/v1/engagement/live');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ source: 'clickhouse', data: { active_users: 3 } });
    });

    it('should answer and log when Redis rejects writes', async () => {
      api.redis.failWrites(new Error('READONLY replica'));

      const response = await api.get('/v1/engagement/summary');

      expect(response.statusCode).toBe(200);
      expect(api.redis.answers.size).toBe(0);
      expect(logs).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'could not cache an answer', error: 'redis: failed' }),
      );
    });

    it('should answer 503 with the reason, not the error, when ClickHouse fails, and cache nothing', async () => {
      api.clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));

      const response = await api.get('/v1/engagement/summary?interval=day');

      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        type: PROBLEM_TYPES.unavailable,
        title: 'Service Unavailable',
        status: 503,
        detail: 'the answer cannot be served now: clickhouse: failed; no last good answer',
        instance: '/v1/engagement/summary',
        dependencies: ['clickhouse'],
        reasons: [{ dependency: 'clickhouse', reason: 'error' }],
        retry_after: 5,
      });
      expect(response.body).not.toContain('ECONNREFUSED');
      expect(api.redis.answerWrites).toEqual([]);
    });
  });

  describe('OpenAPI', () => {
    it('should document both endpoints behind the API key, answering the envelope', async () => {
      const document = (await api.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
      const ok = (path: string) => document.paths[path].get.responses['200'].content['application/json'].schema;

      expect(document.paths['/v1/engagement/summary'].get.security).toEqual([{ 'api-key': [] }]);
      expect(document.paths['/v1/engagement/live'].get.security).toEqual([{ 'api-key': [] }]);
      expect(ok('/v1/engagement/summary')).toEqual({ $ref: '#/components/schemas/EngagementSummaryAnswerDto' });
      expect(ok('/v1/engagement/live')).toEqual({ $ref: '#/components/schemas/LiveEngagementAnswerDto' });
      const parameters = document.paths['/v1/engagement/summary'].get.parameters
        .filter((p: { in: string }) => p.in !== 'header')
        .map((p: { name: string }) => p.name);
      expect(parameters.sort()).toEqual(['from', 'group_by', 'interval', 'to']);
      const schemas = document.components.schemas;
      expect(Object.keys(schemas.EngagementSummaryAnswerDto.properties).sort()).toEqual(
        ['age_ms', 'computed_at', 'data', 'data_time', 'source', 'stale', 'stale_after_ms'].sort(),
      );
      expect(Object.keys(schemas.EngagementPointDto.properties)).toEqual([
        'period',
        'group',
        'active_users',
        'sessions',
        'events',
        'sessions_started',
        'session_duration_p50_ms',
        'session_duration_p90_ms',
        'bounce_rate',
        'events_per_session',
      ]);
    });
  });
});
