import 'reflect-metadata';
import { ConfigError } from '@social-pulse/config';
import { startHttpApp } from '@social-pulse/observability/nest';
import { createCollectorModule } from './app.module';
import { collectorHttpOptions } from './collector-http';
import { loadCollectorConfig } from './config';

/** Event collector: validates, enriches and publishes events to Kafka. */
async function run(): Promise<void> {
  const config = loadCollectorConfig();
  await startHttpApp(createCollectorModule(config), collectorHttpOptions(config));
}

run().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
