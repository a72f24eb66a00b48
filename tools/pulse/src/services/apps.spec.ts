import { describe, expect, it } from 'vitest';
import { loadSettings } from '../settings';
import { appServices } from './apps';

async function collectorEnv(env: NodeJS.ProcessEnv, demo: boolean): Promise<NodeJS.ProcessEnv | undefined> {
  const collector = appServices(loadSettings({}), env, { demo }).find((s) => s.name === 'collector')!;
  return (await collector.command()).env;
}

describe(appServices.name, () => {
  it('should let the collector believe loopback country headers only with demo traffic', async () => {
    expect((await collectorEnv({}, true))?.TRUSTED_PROXIES).toBe('127.0.0.1,::1');
    expect((await collectorEnv({}, false))?.TRUSTED_PROXIES).toBeUndefined();
  });

  it('should keep a TRUSTED_PROXIES the operator set', async () => {
    expect((await collectorEnv({ TRUSTED_PROXIES: '10.0.0.0/8' }, true))?.TRUSTED_PROXIES).toBe('10.0.0.0/8');
  });

  it('should leave the other apps without it', async () => {
    const api = appServices(loadSettings({}), {}, { demo: true }).find((s) => s.name === 'api')!;
    expect((await api.command()).env?.TRUSTED_PROXIES).toBeUndefined();
  });
});
