import { Agent, request } from 'node:http';
import { createKafka } from '@social-pulse/kafka';
import {
  contentEvent,
  countEventIdsInKafka,
  platform,
  reconcile,
  startCollector,
  waitReady,
  type CollectorProcess,
  type EventIdCounts,
} from '@social-pulse/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * 4,000 generated malformed requests (FUZZ_REQUESTS for more; each run draws a new seed, so runs
 * add up), 20 at a time, against a collector of its own (rate limits out of the way) on the
 * platform's Kafka; valid batches go alongside. No answer may be a 5xx, the process must stay up,
 * and every valid event answered 202 must arrive in content-events.
 */
const KEY = 'fuzz-write-key';
const MALFORMED = Number(process.env.FUZZ_REQUESTS ?? 4_000);
const CONCURRENCY = 20;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const BODY_LIMIT = 1_048_576;

/** mulberry32: a seeded generator, so a failing run can be replayed with FUZZ_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}

const validEvent = (userId: string) =>
  contentEvent({ user_id: userId, properties: { content_id: `c-${userId}`, hashtags: ['fuzz'] } });

interface FuzzRequest {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function generator(seed: number) {
  const r = prng(seed);
  const junkValues = [
    null,
    true,
    0,
    -1,
    1e308,
    'x',
    '',
    [],
    {},
    [[[]]],
    { a: { b: {} } },
    '\u0000',
    '\ud800',
    '💥'.repeat(10),
  ];
  const junk = (): unknown => r.pick(junkValues);
  const nested = (depth: number, array: boolean) => {
    const open = array ? '[' : '{"a":';
    const close = array ? ']' : '}';
    return `${open.repeat(depth)}1${close.repeat(depth)}`;
  };
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => r.int(256)));
  const event = (): Record<string, unknown> => validEvent(`fz-${r.int(50)}`);

  const bodies: Record<string, () => { body: Buffer | string; contentType?: string }> = {
    wrongTopTypes: () => ({
      body: JSON.stringify(
        r.pick([{ events: junk() }, junk(), { events: [junk(), junk()] }, { sent_at: junk(), events: [event()] }]),
      ),
    }),
    wrongFieldTypes: () => {
      const e = event();
      for (let i = 0; i < 1 + r.int(3); i++)
        e[
          r.pick([
            'event_id',
            'event_type',
            'schema_version',
            'user_id',
            'client_ts',
            'properties',
            'context',
            'sent_at',
          ])
        ] = junk();
      return { body: JSON.stringify({ events: [e] }) };
    },
    hugeString: () => {
      const size = r.pick([9_000, 40_000, 300_000, 1_000_000, 1_200_000]);
      const e = { ...event(), properties: { content_id: 'c', text: 'x'.repeat(size) } };
      return { body: JSON.stringify({ events: [e] }) };
    },
    hugeKey: () => ({
      body: JSON.stringify({
        events: [{ ...event(), properties: { content_id: 'c', ['k'.repeat(1000 + r.int(50_000))]: 1 } }],
      }),
    }),
    manyEvents: () => ({
      body: JSON.stringify({ events: Array.from({ length: r.pick([501, 2000, 20_000]) }, () => r.int(10)) }),
    }),
    deepNesting: () => {
      const depth = r.pick([11, 50, 1000, 100_000]);
      const inner = nested(depth, r.next() < 0.5);
      return { body: r.next() < 0.5 ? `{"events":[{"event_id":"x","properties":${inner}}]}` : `{"events":[${inner}]}` };
    },
    badUtf8: () => {
      const text = JSON.stringify({ events: [event()] });
      const at = r.int(text.length);
      return {
        body: Buffer.concat([
          Buffer.from(text.slice(0, at)),
          r.pick([Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), randomBytes(8)]),
          Buffer.from(text.slice(at)),
        ]),
      };
    },
    badJson: () => {
      const text = JSON.stringify({ events: [event(), event()] });
      return {
        body: r.pick([
          text.slice(0, r.int(text.length)),
          text.replace(/"/g, "'"),
          `${text},`,
          '{"events":[1,]}',
          'NaN',
          '',
          '{"__proto__":{"polluted":1},"events":[{}]}',
          '{"constructor":{"prototype":{"x":1}}}',
        ]),
      };
    },
    randomBytes: () => ({ body: randomBytes(r.int(4096)) }),
    wrongContentType: () => ({
      body: r.next() < 0.5 ? JSON.stringify({ events: [event()] }) : randomBytes(100),
      contentType: r.pick([
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'text/html',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'text/plain; charset=latin1',
        'image/png',
        '',
        'application/json; boundary=',
        ';;;',
      ]),
    }),
  };
  const kinds = Object.keys(bodies);

  return (): FuzzRequest => {
    const kind = r.pick(kinds);
    const made = bodies[kind]();
    const body = Buffer.isBuffer(made.body) ? made.body : Buffer.from(made.body);
    const headers: Record<string, string> = {};
    if (made.contentType !== undefined) {
      if (made.contentType) headers['content-type'] = made.contentType;
    } else headers['content-type'] = r.next() < 0.8 ? 'application/json' : 'text/plain;charset=UTF-8';
    const auth = r.next();
    if (auth < 0.85) headers['x-write-key'] = KEY;
    else if (auth < 0.9) headers['x-write-key'] = 'k'.repeat(r.int(10_000));
    if (r.next() < 0.05) headers['content-encoding'] = 'gzip';
    if (r.next() < 0.1)
      headers['user-agent'] = randomBytes(50)
        .toString('latin1')
        .replace(/[^\x20-\x7e]/g, 'x');
    if (r.next() < 0.1) headers['cf-ipcountry'] = r.pick(['', 'zz', '🇩🇪'.length ? 'D' : '', 'de', 'XXX']);
    if (r.next() < 0.05) headers.origin = r.pick(['null', 'https://evil.example', 'x'.repeat(3000)]);
    const path = r.pick([
      '/v1/batch',
      '/v1/batch',
      '/v1/event',
      `/v1/batch?write_key=${r.pick([KEY, '', '%ff%fe', 'a&write_key=b'])}`,
    ]);
    return { kind, path, headers, body };
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(base: string, req: FuzzRequest): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const call = request(
      `${base}${req.path}`,
      { method: 'POST', agent, headers: { ...req.headers, 'content-length': String(req.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
        res.on('error', (e) => resolve({ error: e.message }));
      },
    );
    call.setTimeout(30_000, () => call.destroy(new Error('timeout')));
    call.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    call.end(req.body);
  });
}

describe('collector fuzzing', () => {
  let collector: CollectorProcess;
  const kafka = createKafka('tests', platform.kafkaBrokers, { logLevel: logLevel.NOTHING });
  let kafkaIds: EventIdCounts | undefined;

  beforeAll(async () => {
    collector = await startCollector({
      KAFKA_BROKERS: platform.kafkaBrokers.join(','),
      COLLECTOR_WRITE_KEYS: KEY,
      COLLECTOR_IP_RATE_LIMIT: '1000000',
      COLLECTOR_KEY_RATE_LIMIT: '1000000',
      COLLECTOR_MAX_BODY_BYTES: String(BODY_LIMIT),
    });
    await waitReady(collector.url);
    // Only the valid batches' events: malformed batches may hold valid events that are accepted too.
    kafkaIds = await countEventIdsInKafka(kafka, 'collector-fuzz', {
      where: (event) => String(event.user_id).startsWith('fz-valid-'),
    });
  });

  afterAll(async () => {
    agent.destroy();
    await kafkaIds?.stop();
    await collector?.stop();
  });

  it(
    `should answer ${MALFORMED} malformed requests without a 5xx and deliver the valid events alongside`,
    { timeout: 600_000 },
    async () => {
      const next = generator(SEED);
      const statuses = new Map<string, Map<number | string, number>>();
      const serverErrors: string[] = [];
      const unexpectedErrors: string[] = [];
      const acceptedIds: string[] = [];
      const count = (kind: string, status: number | string) => {
        const byStatus = statuses.get(kind) ?? new Map<number | string, number>();
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        statuses.set(kind, byStatus);
      };

      let issued = 0;
      const worker = async () => {
        while (issued < MALFORMED) {
          const n = issued++;
          // Every 25th request is a valid batch, interleaved with the malformed ones.
          if (n % 25 === 0) {
            const events = Array.from({ length: 5 }, (_, i) => validEvent(`fz-valid-${n}-${i}`));
            const res = await send(collector.url, {
              kind: 'valid',
              path: '/v1/batch',
              headers: { 'content-type': 'application/json', 'x-write-key': KEY },
              body: Buffer.from(JSON.stringify({ events })),
            });
            const status = 'status' in res ? res.status : res.error;
            count('valid', status);
            if (status === 202) acceptedIds.push(...events.map((e) => e.event_id));
            else unexpectedErrors.push(`valid batch answered ${status}`);
          }
          const req = next();
          const res = await send(collector.url, req);
          if ('status' in res) {
            count(req.kind, res.status);
            if (res.status >= 500)
              serverErrors.push(
                `${req.kind} ${req.path} ${JSON.stringify(req.headers).slice(0, 200)} → ${res.status} ${res.body.slice(0, 300)}`,
              );
            else if (res.status >= 400 && !res.body.startsWith('{'))
              unexpectedErrors.push(`${req.kind} → ${res.status} without a JSON body: ${res.body.slice(0, 100)}`);
          } else {
            count(req.kind, res.error);
            // The server may close the connection of a body over its limit while it is being sent.
            if (req.body.length <= BODY_LIMIT)
              unexpectedErrors.push(`${req.kind} (${req.body.length} bytes) → ${res.error}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      const summary = Object.fromEntries([...statuses].map(([kind, byStatus]) => [kind, Object.fromEntries(byStatus)]));
      console.log(`fuzz seed ${SEED}:`, JSON.stringify(summary));
      expect(serverErrors.slice(0, 10), `5xx answers (seed ${SEED})`).toEqual([]);
      expect(unexpectedErrors.slice(0, 10), `unexpected failures (seed ${SEED})`).toEqual([]);
      expect(collector.hasExited()).toBe(false);
      expect((await fetch(`${collector.url}/health`)).status).toBe(200);
      expect((await fetch(`${collector.url}/ready`)).status).toBe(200);

      expect(acceptedIds.length).toBe(Math.ceil(MALFORMED / 25) * 5);
      // Every request has its answer: read the topic up to where it ends now, then the counts are final.
      await kafkaIds!.settled(60_000);
      const { missing, duplicated } = reconcile(acceptedIds, kafkaIds!.counts);
      expect(missing.slice(0, 10), `${missing.length} acknowledged events missing`).toEqual([]);
      expect(duplicated.slice(0, 10), `${duplicated.length} events delivered more than once`).toEqual([]);
    },
  );
});
