import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { configureHttpApp, createFastifyAdapter } from '@social-pulse/observability/nest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createCollectorModule } from '../app.module';
import { collectorHttpOptions } from '../collector-http';
import { loadCollectorConfig, type CollectorConfig } from '../config';
import { KafkaRepository } from '../repositories/kafka.repository';
import { FakeKafkaRepository } from './fake-kafka.repository';

/** The write key every test app accepts unless the test names its own COLLECTOR_WRITE_KEYS. */
export const TEST_WRITE_KEY = 'component-test-key';

export interface CollectorTestApp {
  app: NestFastifyApplication;
  config: CollectorConfig;
  /** Stands in for Kafka: what was published, and switches for an unavailable or failing Kafka. */
  kafka: FakeKafkaRepository;
  /**
   * POSTs to the app in-process (Fastify inject, no port). An object body is sent as JSON, a
   * string or Buffer as is; headers replace the default X-Write-Key (pass {} for no key).
   */
  post: (
    path: string,
    body: unknown,
    headers?: Record<string, string>,
    options?: Omit<InjectOptions, 'method' | 'url' | 'headers' | 'payload'>,
  ) => Promise<LightMyRequestResponse>;
  inject: (options: InjectOptions) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
}

/**
 * The collector as main.ts builds it (same module, same HTTP options), from a testing module with
 * Kafka replaced by a fake; the config comes from the real loader, so it is validated as in production.
 */
export async function createCollectorTestApp(env: Record<string, string> = {}): Promise<CollectorTestApp> {
  const config = loadCollectorConfig({ COLLECTOR_WRITE_KEYS: TEST_WRITE_KEY, ...env });
  const kafka = new FakeKafkaRepository();
  const moduleRef = await Test.createTestingModule({ imports: [createCollectorModule(config)] })
    .overrideProvider(KafkaRepository)
    .useValue(kafka)
    .compile();
  const options = collectorHttpOptions(config);
  // Quiet: a test asserts the answers; Nest would log every refused body as an error.
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(options), { logger: false });
  await configureHttpApp(app, options);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  const inject = (injectOptions: InjectOptions) => app.inject(injectOptions);
  return {
    app,
    config,
    kafka,
    inject,
    post: (path, body, headers = { 'x-write-key': TEST_WRITE_KEY }, extra = {}) => {
      const raw = typeof body === 'string' || Buffer.isBuffer(body);
      return inject({
        ...extra,
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json', ...headers },
        payload: raw ? body : JSON.stringify(body),
      });
    },
    close: () => app.close(),
  };
}
