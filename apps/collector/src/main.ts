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
  });
}

run().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
