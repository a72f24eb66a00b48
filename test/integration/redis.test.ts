import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { platform } from '@social-pulse/testing';

describe('Redis', () => {
  const redis = new Redis(platform.redisUrl);
  afterAll(() => redis.quit());

  it('should return what was written, until its TTL passes', async () => {
    const key = `test:${randomUUID()}`;
    await redis.set(key, 'hot value', 'PX', 300);
    expect(await redis.get(key)).toBe('hot value');
    await new Promise((r) => setTimeout(r, 400));
    expect(await redis.get(key)).toBeNull();
  });
});
