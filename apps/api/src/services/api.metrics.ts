import { metricsRegistry } from '@social-pulse/observability';
import { Counter } from 'prom-client';

export const apiMetrics = {
  cacheLookups: new Counter({
    name: 'api_cache_lookups_total',
    help: 'Dashboard reads served from Redis (hit) or recomputed from ClickHouse (miss)',
    labelNames: ['result'],
    registers: [metricsRegistry],
  }),
};
