import { ConfigError } from '@social-pulse/config';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config';

const configError = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    loadWorkerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
};

describe(loadWorkerConfig.name, () => {
  it('should use the one-machine defaults when nothing is set', () => {
    expect(loadWorkerConfig({})).toMatchObject({
      NODE_ENV: 'development',
      WORKER_PORT: DEFAULT_PORTS.worker,
      CLICKHOUSE_URL: `http://127.0.0.1:${DEFAULT_PORTS.clickhouseHttp}`,
    });
  });

  it.each(['development', 'test'])('should start with NODE_ENV=%s on the development defaults', (nodeEnv) => {
    expect(loadWorkerConfig({ NODE_ENV: nodeEnv }).NODE_ENV).toBe(nodeEnv);
  });

  it("should refuse the canary's development keys in production unless the canary is off", () => {
    expect(configError({ NODE_ENV: 'production' }).problems.map((problem) => problem.split(' ')[0])).toEqual([
      'CANARY_WRITE_KEY',
      'CANARY_API_KEY',
    ]);
    const ownKeys = { NODE_ENV: 'production', CANARY_WRITE_KEY: 'canary-key-1', CANARY_API_KEY: 'admin-key-1' };
    expect(loadWorkerConfig(ownKeys).CANARY_INTERVAL_MS).toBe(5000);
    expect(loadWorkerConfig({ NODE_ENV: 'production', CANARY_INTERVAL_MS: '0' }).CANARY_INTERVAL_MS).toBe(0);
  });

  it('should refuse an unknown NODE_ENV, naming it', () => {
    expect(configError({ NODE_ENV: 'staging' }).problems).toEqual([
      'NODE_ENV="staging": expected development, test or production',
    ]);
  });

  it('should mask the password of a bad CLICKHOUSE_URL or REDIS_URL', () => {
    const error = configError({
      CLICKHOUSE_URL: 'http//default:pw-s3cret@clickhouse:8123',
      REDIS_URL: 'redis://:pw-s3cret@redis:port',
    });

    expect(error.problems.map((problem) => problem.split(': ')[0]).sort()).toEqual([
      'CLICKHOUSE_URL="http//default:***@clickhouse:8123"',
      'REDIS_URL="redis://:***@redis:port"',
    ]);
    expect(error.message).not.toContain('s3cret');
  });

  it("should operate on the platform's Flink jobs unless given a scope of its own", () => {
    expect(loadWorkerConfig({}).FLINK_JOB_SCOPE).toBe('platform');
    expect(loadWorkerConfig({ FLINK_JOB_SCOPE: 'rescale-test-1' }).FLINK_JOB_SCOPE).toBe('rescale-test-1');
  });

  it('should refuse a Flink job scope that cannot be recorded on a job unquoted', () => {
    expect(configError({ FLINK_JOB_SCOPE: 'Test:1' }).problems).toEqual([
      'FLINK_JOB_SCOPE="Test:1": expected lower-case letters, digits and dashes (at most 63), such as platform',
    ]);
  });
});
