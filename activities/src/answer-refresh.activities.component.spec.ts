import { CancelledFailure } from '@temporalio/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClickHouseRepository } from '@social-pulse/api/testing/fake-clickhouse.repository';
import { FakeRedisRepository } from '@social-pulse/api/testing/fake-redis.repository';
import { liveRow } from '@social-pulse/api/testing/engagement.fixtures';
import { trendingRows } from '@social-pulse/api/testing/trending.fixtures';
import { createAnswerRefreshActivities } from './answer-refresh.activities';
import { failureOf, inActivity, runActivity } from './testing/activity-environment';

// Component tier: the refresh activities with fakes at their outgoing ports (the API's ClickHouse
// queries and Redis writes). The keys and envelopes are the API's own, checked in its tests.

function refresher() {
  const clickhouse = new FakeClickHouseRepository();
  const redis = new FakeRedisRepository();
  return { clickhouse, redis, activities: createAnswerRefreshActivities({ clickhouse, redis }) };
}

const publishedAnswers = (redis: FakeRedisRepository) => redis.published.map(({ answer }) => answer);

afterEach(() => {
  vi.useRealTimers();
});

describe('refreshAnswers', () => {
  it('should write each answer under the key its request reads, and announce it', async () => {
    const { clickhouse, redis, activities } = refresher();
    clickhouse.withTrending('1m', trendingRows(3)).withLive(liveRow({ active_sessions: '7' }));

    const report = await runActivity(activities.refreshAnswers, ['trending-1m', 'engagement-live']);

    expect(report).toEqual({ refreshed: 2, failed: [] });
    expect(redis.published.map(({ answer, key }) => ({ answer, key }))).toEqual([
      { answer: 'trending-1m', key: 'pulse:trending:v2:1m' },
      { answer: 'engagement-live', key: 'pulse:engagement:v1:live' },
    ]);
    expect(redis.answers.get('pulse:trending:v2:1m' as never)).toMatchObject({
      data: { window: '1m', topics: [{ rank: 1 }, { rank: 2 }, { rank: 3 }] },
    });
    // Kept twice as long as the age at which the API calls it stale (13 s for the 1m horizon).
    expect(redis.published[0].keepSeconds).toBe(26);
  });

  it('should also write the next minute when it starts before the next refresh', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-27T11:59:59.000Z') });
    const { redis, activities } = refresher();

    await runActivity(activities.refreshAnswers, ['engagement-last-hour']);

    expect(redis.published.map(({ key }) => key)).toEqual([
      'pulse:engagement:v1:summary:minute:-:2026-11-27T10:59:00.000Z:2026-11-27T12:00:00.000Z',
      'pulse:engagement:v1:summary:minute:-:2026-11-27T11:00:00.000Z:2026-11-27T12:01:00.000Z',
    ]);
  });

  it('should fail naming the answers it could not refresh, leaving their previous answers in place', async () => {
    const { clickhouse, redis, activities } = refresher();
    const previous = { data_time: '2026-11-27T11:00:00.000Z', computed_at: '2026-11-27T11:00:00.000Z', data: {} };
    redis.seedAnswer('pulse:engagement:v1:live' as never, previous);
    clickhouse.failWith(new Error('Code: 241. MEMORY_LIMIT_EXCEEDED'));

    const error = await failureOf(runActivity(activities.refreshAnswers, ['engagement-live']));

    expect(error).toMatchObject({ type: 'AnswerRefreshFailed', nonRetryable: false });
    expect(error.message).toBe('1 of 1 answers not refreshed: engagement-live (Code: 241. MEMORY_LIMIT_EXCEEDED)');
    expect(redis.answers.get('pulse:engagement:v1:live' as never)).toEqual(previous);
  });
});

describe('refreshAnswersContinuously', () => {
  it('should refresh each answer at its own cadence and heartbeat every round', async () => {
    const { redis, activities } = refresher();

    const { heartbeats, result } = inActivity(activities.refreshAnswersContinuously, {
      answers: ['trending-1m', 'engagement-live'],
      runForMs: 1_250,
    });
    const totals = await result;

    // trending-1m every 500 ms (at 0, 500, 1000), engagement-live every 1000 ms (at 0, 1000).
    expect(publishedAnswers(redis).filter((answer) => answer === 'trending-1m')).toHaveLength(3);
    expect(publishedAnswers(redis).filter((answer) => answer === 'engagement-live')).toHaveLength(2);
    expect(totals).toEqual({ rounds: 3, refreshed: 5, failed: 0 });
    expect(heartbeats).toEqual([
      { rounds: 1, refreshed: 2, failed: 0 },
      { rounds: 2, refreshed: 3, failed: 0 },
      { rounds: 3, refreshed: 5, failed: 0 },
    ]);
  });

  it('should go on after failed rounds and count them', async () => {
    const { clickhouse, redis, activities } = refresher();
    clickhouse.failWith(new Error('ECONNREFUSED 127.0.0.1:8123'));
    setTimeout(() => clickhouse.recover(), 700);

    const totals = await runActivity(activities.refreshAnswersContinuously, {
      answers: ['trending-1m'],
      runForMs: 1_250,
    });

    expect(totals).toEqual({ rounds: 3, refreshed: 1, failed: 2 });
    expect(publishedAnswers(redis)).toEqual(['trending-1m']);
  });

  it('should stop at once when Temporal cancels it', async () => {
    const { activities } = refresher();
    const { env, result } = inActivity(activities.refreshAnswersContinuously, {
      answers: ['trending-15m'],
      runForMs: 60_000,
    });
    await vi.waitFor(() => expect(env.context.info).toBeDefined());
    const started = Date.now();

    env.cancel();

    expect(await failureOf(result)).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
