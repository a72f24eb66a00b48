import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka } from '@social-pulse/kafka';
import {
  bootstrapServers,
  ensureTopics,
  installKafka,
  isAlive,
  kafkaServices,
  sleep,
  Supervisor,
  versions,
} from '@social-pulse/pulse/testing';
import {
  contentEvent,
  countEventIdsInKafka,
  freePortRange,
  reconcile,
  startCollector,
  waitReady,
  type CollectorProcess,
} from '@social-pulse/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A Kafka and a collector of the test's own, so stopping Kafka disturbs nothing else.
const KEY = 'outage-write-key';
const WORKERS = 8;
const BATCH = 20;

describe('collector through a Kafka outage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-collector-outage-'));
  let cluster: { brokerCount: number; basePort: number };
  let brokers: string[];
  let libDir: string;
  let supervisor: Supervisor;
  let collector: CollectorProcess;

  const startKafka = async () => {
    // A new supervisor per start: stopAll ends a supervisor for good. Same dir, so the data survives.
    supervisor = new Supervisor(dir, () => undefined, { restartOnExit: false });
    await supervisor.startTogether(
      kafkaServices({ ...cluster, dir, libDir, version: versions.kafka.version, heap: '512m' }),
    );
  };

  beforeAll(async () => {
    ({ libDir } = await installKafka());
    // One broker: its port and its controller's, kept across the restart so clients find it again.
    cluster = { brokerCount: 1, basePort: await freePortRange(2) };
    brokers = bootstrapServers(cluster);
    await startKafka();
    await ensureTopics(brokers, 1);
    collector = await startCollector({ KAFKA_BROKERS: brokers.join(','), COLLECTOR_WRITE_KEYS: KEY });
    await waitReady(collector.url);
  });

  afterAll(async () => {
    await collector?.stop();
    const pids = Object.values(supervisor?.snapshot() ?? {}).map((s) => s.pid);
    await supervisor?.stopAll();
    expect(pids.filter(isAlive), 'brokers left running').toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'should answer 503 while Kafka is down, recover, and lose or duplicate no acknowledged event',
    { timeout: 300_000 },
    async () => {
      type Phase = 'before' | 'down' | 'after';
      let phase: Phase = 'before';
      let running = true;
      const accepted: string[] = [];
      const statuses: Record<Phase, Record<string, number>> = { before: {}, down: {}, after: {} };
      const readiness: Record<Phase, Set<number>> = { before: new Set(), down: new Set(), after: new Set() };
      const answeredWhileUp: Record<string, number> = {};
      /** Requests sent before the outage and not yet answered. */
      let pendingFromBefore = 0;
      /** Per worker, how many 503s it has had while Kafka was down. */
      const refusedWhileDown = Array.from({ length: WORKERS }, () => 0);

      const worker = async (w: number) => {
        for (let n = 0; running; n++) {
          const events = Array.from({ length: BATCH }, (_, i) =>
            contentEvent({ user_id: `outage-${w}-${i % 5}`, properties: { content_id: `c-${n}` } }),
          );
          const at = phase;
          if (at === 'before') pendingFromBefore++;
          const status = await fetch(`${collector.url}/v1/batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-write-key': KEY },
            body: JSON.stringify({ events }),
            signal: AbortSignal.timeout(60_000),
          }).then(
            (r) => String(r.status),
            (e: Error) => e.name,
          );
          if (at === 'before') pendingFromBefore--;
          // Answered while Kafka was still up (a request in flight when it stopped may get 503).
          if (phase === 'before') answeredWhileUp[status] = (answeredWhileUp[status] ?? 0) + 1;
          statuses[at][status] = (statuses[at][status] ?? 0) + 1;
          if (at === 'down' && status === '503') refusedWhileDown[w]++;
          if (status === '202') accepted.push(...events.map((e) => e.event_id));
          // Load pacing, not synchronisation: back off after a refusal, as a client would.
          else await sleep(100);
        }
      };
      const probeReady = async () => {
        while (running) {
          const at = phase;
          readiness[at].add(
            await fetch(`${collector.url}/ready`).then(
              (r) => r.status,
              () => 0,
            ),
          );
          // Load pacing, not synchronisation: the probe samples /ready five times a second.
          await sleep(200);
        }
      };
      const load = [...Array.from({ length: WORKERS }, (_, w) => worker(w)), probeReady()];

      // Kafka goes down under load: once 80 batches have been accepted and /ready has said 200.
      await expect.poll(() => accepted.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(WORKERS * BATCH * 10);
      await expect.poll(() => readiness.before.has(200), { timeout: 30_000 }).toBe(true);
      phase = 'down';
      await supervisor.stopAll();
      await expect.poll(() => statuses.down['503'] ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
      await expect.poll(() => readiness.down.has(503), { timeout: 30_000 }).toBe(true);
      // Kafka comes back once the outage has run its course: the requests it caught in flight have
      // their answers, and every worker has been refused a few times (the collector keeps refusing
      // quickly, without hanging, for as long as Kafka is away).
      await expect.poll(() => pendingFromBefore, { timeout: 90_000 }).toBe(0);
      await expect
        .poll(() => Math.min(...refusedWhileDown), { timeout: 60_000, interval: 100 })
        .toBeGreaterThanOrEqual(5);

      await startKafka();
      phase = 'after';
      await waitReady(collector.url, 90_000);
      const acceptedBeforeRecovery = accepted.length;
      await expect
        .poll(() => accepted.length - acceptedBeforeRecovery, { timeout: 60_000 })
        .toBeGreaterThan(WORKERS * BATCH * 10);
      running = false;
      await Promise.all(load);
      console.log(
        'outage statuses by phase:',
        JSON.stringify(statuses),
        'readiness:',
        JSON.stringify(Object.fromEntries(Object.entries(readiness).map(([k, v]) => [k, [...v]]))),
      );

      expect(Object.keys(answeredWhileUp)).toEqual(['202']);
      expect(
        Object.keys(statuses.before).filter((s) => s !== '202' && s !== '503'),
        'answers other than 202/503 to requests sent before the outage',
      ).toEqual([]);
      expect(
        Object.keys(statuses.down).filter((s) => s !== '202' && s !== '503'),
        'answers other than 202/503 while down',
      ).toEqual([]);
      expect(statuses.after['202']).toBeGreaterThan(0);
      expect(readiness.after.has(200)).toBe(true);
      expect(collector.hasExited()).toBe(false);

      // Reconcile: every acknowledged id exactly once; no id (acknowledged or not) twice. The load
      // has ended, so what the topic ends at now is all there will be: read up to it.
      const kafka = createKafka('tests', brokers, { logLevel: logLevel.NOTHING });
      const seen = await countEventIdsInKafka(kafka, 'outage', { fromBeginning: true });
      try {
        await seen.settled(90_000);
        const { missing, duplicated, unexpected } = reconcile(accepted, seen.counts);
        console.log(
          `acknowledged ${accepted.length} events; ${seen.counts.size} distinct in Kafka (${unexpected.length} not acknowledged); ${duplicated.length} duplicated`,
        );
        expect(missing.slice(0, 10), `${missing.length} acknowledged events missing`).toEqual([]);
        expect(duplicated.slice(0, 10), `${duplicated.length} events duplicated`).toEqual([]);
      } finally {
        await seen.stop();
      }
    },
  );
});
