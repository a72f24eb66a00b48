import { ConfigError } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { describe, expect, it } from 'vitest';
import { DEV_ADMIN_API_KEY, DEV_API_KEY, loadApiConfig } from './config';

const configError = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
};

describe(loadApiConfig.name, () => {
  it('should use the one-machine defaults when nothing is set', () => {
    expect(loadApiConfig({})).toEqual({
      NODE_ENV: 'development',
      API_HOST: '127.0.0.1',
      API_PORT: DEFAULT_PORTS.api,
      API_KEYS: ['pulse-dev-api-key'],
      API_ADMIN_KEYS: ['pulse-dev-admin-key'],
      API_KEY_RATE_LIMIT: 50,
      API_KEY_RATE_BURST: 100,
      API_CORS_ORIGINS: ['http://localhost:3000', 'http://127.0.0.1:3000'],
      REDIS_URL: `redis://127.0.0.1:${DEFAULT_PORTS.redis}`,
      CLICKHOUSE_URL: `http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`,
      TRENDING_CACHE_TTL_SECONDS: 30,
      REDIS_TIMEOUT_MS: 250,
      CLICKHOUSE_TIMEOUT_MS: 3_000,
      DEPENDENCY_FAILURES_TO_OPEN: 3,
      DEPENDENCY_OPEN_MS: 5_000,
      ANSWER_MAX_STALE_SECONDS: 900,
      LOG_LEVEL: 'info',
    });
  });

  it('should parse set values', () => {
    expect(
      loadApiConfig({
        API_HOST: '0.0.0.0',
        API_PORT: '8080',
        REDIS_URL: 'redis://cache:6379',
        CLICKHOUSE_URL: 'http://olap:8123',
        TRENDING_CACHE_TTL_SECONDS: '60',
        LOG_LEVEL: 'warn',
      }),
    ).toMatchObject({
      API_HOST: '0.0.0.0',
      API_PORT: 8080,
      REDIS_URL: 'redis://cache:6379',
      CLICKHOUSE_URL: 'http://olap:8123',
      TRENDING_CACHE_TTL_SECONDS: 60,
      LOG_LEVEL: 'warn',
    });
  });

  it('should split API_KEYS on commas, trimming blanks and dropping empty items', () => {
    expect(loadApiConfig({ API_KEYS: ' first-key-1234 ,, second-key-5678 ,' }).API_KEYS).toEqual([
      'first-key-1234',
      'second-key-5678',
    ]);
  });

  it('should read admin keys, rate limits and CORS origins', () => {
    expect(
      loadApiConfig({
        API_ADMIN_KEYS: 'admin-key-1234, admin-key-5678',
        API_KEY_RATE_LIMIT: '5',
        API_KEY_RATE_BURST: '8',
        API_CORS_ORIGINS: 'https://dash.example, http://localhost:5173',
      }),
    ).toMatchObject({
      API_ADMIN_KEYS: ['admin-key-1234', 'admin-key-5678'],
      API_KEY_RATE_LIMIT: 5,
      API_KEY_RATE_BURST: 8,
      API_CORS_ORIGINS: ['https://dash.example', 'http://localhost:5173'],
    });
    expect(loadApiConfig({ API_CORS_ORIGINS: '*' }).API_CORS_ORIGINS).toEqual(['*']);
  });

  it('should treat an empty API_KEYS as unset', () => {
    expect(loadApiConfig({ API_KEYS: '' }).API_KEYS).toEqual(['pulse-dev-api-key']);
  });

  it.each([
    // API_KEYS is secret: named with what was expected, its value never shown.
    [{ API_KEYS: 'long-enough-key,short' }, 'API_KEYS=***: expected API keys of at least 8 characters'],
    [{ API_KEYS: ' , ' }, 'API_KEYS=***: expected at least one API key'],
    [{ API_ADMIN_KEYS: 'short' }, 'API_ADMIN_KEYS=***: expected API keys of at least 8 characters'],
    [{ API_KEY_RATE_LIMIT: '0' }, 'API_KEY_RATE_LIMIT="0": expected a number above 0'],
    [{ API_KEY_RATE_BURST: 'lots' }, 'API_KEY_RATE_BURST="lots": expected a number'],
    [
      { API_CORS_ORIGINS: 'https://dash.example/app' },
      'API_CORS_ORIGINS="https://dash.example/app": expected origins without a path',
    ],
    [{ API_CORS_ORIGINS: 'dash.example' }, 'API_CORS_ORIGINS="dash.example": expected origins such as'],
    [{ API_PORT: 'eighty' }, 'API_PORT="eighty": expected a port number'],
    [{ API_PORT: '70000' }, 'API_PORT="70000": expected a port between 1 and 65535'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL="not a url": expected a URL'],
    [{ CLICKHOUSE_URL: '127.0.0.1:8123' }, 'CLICKHOUSE_URL="127.0.0.1:8123": expected a URL'],
    [
      { CLICKHOUSE_URL: 'http//default:s3cret@olap:8123' },
      'CLICKHOUSE_URL="http//default:***@olap:8123": expected a URL',
    ],
    [{ REDIS_URL: 'redis://:s3cret@cache:port' }, 'REDIS_URL="redis://:***@cache:port": expected a URL'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV="prod": expected development, test or production'],
    [{ TRENDING_CACHE_TTL_SECONDS: '0' }, 'TRENDING_CACHE_TTL_SECONDS="0": expected a number above 0'],
    [{ TRENDING_CACHE_TTL_SECONDS: '0.5' }, 'TRENDING_CACHE_TTL_SECONDS="0.5": expected a whole number'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud": expected one of trace, debug, info, warn, error, fatal, silent'],
  ])('should refuse %j, naming the variable', (env, problem) => {
    const error = configError(env);

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(problem);
  });

  it('should never echo a secret value or a password', () => {
    const error = configError({
      API_KEYS: 'key-one-s3cret,short',
      CLICKHOUSE_URL: 'http://default:pw-s3cret@olap:port',
    });

    expect(error.problems).toEqual([
      'API_KEYS=***: expected API keys of at least 8 characters',
      'CLICKHOUSE_URL="http://default:***@olap:port": expected a URL such as http://localhost:8123',
    ]);
    expect(error.message).not.toContain('s3cret');
  });

  describe('NODE_ENV=production', () => {
    const production = {
      NODE_ENV: 'production',
      API_KEYS: 'a-real-key-of-our-own',
      API_ADMIN_KEYS: 'a-real-admin-key-of-our-own',
    };

    it('should refuse the public dev keys by default, naming API_KEYS, API_ADMIN_KEYS and what to set', () => {
      const error = configError({ NODE_ENV: 'production' });

      expect(error.problems).toEqual([
        `API_KEYS (unset): defaults to the public development value "${DEV_API_KEY}", ` +
          'refused with NODE_ENV=production: set API_KEYS to values of your own',
        `API_ADMIN_KEYS (unset): defaults to the public development value "${DEV_ADMIN_API_KEY}", ` +
          'refused with NODE_ENV=production: set API_ADMIN_KEYS to values of your own',
      ]);
    });

    it('should refuse the public dev admin key among real ones', () => {
      const error = configError({ ...production, API_ADMIN_KEYS: `a-real-admin-key-of-our-own,${DEV_ADMIN_API_KEY}` });

      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(
        /^API_ADMIN_KEYS=\*\*\*: holds the public development value "pulse-dev-admin-key"/,
      );
    });

    it('should refuse the public dev key among real ones', () => {
      const error = configError({ ...production, API_KEYS: `a-real-key-of-our-own,${DEV_API_KEY}` });

      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^API_KEYS=\*\*\*: holds the public development value "pulse-dev-api-key"/);
      expect(error.message).not.toContain('a-real-key-of-our-own');
    });

    it('should start on keys of its own', () => {
      expect(loadApiConfig(production)).toMatchObject({
        NODE_ENV: 'production',
        API_KEYS: ['a-real-key-of-our-own'],
        API_ADMIN_KEYS: ['a-real-admin-key-of-our-own'],
      });
    });

    it.each(['development', 'test'])('should keep the dev key working with NODE_ENV=%s', (nodeEnv) => {
      expect(loadApiConfig({ NODE_ENV: nodeEnv })).toMatchObject({
        API_KEYS: [DEV_API_KEY],
        API_ADMIN_KEYS: [DEV_ADMIN_API_KEY],
      });
    });
  });

  it('should name every bad variable in one error', () => {
    const error = configError({ API_PORT: '0', API_KEYS: 'short', TRENDING_CACHE_TTL_SECONDS: 'soon' });

    expect(error.problems.map((problem) => problem.split('=')[0]).sort()).toEqual([
      'API_KEYS',
      'API_PORT',
      'TRENDING_CACHE_TTL_SECONDS',
    ]);
  });
});
