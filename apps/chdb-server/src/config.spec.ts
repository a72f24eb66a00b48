import { describe, expect, it } from 'vitest';
import { loadChdbServerConfig } from './config';

describe(loadChdbServerConfig.name, () => {
  it('should default to port 8123 and a pool of 8 connections', () => {
    expect(loadChdbServerConfig({})).toMatchObject({
      CLICKHOUSE_HTTP_PORT: 8123,
      CHDB_POOL_SIZE: 8,
      CLICKHOUSE_USERS_FILE: '',
    });
  });

  it('should name every bad variable', () => {
    expect(() =>
      loadChdbServerConfig({
        CHDB_POOL_SIZE: '0',
        CHDB_MAX_BODY_BYTES: 'lots',
        CLICKHOUSE_HTTP_PORT: '70000',
      }),
    ).toThrow(/CHDB_POOL_SIZE="0"[\s\S]*CHDB_MAX_BODY_BYTES="lots"|CLICKHOUSE_HTTP_PORT="70000"/);
  });
});
