import { ConfigError } from '@social-pulse/config';
import { describe, expect, it } from 'vitest';
import { loadChdbServerConfig } from './config';

describe(loadChdbServerConfig.name, () => {
  it('should default to port 8123 and a pool of 8 connections', () => {
    expect(loadChdbServerConfig({})).toMatchObject({
      NODE_ENV: 'development',
      CLICKHOUSE_HTTP_PORT: 8123,
      CHDB_POOL_SIZE: 8,
      CLICKHOUSE_USERS_FILE: '',
    });
  });

  it('should name every bad variable', () => {
    let error: unknown;
    try {
      loadChdbServerConfig({ CHDB_POOL_SIZE: '0', CHDB_MAX_BODY_BYTES: 'lots', CLICKHOUSE_HTTP_PORT: '70000' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems.map((problem) => problem.split('=')[0]).sort()).toEqual([
      'CHDB_MAX_BODY_BYTES',
      'CHDB_POOL_SIZE',
      'CLICKHOUSE_HTTP_PORT',
    ]);
    for (const value of ['CHDB_POOL_SIZE="0"', 'CHDB_MAX_BODY_BYTES="lots"', 'CLICKHOUSE_HTTP_PORT="70000"'])
      expect((error as ConfigError).message).toContain(value);
  });

  describe('NODE_ENV=production', () => {
    it('should refuse the passwordless default user, naming CLICKHOUSE_USERS_FILE and what to set', () => {
      expect(() => loadChdbServerConfig({ NODE_ENV: 'production' })).toThrow(
        'CLICKHOUSE_USERS_FILE (unset): means user default without a password, refused with NODE_ENV=production: ' +
          'set CLICKHOUSE_USERS_FILE to a JSON users file whose users have passwords',
      );
    });

    it('should start with a users file', () => {
      expect(
        loadChdbServerConfig({ NODE_ENV: 'production', CLICKHOUSE_USERS_FILE: '/etc/chdb/users.json' }),
      ).toMatchObject({ NODE_ENV: 'production', CLICKHOUSE_USERS_FILE: '/etc/chdb/users.json' });
    });

    it.each(['development', 'test'])('should keep the passwordless default user with NODE_ENV=%s', (nodeEnv) => {
      expect(loadChdbServerConfig({ NODE_ENV: nodeEnv }).CLICKHOUSE_USERS_FILE).toBe('');
    });
  });
});
