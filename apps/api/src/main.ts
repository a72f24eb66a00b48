import 'reflect-metadata';
import { ConfigError } from '@social-pulse/config';
import { startHttpApp } from '@social-pulse/observability/nest';
import { apiHttpOptions } from './api-http';
import { createApiModule } from './app.module';
import { loadApiConfig } from './config';

/** Dashboard API: Redis first, ClickHouse aggregates second. */
async function run(): Promise<void> {
  const config = loadApiConfig();
  await startHttpApp(createApiModule(config), apiHttpOptions(config));
}

run().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
