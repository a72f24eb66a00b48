import type { Logger } from '@social-pulse/observability';

export interface LogRecord {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  service: string;
  msg?: string;
  [field: string]: unknown;
}

/**
 * A logger that keeps its records in memory, for a spec that replaces createLogger with vi.mock:
 *   const logs = vi.hoisted(() => [] as LogRecord[]);
 *   vi.mock('@social-pulse/observability', async (original) => {
 *     const { recordingLogger } = await import('../testing/recording-logger'); // vi.mock is hoisted above imports
 *     return { ...(await original()), createLogger: (service: string) => recordingLogger(service, logs) };
 *   });
 * Only the pino methods the services call are implemented.
 */
export function recordingLogger(service: string, records: LogRecord[]): Logger {
  const at =
    (level: LogRecord['level']) =>
    (fieldsOrMessage: unknown, message?: string): void => {
      if (typeof fieldsOrMessage === 'string') records.push({ level, service, msg: fieldsOrMessage });
      else records.push({ level, service, ...(fieldsOrMessage as object), msg: message });
    };
  const logger = {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => logger,
  };
  return logger as unknown as Logger;
}
