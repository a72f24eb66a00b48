import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollectorTestApp, type CollectorTestApp } from '../testing/collector-test-app';
import { HealthController } from './health.controller';

describe(HealthController.name, () => {
  let sut: CollectorTestApp;

  beforeAll(async () => {
    sut = await createCollectorTestApp();
  });
  afterAll(() => sut.close());
  beforeEach(() => sut.kafka.reset());

  it('should answer /health without a key, whether Kafka is there or not', async () => {
    sut.kafka.disconnect();

    const res = await sut.inject({ method: 'GET', url: '/health' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', service: 'collector' });
  });

  it('should answer /ready with 200 while Kafka can take events', async () => {
    const res = await sut.inject({ method: 'GET', url: '/ready' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', kafka: true });
  });

  it('should answer /ready with a 503 problem while Kafka is away', async () => {
    sut.kafka.disconnect();

    const res = await sut.inject({ method: 'GET', url: '/ready' });

    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'unready: Kafka cannot take events',
      instance: '/ready',
      kafka: false,
    });
  });

  it('should turn unready after a failed publish, and ready again once Kafka recovers', async () => {
    sut.kafka.failNextPublish(new Error('broker went away'));
    await sut.post('/v1/batch', { events: [{}] });

    const unready = await sut.inject({ method: 'GET', url: '/ready' });
    sut.kafka.recover();
    const ready = await sut.inject({ method: 'GET', url: '/ready' });

    expect(unready.statusCode).toBe(503);
    expect(ready.statusCode).toBe(200);
  });
});
