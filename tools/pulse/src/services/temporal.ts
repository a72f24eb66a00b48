import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../settings';
import { httpOk } from './health';
import { isListening } from '../processes';
import type { ServiceSpec } from './service';

/**
 * The Temporal dev server from the official CLI. Its SQLite file lives in the state dir so
 * workflow history survives a restart.
 */
export function temporalService(settings: Settings, stateDir: string, binary: string, version: string): ServiceSpec {
  const dataDir = join(stateDir, 'data', 'temporal');
  const uiUrl = `http://127.0.0.1:${settings.TEMPORAL_UI_PORT}`;
  return {
    name: 'temporal',
    group: 'temporal',
    ports: [settings.TEMPORAL_PORT, settings.TEMPORAL_UI_PORT],
    url: uiUrl,
    version,
    prepare: async () => {
      mkdirSync(dataDir, { recursive: true });
    },
    command: async () => ({
      command: binary,
      args: [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(settings.TEMPORAL_PORT),
        '--ui-port',
        String(settings.TEMPORAL_UI_PORT),
        '--db-filename',
        join(dataDir, 'temporal.db'),
        '--log-level',
        'warn',
      ],
    }),
    // The UI answers only once the frontend serves, so both together mean ready.
    healthy: async () =>
      (await isListening(settings.TEMPORAL_PORT)) && (await httpOk(`${uiUrl}/api/v1/namespaces/default`)),
    startTimeoutMs: 60_000,
    stopTimeoutMs: 10_000,
  };
}
