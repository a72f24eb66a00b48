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

      const worker = async (w: number) => {
        for (let n = 0; running; n++) {
          const events = Array.from({ length: BATCH }, (_, i) =>
            contentEvent({ user_id: `outage-${w}-${i % 5}`, properties: { content_id: `c-${n}` } }),
          );
          const at = phase;
          const status = await fetch(`${collector.url}/v1/batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-write-key': KEY },
            body: JSON.stringify({ events }),
            signal: AbortSignal.timeout(60_000),
          }).then(
            (r) => String(r.status),
            (e: Error) => e.name,
          );
          statuses[at][status] = (statuses[at][status] ?? 0) + 1;
          if (status === '202') accepted.push(...events.map((e) => e.event_id));
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
          await sleep(200);
        }
      };
      const load = [...Array.from({ length: WORKERS }, (_, w) => worker(w)), probeReady()];

      await sleep(5_000);
      phase = 'down';
      await supervisor.stopAll();
      await expect.poll(() => statuses.down['503'] ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
      await expect.poll(() => readiness.down.has(503), { timeout: 30_000 }).toBe(true);
      await sleep(5_000);

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

      expect(Object.keys(statuses.before)).toEqual(['202']);
      expect(
        Object.keys(statuses.down).filter((s) => s !== '202' && s !== '503'),
        'answers other than 202/503 while down',
      ).toEqual([]);
      expect(statuses.after['202']).toBeGreaterThan(0);
      expect(readiness.after.has(200)).toBe(true);
      expect(collector.hasExited()).toBe(false);

      // Reconcile: every acknowledged id exactly once; no id (acknowledged or not) twice.
      const kafka = createKafka('tests', brokers, { logLevel: logLevel.NOTHING });
      const seen = await countEventIdsInKafka(kafka, 'outage', { fromBeginning: true });
      try {
        await expect
          .poll(() => reconcile(accepted, seen.counts).missing.length, { timeout: 90_000, interval: 1000 })
          .toBe(0);
        await sleep(2_000); // late duplicates, if any, arrive after the originals
        const { duplicated, unexpected } = reconcile(accepted, seen.counts);
        console.log(
          `acknowledged ${accepted.length} events; ${seen.counts.size} distinct in Kafka (${unexpected.length} not acknowledged); ${duplicated.length} duplicated`,
        );
        expect(duplicated.slice(0, 10)).toEqual([]);
      } finally {
        await seen.stop();
      }
    },
  );
});
