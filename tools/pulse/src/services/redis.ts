import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../settings';
import { redisPing } from './health';
import type { ServiceSpec } from './service';

/** Redis, the API's hot tier; append-only file on so cached state survives a restart. */
export function redisService(settings: Settings, stateDir: string, binary: string, version: string): ServiceSpec {
  const dataDir = join(stateDir, 'data', 'redis');
  return {
    name: 'redis',
    group: 'redis',
    ports: [settings.REDIS_PORT],
    url: `redis://127.0.0.1:${settings.REDIS_PORT}`,
    version,
    prepare: async () => {
      mkdirSync(dataDir, { recursive: true });
    },
    command: async () => ({
      command: binary,
      args: [
        '--bind',
        '127.0.0.1',
        '--port',
        String(settings.REDIS_PORT),
        '--dir',
        dataDir,
        '--appendonly',
        'yes',
        '--save',
        '',
        '--daemonize',
        'no',
        '--loglevel',
        'notice',
      ],
    }),
    healthy: () => redisPing(settings.REDIS_PORT),
    startTimeoutMs: 15_000,
    stopTimeoutMs: 10_000,
  };
}
