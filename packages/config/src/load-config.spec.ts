import { describe, expect, it } from 'vitest';
import { ConfigError, env, loadConfig } from './index';

const shape = {
  PORT: env.port(3000),
  BROKERS: env.hostPortList('localhost:9092'),
  URL: env.url('http://localhost:8123'),
  DEBUG: env.bool(false),
};

describe(loadConfig.name, () => {
  it('should use the defaults when nothing is set', () => {
    expect(loadConfig(shape, {})).toEqual({
      PORT: 3000,
      BROKERS: ['localhost:9092'],
      URL: 'http://localhost:8123',
      DEBUG: false,
    });
  });

  it('should parse set values', () => {
    expect(loadConfig(shape, { PORT: '8080', BROKERS: 'a:1, b:2', DEBUG: 'yes' })).toMatchObject({
      PORT: 8080,
      BROKERS: ['a:1', 'b:2'],
      DEBUG: true,
    });
  });

  it('should treat an empty variable as unset', () => {
    expect(loadConfig(shape, { PORT: '' }).PORT).toBe(3000);
  });

  it('should name every bad variable in one error', () => {
    const error = (() => {
      try {
        loadConfig(shape, { PORT: 'eighty', BROKERS: 'nohost', URL: 'not a url', DEBUG: 'maybe' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(4);
    expect(error!.message).toContain('PORT="eighty"');
    expect(error!.message).toContain('BROKERS="nohost"');
    expect(error!.message).toContain('URL="not a url"');
    expect(error!.message).toContain('DEBUG="maybe"');
  });

  it('should refuse a port out of range', () => {
    expect(() => loadConfig(shape, { PORT: '65536' })).toThrow(/PORT="65536": expected a port between 1 and 65535/);
  });
});
