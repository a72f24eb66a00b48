import { contentEvent } from '@social-pulse/testing/fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCollectorTestApp, type CollectorTestApp } from '../testing/collector-test-app';
import { IngestService } from './ingest.service';

const batchOf = (n: number) => ({ events: Array.from({ length: n }, () => contentEvent()) });

describe(`${IngestService.name} with a slow Kafka (COLLECTOR_MAX_PENDING_EVENTS)`, () => {
  let sut: CollectorTestApp;

  beforeEach(async () => {
    sut = await createCollectorTestApp({ COLLECTOR_MAX_PENDING_EVENTS: '5' });
  });
  afterEach(async () => {
    sut.kafka.release();
    await sut.close();
  });

  it('should answer 503 with Retry-After at once once the bound is reached, and accept again when Kafka catches up', async () => {
    sut.kafka.hold();
    const waiting = [sut.post('/v1/batch', batchOf(3)), sut.post('/v1/batch', batchOf(2))];
    await vi.waitFor(() => expect(sut.kafka.waitingPublishes).toBe(2));

    const refused = await sut.post('/v1/batch', batchOf(1));

    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({
      status: 503,
      detail: '5 events are waiting for Kafka (at most 5); retry in 1 s with the same event ids',
    });
    expect(sut.kafka.waitingPublishes).toBe(2);

    sut.kafka.release();
    expect((await Promise.all(waiting)).map((r) => r.statusCode)).toEqual([202, 202]);
    expect((await sut.post('/v1/batch', batchOf(5))).statusCode).toBe(202);
    expect(sut.kafka.records()).toHaveLength(10);
  });

  it('should let a single batch bigger than the bound through when nothing waits', async () => {
    const res = await sut.post('/v1/batch', batchOf(6));

    expect(res.statusCode).toBe(202);
  });

  it('should count what waits until Kafka answers, failures included', async () => {
    sut.kafka.failNextPublish(new Error('broker went away'));
    expect((await sut.post('/v1/batch', batchOf(5))).statusCode).toBe(503);
    sut.kafka.recover();

    sut.kafka.hold();
    const waiting = sut.post('/v1/batch', batchOf(5));
    await vi.waitFor(() => expect(sut.kafka.waitingPublishes).toBe(1));
    const refused = await sut.post('/v1/batch', batchOf(1));
    sut.kafka.release();

    expect(refused.statusCode).toBe(503);
    expect((await waiting).statusCode).toBe(202);
  });
});
