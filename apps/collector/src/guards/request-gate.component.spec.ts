import { TOPICS } from '@social-pulse/shared';
import { contentEvent } from '@social-pulse/testing/fixtures';
import type { FastifyRequest } from 'fastify';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ingestMetrics } from '../services/ingest.metrics';
import { createCollectorTestApp, TEST_WRITE_KEY, type CollectorTestApp } from '../testing/collector-test-app';
import { IpRateLimitGuard } from './rate-limit.guard';
import { installRequestGate } from './request-gate';

/**
 * Attacks on the collector's front door, each tried and seen refused: spoofed client addresses
 * and countries, rotating addresses to reset the rate limits, and making the collector work
 * (read, inflate, parse) before it knows the write key.
 */
const key = { 'x-write-key': TEST_WRITE_KEY };
const PROXY = '10.0.0.1';

/** Frozen clock: a bucket refills only when a test moves it. A rate of r per second allows a burst of 2r. */
async function frozenApp(env: Record<string, string>): Promise<CollectorTestApp> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T12:00:00.000Z'));
  return createCollectorTestApp(env);
}

const inflatedBodies = async () => (await ingestMetrics.inflatedBodies.get()).values.reduce((n, v) => n + v.value, 0);

describe(installRequestGate.name, () => {
  let sut: CollectorTestApp;

  afterEach(async () => {
    await sut.close();
    vi.useRealTimers();
  });

  const postFrom = (remoteAddress: string, headers: Record<string, string> = {}, body: unknown = undefined) =>
    sut.post('/v1/batch', body ?? { events: [contentEvent()] }, { ...key, ...headers }, { remoteAddress });

  describe('client address (TRUSTED_PROXIES)', () => {
    it('should ignore X-Forwarded-For from a peer that is not a trusted proxy, loopback included by default', async () => {
      sut = await frozenApp({ COLLECTOR_IP_RATE_LIMIT: '1' });

      // Each request claims another client; all come from one peer, so they share its bucket.
      const spoofed = [];
      for (const claimed of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        spoofed.push(await postFrom('192.0.2.9', { 'x-forwarded-for': claimed }));
      }
      const fromLoopback = await postFrom('127.0.0.1', { 'x-forwarded-for': '198.51.100.4' });

      expect(spoofed.map((r) => r.statusCode)).toEqual([202, 202, 429]);
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => (e.context as { ip: string }).ip)).toEqual([
        '192.0.2.0',
        '192.0.2.0',
        '127.0.0.0',
      ]);
      expect(fromLoopback.statusCode).toBe(202);
    });

    it("should take the client from a trusted proxy's X-Forwarded-For, for the rate limit and the stored IP", async () => {
      sut = await frozenApp({ COLLECTOR_IP_RATE_LIMIT: '1', TRUSTED_PROXIES: `${PROXY},192.0.2.0/24` });

      // The client put a spoofed address first; the proxy appended the one it saw.
      const first = [
        await postFrom(PROXY, { 'x-forwarded-for': '203.0.113.1, 198.51.100.7' }),
        await postFrom(PROXY, { 'x-forwarded-for': '203.0.113.2, 198.51.100.7' }),
        await postFrom(PROXY, { 'x-forwarded-for': '203.0.113.3, 198.51.100.7' }),
      ];
      const otherClient = await postFrom(PROXY, { 'x-forwarded-for': '198.51.100.8' });

      expect(first.map((r) => r.statusCode)).toEqual([202, 202, 429]);
      expect(otherClient.statusCode).toBe(202);
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => (e.context as { ip: string }).ip)).toEqual([
        '198.51.100.0',
        '198.51.100.0',
        '198.51.100.0',
      ]);
    });

    it('should believe country headers only from a trusted proxy', async () => {
      sut = await frozenApp({ TRUSTED_PROXIES: PROXY });

      const spoofed = await postFrom('192.0.2.9', { 'cf-ipcountry': 'DE', 'x-country': 'FR' });
      const fromLoopback = await postFrom('127.0.0.1', { 'cf-ipcountry': 'DE' });
      const viaProxy = await postFrom(PROXY, { 'cf-ipcountry': 'NL', 'x-forwarded-for': '198.51.100.7' });

      expect([spoofed.statusCode, fromLoopback.statusCode, viaProxy.statusCode]).toEqual([202, 202, 202]);
      expect(sut.kafka.values(TOPICS.contentEvents).map((e) => (e.context as { country?: string }).country)).toEqual([
        undefined,
        undefined,
        'NL',
      ]);
    });
  });

  describe('rate-limit buckets', () => {
    it('should not reset a limited client when 100,001 other addresses come by', async () => {
      sut = await frozenApp({ COLLECTOR_IP_RATE_LIMIT: '1' });
      const limited = '192.0.2.1';
      await postFrom(limited);
      await postFrom(limited);
      // 100,000 requests through inject take minutes on a small machine: the flood takes its tokens
      // from the app's own per-IP limiter directly, as the gate does, with a few real requests among them.
      const ipLimit = sut.app.get(IpRateLimitGuard);
      const address = (i: number) => `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const flood = async (from: number, count: number) => {
        for (let i = from; i < from + count - 1; i++) ipLimit.check({ ip: address(i) } as FastifyRequest);
        // A wrong key: refused (401) by the gate, after the address took its token.
        const last = await postFrom(address(from + count - 1), { 'x-write-key': 'guess-key-1' });
        expect(last.statusCode).toBe(401);
      };

      await flood(0, 50_000);
      const midway = await postFrom(limited);
      await flood(50_000, 50_001);
      const after = await postFrom(limited);

      expect([midway.statusCode, after.statusCode]).toEqual([429, 429]);
    });

    it('should bucket IPv6 clients by their /64, so rotating within it earns no new tokens', async () => {
      sut = await frozenApp({ COLLECTOR_IP_RATE_LIMIT: '1' });

      const sameSlash64 = [
        await postFrom('2001:db8:1:2::1'),
        await postFrom('2001:db8:1:2:ffff:ffff:ffff:fffe'),
        await postFrom('2001:0db8:0001:0002:abcd::9'),
      ];
      const nextSlash64 = await postFrom('2001:db8:1:3::1');

      expect(sameSlash64.map((r) => r.statusCode)).toEqual([202, 202, 429]);
      expect(nextSlash64.statusCode).toBe(202);
    });

    it('should answer a 429 with the CORS headers, so a browser can read Retry-After', async () => {
      sut = await frozenApp({ COLLECTOR_IP_RATE_LIMIT: '1', COLLECTOR_CORS_ORIGINS: 'https://a.example' });
      const origin = { origin: 'https://a.example' };
      await postFrom('192.0.2.5', origin);
      await postFrom('192.0.2.5', origin);

      const limited = await postFrom('192.0.2.5', origin);

      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('1');
      expect(limited.headers['access-control-allow-origin']).toBe('https://a.example');
      expect(limited.headers['access-control-expose-headers']).toBe('retry-after');
    });
  });

  describe('before the body is read', () => {
    // 64 MB of zeros gzip to ~64 kB: far over the body limit once inflated.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"events":['), Buffer.alloc(64 * 1024 * 1024, '0')]));
    const gzip = { 'content-encoding': 'gzip' };

    it('should answer a wrong header key with a gzip bomb 401 without inflating it', async () => {
      sut = await createCollectorTestApp();
      const before = await inflatedBodies();

      const res = await sut.post('/v1/batch', bomb, { ...gzip, 'x-write-key': 'wrong-key-123' });

      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ status: 401, detail: 'unknown write key' });
      expect((await inflatedBodies()) - before).toBe(0);
    });

    it('should answer a compressed body without a key outside it 401 without inflating it', async () => {
      sut = await createCollectorTestApp();
      const before = await inflatedBodies();

      const res = await sut.post(
        '/v1/event',
        gzipSync(JSON.stringify({ ...contentEvent(), write_key: TEST_WRITE_KEY })),
        {
          ...gzip,
          'content-type': 'text/plain',
        },
      );

      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ detail: expect.stringContaining('compressed body needs X-Write-Key') });
      expect((await inflatedBodies()) - before).toBe(0);
      expect(sut.kafka.published).toEqual([]);
    });

    it('should inflate a body once the key passed (the counter the tests above rely on moves)', async () => {
      sut = await createCollectorTestApp();
      const before = await inflatedBodies();

      const ok = await sut.post('/v1/batch', gzipSync(JSON.stringify({ events: [contentEvent()] })), {
        ...key,
        ...gzip,
      });
      const bombWithKey = await sut.post('/v1/batch', bomb, { ...key, ...gzip });

      expect([ok.statusCode, bombWithKey.statusCode]).toEqual([202, 413]);
      expect((await inflatedBodies()) - before).toBe(2);
    });

    it('should refuse a Content-Length over the limit at once, whatever the key', async () => {
      sut = await createCollectorTestApp({ COLLECTOR_MAX_BODY_BYTES: '1024' });
      const big = JSON.stringify({
        events: [contentEvent({ properties: { content_id: 'c', pad: 'x'.repeat(2000) } })],
      });

      const withKey = await sut.post('/v1/batch', big, key);
      const keyInBody = await sut.post('/v1/event', big, { 'content-type': 'text/plain' });

      expect([withKey.statusCode, keyInBody.statusCode]).toEqual([413, 413]);
      expect(withKey.json()).toMatchObject({ detail: expect.stringMatching(/over the limit of 1024$/) });
      expect(sut.kafka.published).toEqual([]);
    });

    it('should not parse the body of a request whose header key is wrong', async () => {
      sut = await createCollectorTestApp();
      const parse = vi.spyOn(JSON, 'parse');

      const res = await sut.post('/v1/event', JSON.stringify({ ...contentEvent(), write_key: TEST_WRITE_KEY }), {
        'content-type': 'text/plain',
        'x-write-key': 'wrong-key-123',
      });

      expect(res.statusCode).toBe(401);
      expect(parse).not.toHaveBeenCalled();
      parse.mockRestore();
    });
  });
});
