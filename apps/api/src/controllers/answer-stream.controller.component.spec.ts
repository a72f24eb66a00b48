import { PRECOMPUTED_ANSWER_NAMES } from '@social-pulse/shared';
import { get, type IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnswerStreams, type AnswerStreamOptions } from '../services/answer-streams.service';
import { TEST_API_KEY } from '../testing/api-test-app';
import { startLiveDashboardTestApp, type LiveDashboardTestApp } from '../testing/live-dashboard-test-app';
import { AnswerStreamController } from './answer-stream.controller';

const update = (answer: string, computedAt: string, key = `pulse:test:${answer}`) => ({
  answer,
  key,
  data_time: computedAt,
  computed_at: computedAt,
});

interface StreamEvent {
  event: string;
  data: unknown;
}

/**
 * A client of GET /v1/stream on a connection of its own (node:http, no agent): fetch's pool opens a
 * spare connection after an aborted stream, which would hold up the server's close for a minute.
 */
async function openStream(url: string, headers: Record<string, string> = { 'x-api-key': TEST_API_KEY }) {
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  let body = '';
  const request = get(`${url}/v1/stream`, { headers, agent: false });
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    request.once('response', resolve).once('error', reject),
  );
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    if (response.statusCode !== 200) {
      body += chunk;
      return;
    }
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      if (lines.every((line) => line.startsWith(':'))) comments.push(block);
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  });
  const done = new Promise<void>((resolve) => response.once('close', resolve));
  void done.then(() => (ended = true));
  request.on('error', () => undefined);
  return {
    status: response.statusCode,
    headers: response.headers,
    json: async () => {
      await done;
      return JSON.parse(body) as Record<string, unknown>;
    },
    events,
    comments,
    hasEnded: () => ended,
    /** Waits until `count` events of the type arrived; returns them. */
    async waitFor(event: string, count = 1): Promise<StreamEvent[]> {
      await expect
        .poll(() => events.filter((e) => e.event === event).length, { timeout: 2_000 })
        .toBeGreaterThanOrEqual(count);
      return events.filter((e) => e.event === event);
    },
    close: async () => {
      request.destroy();
      await done;
    },
  };
}

describe(AnswerStreamController.name, () => {
  let api: LiveDashboardTestApp;
  const streams: Awaited<ReturnType<typeof openStream>>[] = [];

  async function start(stream: Partial<AnswerStreamOptions> = {}) {
    api = await startLiveDashboardTestApp({ stream });
  }

  const open = async (headers?: Record<string, string>) => {
    const stream = await openStream(api.url, headers);
    streams.push(stream);
    return stream;
  };

  beforeEach(async () => {
    await start();
  });

  afterEach(async () => {
    await Promise.all(streams.splice(0).map((stream) => stream.close()));
    await api.close();
  });

  describe('authentication', () => {
    it('should refuse a stream without a key, before subscribing to anything', async () => {
      const stream = await open({});

      expect(stream.status).toBe(401);
      expect(api.feed.starts).toBe(0);
    });

    it('should refuse an unknown key', async () => {
      const stream = await open({ 'x-api-key': 'not-a-known-key-at-all' });

      expect(stream.status).toBe(401);
    });

    it('should take the key as a Bearer token too', async () => {
      const stream = await open({ authorization: `Bearer ${TEST_API_KEY}` });

      expect(stream.status).toBe(200);
    });
  });

  describe('events', () => {
    it('should open an event stream that proxies must neither buffer nor cache, starting with ready', async () => {
      const stream = await open();

      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      const [ready] = await stream.waitFor('ready');
      expect(ready.data).toEqual({ live: false, answers: [...PRECOMPUTED_ANSWER_NAMES] });
    });

    it('should relay a refreshed answer with its times, not its Redis key', async () => {
      const stream = await open();
      await stream.waitFor('ready');

      api.feed.publish(update('trending-1m', '2026-11-27T12:00:01.000Z'));

      const [answer] = await stream.waitFor('answer');
      expect(answer.data).toEqual({
        answer: 'trending-1m',
        data_time: '2026-11-27T12:00:01.000Z',
        computed_at: '2026-11-27T12:00:01.000Z',
      });
    });

    it('should relay an answer rewritten unchanged only once, and again once it changed', async () => {
      const stream = await open();
      await stream.waitFor('ready');

      api.feed.publish(update('trending-1m', '2026-11-27T12:00:01.000Z'));
      api.feed.publish(update('trending-1m', '2026-11-27T12:00:01.000Z'));
      api.feed.publish(update('trending-1m', '2026-11-27T12:00:02.000Z'));
      api.feed.publish(update('trending-5m', '2026-11-27T12:00:02.000Z'));

      const answers = await stream.waitFor('answer', 3);
      expect(answers.map((a) => (a.data as { computed_at: string }).computed_at)).toEqual([
        '2026-11-27T12:00:01.000Z',
        '2026-11-27T12:00:02.000Z',
        '2026-11-27T12:00:02.000Z',
      ]);
    });

    it('should relay each request shape of an answer (one key each)', async () => {
      const stream = await open();
      await stream.waitFor('ready');

      const at = '2026-11-27T12:00:00.000Z';
      api.feed.publish(update('engagement-last-day', at, 'pulse:engagement:v1:summary:hour:-'));
      api.feed.publish(update('engagement-last-day', at, 'pulse:engagement:v1:summary:hour:device'));

      expect(await stream.waitFor('answer', 2)).toHaveLength(2);
    });

    it('should ignore a message that is not an answer update', async () => {
      const stream = await open();
      await stream.waitFor('ready');

      api.feed.publish('not json');
      api.feed.publish({ answer: 42, key: 'k', data_time: null, computed_at: null });
      api.feed.publish({ answer: 'trending-1m', data_time: null, computed_at: null });
      api.feed.publish(update('ads-campaigns', '2026-11-27T12:00:00.000Z'));

      const answers = await stream.waitFor('answer');
      expect(answers.map((a) => (a.data as { answer: string }).answer)).toEqual(['ads-campaigns']);
    });

    it('should tell open streams when the subscription is lost and when it stands again', async () => {
      const stream = await open();
      await stream.waitFor('ready');

      api.feed.setLive(true);
      api.feed.setLive(false);
      api.feed.setLive(true);

      const statuses = await stream.waitFor('status', 3);
      expect(statuses.map((s) => s.data)).toEqual([{ live: true }, { live: false }, { live: true }]);
      const later = await open();
      expect((await later.waitFor('ready'))[0].data).toMatchObject({ live: true });
    });

    it('should send a heartbeat comment while nothing happens', async () => {
      await api.close();
      await start({ heartbeatMs: 50 });
      const stream = await open();

      await expect.poll(() => stream.comments.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(2);
      expect(stream.comments[0]).toBe(': heartbeat');
    });
  });

  describe('fan-out', () => {
    it('should hold one subscription for every stream, and stop sending to a stream that left', async () => {
      const first = await open();
      const second = await open();
      await first.waitFor('ready');
      await second.waitFor('ready');
      const streamsService = api.app.get(AnswerStreams);
      expect(api.feed.starts).toBe(1);
      expect(streamsService.openCount).toBe(2);

      await first.close();
      await expect.poll(() => streamsService.openCount).toBe(1);
      api.feed.publish(update('trending-1m', '2026-11-27T12:00:03.000Z'));

      expect(await second.waitFor('answer')).toHaveLength(1);
      expect(first.events.filter((e) => e.event === 'answer')).toEqual([]);
    });

    it('should refuse streams beyond its limit with 503', async () => {
      await api.close();
      await start({ maxStreams: 1 });
      const first = await open();
      await first.waitFor('ready');

      const second = await open();

      expect(second.status).toBe(503);
      expect((await second.json()).detail).toMatch(/holds 1 streams already/);
    });

    it('should drop a stream whose client stopped reading rather than buffer for it', async () => {
      await api.close();
      await start({ maxUnreadBytes: 1 });
      const stream = await open();
      await stream.waitFor('ready');
      const streamsService = api.app.get(AnswerStreams);
      // The PassThrough has a backlog only when the socket pushes back; force one by writing past it.
      for (let i = 0; i < 2_000; i++)
        api.feed.publish(update('trending-1m', new Date(1_800_000_000_000 + i).toISOString()));

      await expect.poll(() => streamsService.openCount, { timeout: 5_000 }).toBe(0);
    });
  });

  describe('shutdown', () => {
    it('should end every open stream when the API stops, and stop its subscription', async () => {
      const stream = await open();
      await stream.waitFor('ready');

      const started = performance.now();
      await api.close();

      expect(performance.now() - started).toBeLessThan(2_000);
      await expect.poll(() => stream.hasEnded()).toBe(true);
      expect(api.feed.stops).toBe(1);
    });
  });
});
