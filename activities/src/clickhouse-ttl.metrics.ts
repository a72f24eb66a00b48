import { Gauge } from 'prom-client';
import { metricsRegistry } from '@social-pulse/observability';

// Set by the TTL maintenance workflow's last step, so they are as fresh as its last run (its
// schedule); the worker exports them on GET /metrics. Alert on `pulse_clickhouse_table_over_budget == 1`.

export const tableBytes = new Gauge({
  name: 'pulse_clickhouse_table_bytes',
  help: 'Bytes on disk of the active parts of a ClickHouse table, at the last TTL maintenance run',
  labelNames: ['table'],
  registers: [metricsRegistry],
});

export const tableBudgetBytes = new Gauge({
  name: 'pulse_clickhouse_table_budget_bytes',
  help: 'The bytes budget of a ClickHouse table that the TTL maintenance run checked it against',
  labelNames: ['table'],
  registers: [metricsRegistry],
});

export const tableOverBudget = new Gauge({
  name: 'pulse_clickhouse_table_over_budget',
  help: '1 when a ClickHouse table is larger than its bytes budget after TTL maintenance, else 0',
  labelNames: ['table'],
  registers: [metricsRegistry],
});
