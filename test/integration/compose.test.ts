import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiConfigShape, loadApiConfig } from '@social-pulse/api/config';
import { collectorConfigShape, loadCollectorConfig } from '@social-pulse/collector/config';
import { repoRoot } from '@social-pulse/pulse/testing';
import { loadWorkerConfig, workerConfigShape } from '@social-pulse/worker/config';

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string | number>; image?: string; build?: unknown }>;
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;

const apps = [
  { service: 'collector', shape: collectorConfigShape, load: loadCollectorConfig },
  { service: 'api', shape: apiConfigShape, load: loadApiConfig },
  { service: 'worker', shape: workerConfigShape, load: loadWorkerConfig },
];

describe('docker-compose.yml', () => {
  it('should describe the production-like topology', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining([
        'kafka-1',
        'kafka-2',
        'kafka-3',
        'flink-jobmanager',
        'flink-taskmanager',
        'clickhouse',
        'redis',
        'temporal',
        'temporal-postgresql',
        'temporal-ui',
        'collector',
        'api',
        'worker',
      ]),
    );
    for (const broker of ['kafka-1', 'kafka-2', 'kafka-3']) {
      const env = compose.services[broker].environment!;
      expect(env.KAFKA_DEFAULT_REPLICATION_FACTOR, broker).toBe(3);
      expect(env.KAFKA_MIN_INSYNC_REPLICAS, broker).toBe(2);
    }
  });

  it.each(apps)('should give $service exactly the variables its config reads', ({ service, shape, load }) => {
    const environment = compose.services[service].environment ?? {};
    expect(Object.keys(environment).sort()).toEqual(Object.keys(shape).sort());
    const asStrings = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]));
    expect(() => load(asStrings)).not.toThrow();
  });
});
