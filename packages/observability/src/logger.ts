import pino from 'pino';

export type Logger = pino.Logger;

/**
 * One JSON line per log record with the service name on each, so the logs of every
 * service read the same way in `pulse logs` and in a log pipeline.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}
