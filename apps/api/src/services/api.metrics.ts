import { metricsRegistry } from '@social-pulse/observability';
import { Counter } from 'prom-client';

export const apiMetrics = {
  cacheLookups: new Counter({
    name: 'api_cache_lookups_total',
    help: 'Dashboard reads served from Redis (hit) or recomputed from ClickHouse (miss)',
    labelNames: ['result'],
    registers: [metricsRegistry],
  }),
  dependencyFailures: new Counter({
    name: 'api_dependency_failures_total',
    help: 'Calls to Redis or ClickHouse that failed, timed out or were refused by an open circuit',
    labelNames: ['dependency', 'reason'],
    registers: [metricsRegistry],
  }),
  staleAnswers: new Counter({
    name: 'api_stale_answers_total',
    help: 'Answers served from the last good copy because ClickHouse could not recompute them',
    registers: [metricsRegistry],
  }),
};
