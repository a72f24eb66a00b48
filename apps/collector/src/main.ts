import 'reflect-metadata';
import { ConfigError } from '@social-pulse/config';
import { startHttpApp } from '@social-pulse/observability/nest';
import { createCollectorModule } from './app.module';
import { loadCollectorConfig } from './config';

/** Event collector: validates, enriches and publishes events to Kafka. */
async function run(): Promise<void> {
  const config = loadCollectorConfig();
  await startHttpApp(createCollectorModule(config), {
    service: 'collector',
    title: 'Social Pulse Collector',
    description: 'Receives events from the SDK and makes them durable in Kafka.',
    host: config.COLLECTOR_HOST,
    port: config.COLLECTOR_PORT,
    bodyLimitBytes: config.COLLECTOR_MAX_BODY_BYTES,
    keyHeader: { name: 'X-Write-Key', scheme: 'write-key' },
    configure: (app) => {
      const origins = config.COLLECTOR_CORS_ORIGINS;
      app.enableCors({
        origin: origins === '*' ? true : origins.split(',').map((o) => o.trim()),
        methods: ['POST', 'GET', 'OPTIONS'],
        allowedHeaders: ['content-type', 'x-write-key', 'authorization'],
        maxAge: 600,
      });
      // sendBeacon posts text/plain (no CORS preflight); its body is the same JSON.
      app.getHttpAdapter().getInstance().addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
        try {
          done(null, JSON.parse(body as string));
        } catch {
          done(Object.assign(new Error('body is not JSON'), { statusCode: 400 }), undefined);
        }
      });
    },
  });
}

run().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
