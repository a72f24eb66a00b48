import { describe, expect, it } from 'vitest';
import { loadCollectorConfig, originsOf } from './config';

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

    it('should refuse short keys and malformed origins, naming the variable', () => {
      expect(() => loadCollectorConfig({ COLLECTOR_WRITE_KEYS: 'short' })).toThrow(
        'COLLECTOR_WRITE_KEYS="short": expected write keys of at least 8 characters',
      );
      expect(() => loadCollectorConfig({ COLLECTOR_WRITE_KEYS: 'key1-abcd:https://a.example/path' })).toThrow(
        'COLLECTOR_WRITE_KEYS="key1-abcd:https://a.example/path": expected origins such as https://a.example or *',
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
});
