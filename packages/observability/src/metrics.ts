import { collectDefaultMetrics, Registry } from 'prom-client';

/** The registry each service exposes on GET /metrics. */
export const metricsRegistry = new Registry();

let started = false;

/** Process metrics (CPU, memory, event loop lag) labelled with the service name. */
export function startDefaultMetrics(service: string): void {
  if (started) return;
  started = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}
