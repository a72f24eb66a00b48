import { describe, expect, it } from 'vitest';
import { ConfigError } from '@social-pulse/config';
import { DEV_CANARY_WRITE_KEY } from '@social-pulse/events';
import { DEV_WRITE_KEY, loadCollectorConfig, originsOf } from './config';

const configError = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    loadCollectorConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
};

describe(loadCollectorConfig.name, () => {
  describe('COLLECTOR_WRITE_KEYS', () => {
    it('should keep the simple comma-separated form, origins from COLLECTOR_CORS_ORIGINS', () => {
      const config = loadCollectorConfig({
        COLLECTOR_WRITE_KEYS: 'first-key-1, second-key-2',
        COLLECTOR_CORS_ORIGINS: 'https://x.example',
      });
      expect(config.COLLECTOR_WRITE_KEYS).toEqual([{ key: 'first-key-1' }, { key: 'second-key-2' }]);
      expect(originsOf(config, config.COLLECTOR_WRITE_KEYS[0])).toEqual(['https://x.example']);
    });

    it('should read allowed origins per key', () => {
      const config = loadCollectorConfig({
        COLLECTOR_WRITE_KEYS: 'key1-abcd:https://a.example|https://b.example:8443,key2-abcd:*,key3-abcd',
      });
      expect(config.COLLECTOR_WRITE_KEYS).toEqual([
        { key: 'key1-abcd', origins: ['https://a.example', 'https://b.example:8443'] },
        { key: 'key2-abcd', origins: ['*'] },
        { key: 'key3-abcd' },
      ]);
      expect(originsOf(config, config.COLLECTOR_WRITE_KEYS[2])).toEqual(['*']);
    });

    it('should refuse short keys and malformed origins, naming the variable but not its secret value', () => {
      expect(() => loadCollectorConfig({ COLLECTOR_WRITE_KEYS: 'short' })).toThrow(
        'COLLECTOR_WRITE_KEYS=***: expected write keys of at least 8 characters',
      );
      expect(() => loadCollectorConfig({ COLLECTOR_WRITE_KEYS: 'key1-abcd:https://a.example/path' })).toThrow(
        'COLLECTOR_WRITE_KEYS=***: expected origins such as https://a.example or *',
      );
      expect(configError({ COLLECTOR_WRITE_KEYS: 'key1-abcd:https://a.example/path' }).message).not.toContain(
        'key1-abcd',
      );
    });
  });

  it('should default the limits and the country headers', () => {
    expect(loadCollectorConfig({})).toMatchObject({
      COLLECTOR_MAX_DEPTH: 10,
      COLLECTOR_COUNTRY_HEADERS: ['cf-ipcountry', 'x-country'],
      COLLECTOR_IP_RATE_LIMIT: 1000,
    });
  });

  describe('NODE_ENV=production', () => {
    const production = {
      NODE_ENV: 'production',
      COLLECTOR_WRITE_KEYS: 'a-real-write-key',
      COLLECTOR_CORS_ORIGINS: 'https://www.example.com',
      COLLECTOR_CANARY_WRITE_KEY: 'a-real-canary-key',
    };

    it('should refuse the public dev write key and the * origin by default, naming the variables', () => {
      const error = configError({ NODE_ENV: 'production' });

      expect(error.problems).toHaveLength(3);
      expect(error.problems[0]).toBe(
        `COLLECTOR_WRITE_KEYS (unset): defaults to the public development value "${DEV_WRITE_KEY}", ` +
          'refused with NODE_ENV=production: set COLLECTOR_WRITE_KEYS to values of your own',
      );
      expect(error.problems.slice(1)).toEqual([
        expect.stringMatching(/^COLLECTOR_CANARY_WRITE_KEY \(unset\): defaults to the public development value/),
        expect.stringMatching(
          /^COLLECTOR_CORS_ORIGINS \(unset\): \* lets any website post .* set COLLECTOR_CORS_ORIGINS to the sites allowed/,
        ),
      ]);
    });

    it("should refuse the canary's public dev key: anyone could hide events from the dashboards with it", () => {
      const error = configError({ ...production, COLLECTOR_CANARY_WRITE_KEY: DEV_CANARY_WRITE_KEY });

      expect(error.problems).toEqual([
        expect.stringMatching(/^COLLECTOR_CANARY_WRITE_KEY=\*\*\*: holds the public development value/),
      ]);
    });

    it('should refuse the public dev write key among real ones, without showing the real ones', () => {
      const error = configError({ ...production, COLLECTOR_WRITE_KEYS: `a-real-write-key,${DEV_WRITE_KEY}` });

      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^COLLECTOR_WRITE_KEYS=\*\*\*: holds the public development value/);
      expect(error.message).not.toContain('a-real-write-key');
    });

    it('should refuse COLLECTOR_CORS_ORIGINS=* for keys without origins of their own', () => {
      const error = configError({ ...production, COLLECTOR_CORS_ORIGINS: 'https://www.example.com, *' });

      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^COLLECTOR_CORS_ORIGINS="https:\/\/www.example.com, \*": \* lets any website/);
    });

    it('should refuse a key:* origin in COLLECTOR_WRITE_KEYS', () => {
      const error = configError({ ...production, COLLECTOR_WRITE_KEYS: 'a-real-write-key:*' });

      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^COLLECTOR_WRITE_KEYS=\*\*\*: a key:\* lets any website post with that key/);
      expect(error.message).not.toContain('a-real-write-key');
    });

    it('should start on keys and origins of its own', () => {
      expect(loadCollectorConfig(production)).toMatchObject({
        NODE_ENV: 'production',
        COLLECTOR_WRITE_KEYS: [{ key: 'a-real-write-key' }],
        COLLECTOR_CORS_ORIGINS: 'https://www.example.com',
        COLLECTOR_CANARY_WRITE_KEY: 'a-real-canary-key',
      });
    });

    it('should accept COLLECTOR_CORS_ORIGINS=* when every key names its own origins', () => {
      const config = loadCollectorConfig({
        NODE_ENV: 'production',
        COLLECTOR_WRITE_KEYS: 'a-real-write-key:https://www.example.com',
        COLLECTOR_CANARY_WRITE_KEY: 'a-real-canary-key',
      });

      expect(originsOf(config, config.COLLECTOR_WRITE_KEYS[0])).toEqual(['https://www.example.com']);
    });

    it.each(['development', 'test'])('should keep the dev key and * working with NODE_ENV=%s', (nodeEnv) => {
      expect(loadCollectorConfig({ NODE_ENV: nodeEnv })).toMatchObject({
        COLLECTOR_WRITE_KEYS: [{ key: DEV_WRITE_KEY }],
        COLLECTOR_CORS_ORIGINS: '*',
      });
    });
  });
});
