import { ConfigError } from '@social-pulse/config';
import { describe, expect, it } from 'vitest';
import { allowedOrigins, isLoopbackHost, listenAddressProblem, loadChdbServerConfig } from './config';

describe(loadChdbServerConfig.name, () => {
  it('should default to port 8123 and a pool of 8 connections', () => {
    expect(loadChdbServerConfig({})).toMatchObject({
      NODE_ENV: 'development',
      CLICKHOUSE_HTTP_PORT: 8123,
      CHDB_POOL_SIZE: 8,
      CLICKHOUSE_USERS_FILE: '',
    });
  });

  it('should default to loopback, a 1 MiB query limit, bounded timeouts and no browser origins', () => {
    expect(loadChdbServerConfig({})).toMatchObject({
      CLICKHOUSE_HTTP_HOST: '127.0.0.1',
      CHDB_MAX_BODY_BYTES: 1024 * 1024 * 1024,
      CHDB_MAX_QUERY_BYTES: 1024 * 1024,
      CHDB_HEADERS_TIMEOUT_MS: 10_000,
      CHDB_REQUEST_TIMEOUT_MS: 300_000,
      CHDB_BODY_IDLE_TIMEOUT_MS: 30_000,
      CHDB_KEEP_ALIVE_TIMEOUT_MS: 10_000,
      CHDB_MAX_CONNECTIONS: 1024,
      CHDB_ALLOWED_ORIGINS: '',
    });
  });

  it('should name bad limit and timeout variables', () => {
    let error: unknown;
    try {
      loadChdbServerConfig({ CHDB_MAX_QUERY_BYTES: '0', CHDB_REQUEST_TIMEOUT_MS: 'never', CHDB_MAX_CONNECTIONS: '-1' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.split('=')[0]).sort()).toEqual([
      'CHDB_MAX_CONNECTIONS',
      'CHDB_MAX_QUERY_BYTES',
      'CHDB_REQUEST_TIMEOUT_MS',
    ]);
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

  describe(allowedOrigins.name, () => {
    it('should be empty by default', () => {
      expect(allowedOrigins(loadChdbServerConfig({})).size).toBe(0);
    });

    it('should split, trim, lower-case and drop trailing slashes', () => {
      expect([...allowedOrigins({ CHDB_ALLOWED_ORIGINS: ' http://localhost:3000/ ,HTTPS://Dash.example,, ' })]).toEqual(
        ['http://localhost:3000', 'https://dash.example'],
      );
    });
  });

  describe(listenAddressProblem.name, () => {
    it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])(
      'should allow loopback %s without a users file',
      (host) => {
        expect(isLoopbackHost(host)).toBe(true);
        expect(listenAddressProblem({ CLICKHOUSE_HTTP_HOST: host, CLICKHOUSE_USERS_FILE: '' })).toBeUndefined();
      },
    );

    it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com', '127.0.0.1.example.com'])(
      'should refuse %s without a users file, naming both variables',
      (host) => {
        expect(isLoopbackHost(host)).toBe(false);
        const problem = listenAddressProblem({ CLICKHOUSE_HTTP_HOST: host, CLICKHOUSE_USERS_FILE: '' });
        expect(problem).toContain(`CLICKHOUSE_HTTP_HOST=${JSON.stringify(host)}`);
        expect(problem).toContain('CLICKHOUSE_USERS_FILE');
      },
    );

    it('should allow any address with a users file', () => {
      expect(
        listenAddressProblem({ CLICKHOUSE_HTTP_HOST: '0.0.0.0', CLICKHOUSE_USERS_FILE: '/etc/chdb/users.json' }),
      ).toBeUndefined();
    });
  });
});
