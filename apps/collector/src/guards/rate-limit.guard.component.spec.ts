import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCollectorTestApp, TEST_WRITE_KEY, type CollectorTestApp } from '../testing/collector-test-app';
import { contentEvent } from '@social-pulse/testing/fixtures';
import { PROBLEM_TYPES } from '@social-pulse/observability/nest';
import { IpRateLimitGuard, KeyRateLimitGuard } from './rate-limit.guard';

const OTHER_KEY = 'other-write-key';

/**
 * The token buckets read Date.now; it is frozen before the app is built, so a bucket refills only
 * when a test moves the clock. A rate of r per second allows a burst of 2r.
 */
async function frozenApp(env: Record<string, string>): Promise<CollectorTestApp> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T12:00:00.000Z'));
  return createCollectorTestApp({ COLLECTOR_WRITE_KEYS: `${TEST_WRITE_KEY},${OTHER_KEY}`, ...env });
}

const advanceSeconds = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

describe(KeyRateLimitGuard.name, () => {
  let sut: CollectorTestApp;

  beforeEach(async () => {
    sut = await frozenApp({ COLLECTOR_KEY_RATE_LIMIT: '2', COLLECTOR_IP_RATE_LIMIT: '1000' });
  });
  afterEach(async () => {
    await sut.close();
    vi.useRealTimers();
  });

  const postAs = (key: string, remoteAddress = '198.51.100.1') =>
    sut.post('/v1/batch', { events: [contentEvent()] }, { 'x-write-key': key }, { remoteAddress });

  it('should allow a burst of twice the rate, then answer 429 with Retry-After, publishing nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await postAs(TEST_WRITE_KEY)).statusCode);

    const limited = await postAs(TEST_WRITE_KEY);

    expect(statuses).toEqual([202, 202, 202, 202]);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(limited.json()).toEqual({
      type: PROBLEM_TYPES.rateLimited,
      title: 'Too Many Requests',
      status: 429,
      detail: 'rate limit per key exceeded; retry in 1 s',
      instance: '/v1/batch',
      retry_after: 1,
    });
    expect(sut.kafka.published).toHaveLength(4);
  });

  it('should count a key across client IPs and keep other keys apart', async () => {
    for (let i = 0; i < 4; i++) await postAs(TEST_WRITE_KEY, `198.51.100.${i + 10}`);

    const sameKeyNewIp = await postAs(TEST_WRITE_KEY, '198.51.100.99');
    const otherKey = await postAs(OTHER_KEY);

    expect(sameKeyNewIp.statusCode).toBe(429);
    expect(otherKey.statusCode).toBe(202);
  });

  it('should admit the key again once Retry-After has passed, at the configured rate', async () => {
    for (let i = 0; i < 4; i++) await postAs(TEST_WRITE_KEY);
    const limited = await postAs(TEST_WRITE_KEY);

    advanceSeconds(Number(limited.headers['retry-after']));
    const refilled = [await postAs(TEST_WRITE_KEY), await postAs(TEST_WRITE_KEY), await postAs(TEST_WRITE_KEY)];

    // One second at 2 per second: two requests pass, the third waits again.
    expect(refilled.map((r) => r.statusCode)).toEqual([202, 202, 429]);
  });
});

describe(IpRateLimitGuard.name, () => {
  let sut: CollectorTestApp;

  beforeEach(async () => {
    sut = await frozenApp({ COLLECTOR_IP_RATE_LIMIT: '1', COLLECTOR_KEY_RATE_LIMIT: '1000' });
  });
  afterEach(async () => {
    await sut.close();
    vi.useRealTimers();
  });

  const postFrom = (remoteAddress: string, headers: Record<string, string> = { 'x-write-key': TEST_WRITE_KEY }) =>
    sut.post('/v1/batch', { events: [contentEvent()] }, headers, { remoteAddress });

  it('should answer 429 with Retry-After per client IP, whichever key it uses', async () => {
    const first = await postFrom('192.0.2.1');
    const second = await postFrom('192.0.2.1', { 'x-write-key': OTHER_KEY });

    const limited = await postFrom('192.0.2.1');

    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json()).toMatchObject({ status: 429, detail: 'rate limit per ip exceeded; retry in 1 s' });
    expect(sut.kafka.published).toHaveLength(2);
  });

  it('should count requests without a valid key, so guessing keys is slowed down too', async () => {
    const guesses = [await postFrom('192.0.2.2', {}), await postFrom('192.0.2.2', { 'x-write-key': 'guess-key-1' })];

    const third = await postFrom('192.0.2.2', { 'x-write-key': 'guess-key-2' });

    expect(guesses.map((r) => r.statusCode)).toEqual([401, 401]);
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ detail: expect.stringContaining('per ip') });
  });

  it('should keep client IPs apart and refill at the rate', async () => {
    await postFrom('192.0.2.3');
    await postFrom('192.0.2.3');

    const limited = await postFrom('192.0.2.3');
    const otherIp = await postFrom('192.0.2.4');
    advanceSeconds(1);
    const afterASecond = await postFrom('192.0.2.3');

    expect(limited.statusCode).toBe(429);
    expect(otherIp.statusCode).toBe(202);
    expect(afterASecond.statusCode).toBe(202);
  });
});
