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
    const response = await api.get('/v1/canary/trending');

    expect(response.statusCode).toBe(403);
  });
});
