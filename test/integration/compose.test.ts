import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiConfigShape, loadApiConfig } from '@social-pulse/api/config';
import { collectorConfigShape, loadCollectorConfig } from '@social-pulse/collector/config';
import { repoRoot } from '@social-pulse/pulse/testing';
import { loadWorkerConfig, workerConfigShape } from '@social-pulse/worker/config';

type PortEntry = string | number | { target?: number | string; published?: number | string; host_ip?: string };

interface ComposeService {
  environment?: Record<string, string | number>;
  env_file?: string | (string | { path: string })[];
  image?: string;
  build?: unknown;
  ports?: PortEntry[];
  command?: string | string[];
  entrypoint?: string | string[];
  healthcheck?: { test?: string | string[] };
  network_mode?: string;
  restart?: string;
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  networks?: Record<string, { ipv4_address?: string } | null>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;

const apps = [
  { service: 'collector-1', shape: collectorConfigShape, load: loadCollectorConfig },
  { service: 'collector-2', shape: collectorConfigShape, load: loadCollectorConfig },
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
        'collector-1',
        'collector-2',
        'api',
        'worker',
        'bootstrap',
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

  describe('collectors behind a load balancer', () => {
    const lb = compose.services.collector;

    it('should run two identical collectors, neither published, behind the published load balancer', () => {
      const [one, two] = [compose.services['collector-1'], compose.services['collector-2']];
      expect(two.environment).toEqual(one.environment);
      expect(two.command).toEqual(one.command);
      expect(one.ports ?? []).toEqual([]);
      expect(two.ports ?? []).toEqual([]);
      expect(lb.image).toMatch(/^haproxy:/);
      expect((lb.ports ?? []).map((entry) => publishedPort(entry).entry)).toEqual(['8080:8080']);
    });

    it('should balance over both collectors, health-checking /health, with the config file from the repo', () => {
      const mount = (lb.volumes ?? []).find((volume) => volume.endsWith(':/usr/local/etc/haproxy/haproxy.cfg:ro'));
      expect(mount).toBeDefined();
      const config = readFileSync(join(repoRoot, mount!.split(':')[0]), 'utf8');
      expect(config).toMatch(/^\s*http-check send meth GET uri \/health$/m);
      expect(config).toMatch(/^\s*server collector-1 collector-1:8080$/m);
      expect(config).toMatch(/^\s*server collector-2 collector-2:8080$/m);
      expect(config).toMatch(/^\s*bind :8080$/m);
    });

    it("should make the collectors believe the load balancer's forwarded address, and no one else's", () => {
      const address = lb.networks?.default?.ipv4_address;
      expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      for (const service of ['collector-1', 'collector-2']) {
        expect(compose.services[service].environment?.TRUSTED_PROXIES, service).toBe(address);
      }
    });
  });

  describe('bootstrap', () => {
    const bootstrap = compose.services.bootstrap;

    it('should run `pulse bootstrap` once, not restarted', () => {
      expect(bootstrap.restart).toBe('no');
      expect([bootstrap.command].flat().join(' ')).toMatch(/tools\/pulse\/src\/cli\.ts bootstrap$/);
    });

    it('should start once the worker and the infrastructure are healthy, each with a health check', () => {
      const dependsOn = bootstrap.depends_on as Record<string, { condition?: string }>;
      for (const service of ['worker', 'kafka-1', 'kafka-2', 'kafka-3', 'clickhouse', 'flink-jobmanager']) {
        expect(dependsOn[service]?.condition, service).toBe('service_healthy');
        expect(compose.services[service].healthcheck?.test, service).toBeDefined();
      }
    });

    it("should reach the worker's Temporal under the variable names the apps use", () => {
      const environment = bootstrap.environment ?? {};
      const worker = compose.services.worker.environment ?? {};
      for (const [name, value] of Object.entries(environment)) {
        expect(Object.keys(workerConfigShape), name).toContain(name);
        expect(value, name).toBe(worker[name]);
      }
      expect(environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    });
  });

  describe('exposure and secrets', () => {
    /** The only services published on every interface: what users and SDKs reach. */
    const PUBLIC_ENTRY_POINTS = new Set(['collector', 'collector-lb', 'api']);
    const services = Object.entries(compose.services);

    it('should publish only the collector and the API on every interface, the admin ports on 127.0.0.1', () => {
      const published = services.flatMap(([service, spec]) =>
        (spec.ports ?? []).map((entry) => ({ service, ...publishedPort(entry) })),
      );
      expect(published.filter((p) => p.service === 'collector').length, 'the collector is published').toBeGreaterThan(
        0,
      );
      expect(published.filter((p) => p.service === 'api').length, 'the API is published').toBeGreaterThan(0);
      const exposed = published.filter((p) => !PUBLIC_ENTRY_POINTS.has(p.service) && p.hostIp !== '127.0.0.1');
      expect(exposed, 'published beyond 127.0.0.1 though not a public entry point').toEqual([]);
      // Host networking would publish every port the container listens on.
      const hostNetwork = services.filter(([, spec]) => spec.network_mode === 'host').map(([service]) => service);
      expect(hostNetwork).toEqual([]);
    });

    it('should not publish Kafka, Redis, Temporal, PostgreSQL or the worker at all', () => {
      for (const service of ['kafka-1', 'kafka-2', 'kafka-3', 'redis', 'temporal', 'temporal-postgresql', 'worker']) {
        expect(compose.services[service].ports ?? [], service).toEqual([]);
      }
    });

    it('should put no secret on a command line', () => {
      const secretLike =
        /pass(word|wd)?|secret|token|api[-_]?keys?|write[-_]?keys?|credential|auth|:\/\/[^/\s@]*:[^/\s@]*@/i;
      const offending = services.flatMap(([service, spec]) =>
        (
          [
            ['command', spec.command],
            ['entrypoint', spec.entrypoint],
            ['healthcheck', spec.healthcheck?.test],
          ] as const
        )
          .map(([field, value]) => ({ service, field, line: [value ?? []].flat().join(' ') }))
          .filter(({ line }) => secretLike.test(line)),
      );
      expect(offending).toEqual([]);
    });

    it('should give ClickHouse a password from the git-ignored .env, documented in .env.example', () => {
      const envFiles = [compose.services.clickhouse.env_file ?? []]
        .flat()
        .map((file) => (typeof file === 'string' ? file : file.path));
      expect(envFiles).toContain('.env');
      // Set only there: no empty or literal password in the compose file.
      expect(compose.services.clickhouse.environment?.CLICKHOUSE_PASSWORD).toBeUndefined();

      const example = readFileSync(join(repoRoot, '.env.example'), 'utf8');
      expect(example).toMatch(/^CLICKHOUSE_PASSWORD=/m);
      const ignored = readFileSync(join(repoRoot, '.gitignore'), 'utf8')
        .split('\n')
        .map((line) => line.trim());
      expect(ignored).toContain('.env');
    });

    it('should carry the same password to the apps and the TaskManagers, required and never inline', () => {
      for (const service of ['api', 'worker']) {
        const url = new URL(String(compose.services[service].environment?.CLICKHOUSE_URL));
        expect(url.host, service).toBe('clickhouse:8123');
        expect(decodeURIComponent(url.password), service).toBe('${CLICKHOUSE_PASSWORD}');
      }
      // The jobs read it on the TaskManagers (never as a program argument); `:?` makes Compose refuse an empty one.
      expect(String(compose.services['flink-taskmanager'].environment?.CLICKHOUSE_PASSWORD)).toMatch(
        /^\$\{CLICKHOUSE_PASSWORD:\?[^}]*\}$/,
      );
      expect(compose.services['flink-jobmanager'].environment?.CLICKHOUSE_PASSWORD).toBeUndefined();
    });
  });
});

/** A `ports:` entry in either syntax: `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` or `{ target, published, host_ip }`. */
function publishedPort(entry: PortEntry): { entry: string; hostIp: string | undefined } {
  if (typeof entry === 'object') return { entry: JSON.stringify(entry), hostIp: entry.host_ip };
  const text = String(entry).replace(/\/(tcp|udp)$/, '');
  // An IPv6 host IP is bracketed: [::1]:8081:8081.
  const ipv6 = /^\[([^\]]+)\]:/.exec(text);
  if (ipv6) return { entry: text, hostIp: ipv6[1] };
  const parts = text.split(':');
  return { entry: text, hostIp: parts.length === 3 ? parts[0] : undefined };
}
