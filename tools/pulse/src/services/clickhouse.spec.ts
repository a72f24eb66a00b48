import { afterEach, describe, expect, it } from 'vitest';
import { expectedInstallation, platformLayers } from '../platform';
import { loadSettings } from '../settings';
import { clickhouseService } from './clickhouse';

describe(clickhouseService.name, () => {
  const saved = process.env.CLICKHOUSE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.CLICKHOUSE_URL;
    else process.env.CLICKHOUSE_URL = saved;
  });
  const firstLayer = () =>
    platformLayers(loadSettings({}), expectedInstallation(), '/tmp/pulse-spec')[0].map((s) => s.name);

  it('should be in the first layer when CLICKHOUSE_URL is not set', () => {
    delete process.env.CLICKHOUSE_URL;
    expect(firstLayer()).toContain('clickhouse');
  });

  it('should not be started when CLICKHOUSE_URL names another server', () => {
    process.env.CLICKHOUSE_URL = 'http://clickhouse.example:8123';
    expect(firstLayer()).not.toContain('clickhouse');
  });

  it('should keep its data under the state directory and answer health on /ping', async () => {
    const spec = clickhouseService('/tmp/pulse-spec', 18199);
    const { env, args } = await spec.command();
    expect(env?.CHDB_DATA_DIR).toBe('/tmp/pulse-spec/data/clickhouse');
    expect(env?.CLICKHOUSE_HTTP_PORT).toBe('18199');
    expect(args.at(-1)).toMatch(/tools\/chdb-server\/src\/main\.ts$/);
    expect(spec.ports).toEqual([18199]);
  });
});
