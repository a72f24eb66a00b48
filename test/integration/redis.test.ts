import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { platform } from '@social-pulse/testing';

describe('Redis', () => {
  const redis = new Redis(platform.redisUrl);
  afterAll(() => redis.quit());

  it('should return what was written, until its TTL passes', async () => {
    const key = `test:${randomUUID()}`;
    const setAt = Date.now();
    await redis.set(key, 'hot value', 'PX', 300);
    expect(await redis.get(key)).toBe('hot value');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await expect.poll(() => redis.get(key), { timeout: 5_000, interval: 20 }).toBeNull();
    // Gone, but not before its TTL: Redis started the 300 ms no earlier than setAt.
    expect(Date.now() - setAt).toBeGreaterThanOrEqual(300);
  });
});
