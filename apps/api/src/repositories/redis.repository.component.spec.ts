import { metricsRegistry } from '@social-pulse/observability';
import type { AnswerSnapshot } from '@social-pulse/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiTestConfig, readMetric } from '../testing/api-test-app';
import { FakeRedisServer } from '../testing/fake-redis-server';
import { liveEngagementKey, RedisRepository, trendingKey } from './redis.repository';

// Component tier: the real repository and ioredis against a fake Redis speaking RESP, read back
// through the registry GET /metrics serves.

// Long enough that a loaded machine does not time out an answered command; short for the tests that wait it out.
const TIMEOUT_MS = 500;
const snapshot: AnswerSnapshot<{ n: number }> = {
  data_time: '2026-11-27T12:00:00.000Z',
  computed_at: '2026-11-27T12:00:01.000Z',
  data: { n: 1 },
};

const sample = async (suffix: 'count' | 'sum', labels: Record<string, string>) =>
  readMetric(await metricsRegistry.metrics(), `pulse_redis_command_duration_seconds_${suffix}`, labels);
const count = (command: string, outcome: string) => sample('count', { command, outcome });

describe(RedisRepository.name, () => {
  let server: FakeRedisServer;
  let sut: RedisRepository;

  beforeEach(async () => {
    server = await FakeRedisServer.start();
    sut = new RedisRepository(apiTestConfig({ REDIS_URL: server.url, REDIS_TIMEOUT_MS: String(TIMEOUT_MS) }));
    // Connected and ready (its INFO answered), so that no command is refused for want of a connection.
    await expect.poll(() => sut.ping(), { timeout: 10_000 }).toBe(true);
  });

  afterEach(async () => {
    await sut.onModuleDestroy();
    await server.close();
  });

  it('should time a read as one get, ok for a cold key as for a hit', async () => {
    const before = await count('get', 'ok');

    await expect(sut.getAnswer(trendingKey('1m'))).resolves.toBeNull();
    await sut.setAnswer(trendingKey('1m'), snapshot, 45);
    await expect(sut.getAnswer(trendingKey('1m'))).resolves.toEqual(snapshot);
    await expect(sut.getLastGoodAnswer(trendingKey('1m'))).resolves.toEqual(snapshot);

    expect(await count('get', 'ok')).toBe(before + 3);
  });

  it('should time a write and a publish each as one multi, however many commands it holds', async () => {
    const before = await count('multi', 'ok');

    await sut.setAnswer(trendingKey('5m'), snapshot, 45);
    await sut.publishAnswer('engagement-live', liveEngagementKey(), snapshot, 10);

    expect(await count('multi', 'ok')).toBe(before + 2);
    expect(server.commands.filter(([name]) => name.toUpperCase() === 'SET')).toHaveLength(4);
  });

  it('should count an error reply as an error, for a read and for a MULTI whose command failed', async () => {
    server.failWith();
    const before = { get: await count('get', 'error'), multi: await count('multi', 'error') };

    await expect(sut.getAnswer(trendingKey('1m'))).rejects.toThrow(/READONLY/);
    await expect(sut.setAnswer(trendingKey('1m'), snapshot, 45)).rejects.toThrow(/READONLY/);

    expect(await count('get', 'error')).toBe(before.get + 1);
    expect(await count('multi', 'error')).toBe(before.multi + 1);
  });

  it('should count a command that outlived REDIS_TIMEOUT_MS as a timeout, with the time it waited', async () => {
    server.hold();
    const before = await count('get', 'timeout');
    const sumBefore = await sample('sum', { command: 'get', outcome: 'timeout' });

    await expect(sut.getAnswer(trendingKey('15m'))).rejects.toThrow('Command timed out');

    expect(await count('get', 'timeout')).toBe(before + 1);
    const waited = (await sample('sum', { command: 'get', outcome: 'timeout' })) - sumBefore;
    expect(waited).toBeGreaterThanOrEqual((TIMEOUT_MS - 10) / 1000);
    expect(waited).toBeLessThan(2);
  });

  it('should time pings, false and a timeout when Redis does not answer', async () => {
    const before = { ok: await count('ping', 'ok'), timeout: await count('ping', 'timeout') };

    await expect(sut.ping()).resolves.toBe(true);
    server.hold();
    await expect(sut.ping()).resolves.toBe(false);

    expect(await count('ping', 'ok')).toBe(before.ok + 1);
    expect(await count('ping', 'timeout')).toBe(before.timeout + 1);
  });
});
