import 'reflect-metadata';
import { ConfigError } from '@social-pulse/config';
import { startHttpApp } from '@social-pulse/observability/nest';
import { createApiModule } from './app.module';
import { loadApiConfig } from './config';

/** Dashboard API: Redis first, ClickHouse aggregates second. */
async function run(): Promise<void> {
  const config = loadApiConfig();
  await startHttpApp(createApiModule(config), {
    service: 'api',
    title: 'Social Pulse API',
    description: 'Dashboard API: trending topics, engagement and ad performance.',
    host: config.API_HOST,
    port: config.API_PORT,
    keyHeader: { name: 'X-API-Key', scheme: 'api-key' },
  });
}

run().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
