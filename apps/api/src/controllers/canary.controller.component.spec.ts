import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiTestApp, TEST_ADMIN_API_KEY, type ApiTestApp } from '../testing/api-test-app';
import { trendingRow } from '../testing/trending.fixtures';
import { CanaryController } from './canary.controller';

const topicNames = (body: { data: { topics: { topic: string }[] } }) => body.data.topics.map((t) => t.topic);

describe(CanaryController.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    api = await startApiTestApp();
    // The window as the job writes it: the top N, then the canary's topics after it.
    api.clickhouse.withTrending('1m', [
      trendingRow({ rank: 1, topic: 'ai' }),
      trendingRow({ rank: 2, topic: 'f1' }),
      trendingRow({ rank: 51, topic: 'CANARY:canary-1' }),
      trendingRow({ rank: 52, topic: 'CANARY:canary-2' }),
    ]);
  });
  afterEach(() => api.close());

  it("should show an admin key the canary's topics of the latest window, and only them", async () => {
    const response = await api.get('/v1/canary/trending?window=1m', { 'x-api-key': TEST_ADMIN_API_KEY });

    expect(response.statusCode).toBe(200);
    expect(topicNames(response.json())).toEqual(['CANARY:canary-1', 'CANARY:canary-2']);
    expect(response.json()).toMatchObject({ source: 'clickhouse' });
  });

  it('should refuse a key of scope read', async () => {
    for (const route of ['trending', 'sessions', 'ads']) {
      const response = await api.get(`/v1/canary/${route}`);

      expect(response.statusCode, route).toBe(403);
    }
  });

  describe('sessions', () => {
    const session = (user_id: string, start: string) => ({
      user_id,
      session_id: '01937a2e-4b5c-7d6e-8f90-a1b2c3d4e5f6',
      session_start: start,
      session_end: start,
      events: 1,
      status: 'active',
    });

    it("should show an admin key the canary's sessions, and only them, read from ClickHouse", async () => {
      api.clickhouse.withRecentSessions([
        session('CANARY:canary-2', '2026-11-26 12:41:03.412'),
        session('u-1', '2026-11-26 12:41:02.000'),
        session('CANARY:canary-1', '2026-11-26 12:40:58.398'),
      ]);

      const response = await api.get('/v1/canary/sessions', { 'x-api-key': TEST_ADMIN_API_KEY });

      expect(response.statusCode).toBe(200);
      const body = response.json<{ data: { sessions: { user_id: string; session_start: string }[] } }>();
      expect(body.data.sessions.map((s) => s.user_id)).toEqual(['CANARY:canary-2', 'CANARY:canary-1']);
      expect(body.data.sessions[0]).toMatchObject({ session_start: '2026-11-26T12:41:03.412Z', events: 1 });
      expect(body).toMatchObject({ source: 'clickhouse', stale: false });
      // Never from the cache: the canary times the pipeline, not a cache's refresh.
      expect([api.redis.answerReads, api.redis.answerWrites]).toEqual([[], []]);
    });

    it('should refuse any parameter, and answer an error when ClickHouse fails', async () => {
      const bad = await api.get('/v1/canary/sessions?window=1m', { 'x-api-key': TEST_ADMIN_API_KEY });
      expect(bad.statusCode).toBe(400);

      api.clickhouse.failWith();
      const failed = await api.get('/v1/canary/sessions', { 'x-api-key': TEST_ADMIN_API_KEY });
      // No cached copy to fall back on: the canary counts the read as failed and tries again.
      expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    });
  });

  describe('ads', () => {
    const ad = (campaign_id: string, ad_id: string, period: string) => ({
      period,
      campaign_id,
      ad_id,
      impressions: '1',
    });

    it("should show an admin key the canary campaigns' ads, and only them", async () => {
      api.clickhouse.withRecentAds([
        ad('CANARY:pulse-canary', 'canary-2', '2026-11-26 12:41:00'),
        ad('spring-sale', 'video-1', '2026-11-26 12:41:00'),
        ad('CANARY:pulse-canary', 'canary-1', '2026-11-26 12:40:00'),
      ]);

      const response = await api.get('/v1/canary/ads', { 'x-api-key': TEST_ADMIN_API_KEY });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        source: 'clickhouse',
        data: {
          ads: [
            {
              period: '2026-11-26T12:41:00.000Z',
              campaign_id: 'CANARY:pulse-canary',
              ad_id: 'canary-2',
              impressions: 1,
            },
            {
              period: '2026-11-26T12:40:00.000Z',
              campaign_id: 'CANARY:pulse-canary',
              ad_id: 'canary-1',
              impressions: 1,
            },
          ],
        },
      });
      expect(response.json<{ data: { ads: unknown[] } }>().data.ads).toHaveLength(2);
    });
  });
});
