import type { HttpAppOptions } from '@social-pulse/observability/nest';
import type { ApiConfig } from './config';

/** The API's HTTP conventions, shared by main.ts and the component tests. */
export function apiHttpOptions(config: ApiConfig): HttpAppOptions {
  return {
    service: 'api',
    title: 'Social Pulse API',
    description: 'Dashboard API: trending topics, engagement and ad performance.',
    host: config.API_HOST,
    port: config.API_PORT,
    keyHeader: { name: 'X-API-Key', scheme: 'api-key' },
  };
}
