import { metricsRegistry } from '@social-pulse/observability';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { EnginePool } from './engine-pool';
import type { HttpSessions } from './http-sessions';
import { pipedInserts } from './piped-insert';

export interface ServerMetrics {
  queries: Counter<'kind' | 'outcome'>;
  duration: Histogram<'kind'>;
}

/** Query counts by statement kind and outcome (ok or the error name), durations, pool and session use. */
export function createServerMetrics(pool: EnginePool, sessions: HttpSessions): ServerMetrics {
  new Gauge({
    name: 'chdb_pool_connections_in_use',
    help: 'Engine connections running a statement',
    registers: [metricsRegistry],
    collect() {
      this.set(pool.stats.inUse);
    },
  });
  new Gauge({
    name: 'chdb_pool_waiting_requests',
    help: 'Requests waiting for an engine connection',
    registers: [metricsRegistry],
    collect() {
      this.set(pool.stats.waiting);
    },
  });
  new Gauge({
    name: 'chdb_inserts_streaming',
    help: 'INSERTs whose data the engine is reading from the request body now',
    registers: [metricsRegistry],
    collect() {
      this.set(pipedInserts.streaming);
    },
  });
  new Gauge({
    name: 'chdb_http_sessions',
    help: 'Open HTTP sessions (session_id)',
    registers: [metricsRegistry],
    collect() {
      this.set(sessions.size);
    },
  });
  return {
    queries: new Counter({
      name: 'chdb_queries_total',
      help: 'Queries served, by statement kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [metricsRegistry],
    }),
    duration: new Histogram({
      name: 'chdb_query_duration_seconds',
      help: 'Time from request to the end of the response',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [metricsRegistry],
    }),
  };
}
