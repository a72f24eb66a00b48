import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError, env, loadConfig } from './index';

const shape = {
  PORT: env.port(3000),
  BROKERS: env.hostPortList('localhost:9092'),
  URL: env.url('http://localhost:8123'),
  DEBUG: env.bool(false),
};

const configError = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
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
    const error = configError(() =>
      loadConfig(shape, { PORT: 'eighty', BROKERS: 'nohost', URL: 'not a url', DEBUG: 'maybe' }),
    );
    expect(error.problems).toHaveLength(4);
    expect(error.message).toContain('PORT="eighty"');
    expect(error.message).toContain('BROKERS="nohost"');
    expect(error.message).toContain('URL="not a url"');
    expect(error.message).toContain('DEBUG="maybe"');
  });

  it('should refuse a port out of range', () => {
    expect(() => loadConfig(shape, { PORT: '65536' })).toThrow(/PORT="65536": expected a port between 1 and 65535/);
  });

  describe('secrets', () => {
    const withSecret = {
      URL: env.url('http://localhost:8123'),
      TOKEN: env.secret(z.string().min(12, 'expected a token of at least 12 characters').default('dev-token-123')),
    };

    it('should mask the password of a bad URL', () => {
      for (const [value, shown] of [
        ['http://admin:s3cret@olap:port', 'URL="http://admin:***@olap:port": expected a URL'],
        ['http//admin:s3cret@olap:8123', 'URL="http//admin:***@olap:8123": expected a URL'],
      ]) {
        const error = configError(() => loadConfig({ URL: z.url('expected a URL') }, { URL: value }));
        expect(error.problems).toEqual([shown]);
        expect(error.message).not.toContain('s3cret');
      }
    });

    it('should name a bad secret and what was expected, never its value', () => {
      const error = configError(() => loadConfig(withSecret, { TOKEN: 'short-s3cret'.slice(0, 11) }));
      expect(error.problems).toEqual(['TOKEN=***: expected a token of at least 12 characters']);
      expect(error.message).not.toContain('short-s3cre');
    });

    it('should still parse and return the secret', () => {
      expect(loadConfig(withSecret, { TOKEN: 'a-long-enough-token' }).TOKEN).toBe('a-long-enough-token');
    });
  });

  describe('NODE_ENV=production', () => {
    const withRules = {
      NODE_ENV: env.nodeEnv(),
      KEYS: env.production(
        env.secret(
          z
            .string()
            .default('dev-key-public')
            .transform((value) => value.split(',')),
        ),
        { devValues: ['dev-key-public'] },
      ),
      ORIGIN: env.production(env.text('*'), {
        check: (origin, config) =>
          origin === '*' && config.KEYS !== undefined ? 'any origin is refused in production: set ORIGIN' : undefined,
      }),
    };

    it('should default to development, where the dev defaults are fine', () => {
      expect(loadConfig(withRules, {})).toEqual({ NODE_ENV: 'development', KEYS: ['dev-key-public'], ORIGIN: '*' });
      expect(loadConfig(withRules, { NODE_ENV: 'test' }).KEYS).toEqual(['dev-key-public']);
    });

    it('should refuse an unknown NODE_ENV', () => {
      expect(() => loadConfig(withRules, { NODE_ENV: 'prod' })).toThrow(
        'NODE_ENV="prod": expected development, test or production',
      );
    });

    it('should refuse the dev defaults, naming each variable and what to set', () => {
      const error = configError(() => loadConfig(withRules, { NODE_ENV: 'production' }));
      expect(error.problems).toEqual([
        'KEYS (unset): defaults to the public development value "dev-key-public", ' +
          'refused with NODE_ENV=production: set KEYS to values of your own',
        'ORIGIN (unset): any origin is refused in production: set ORIGIN',
      ]);
    });

    it('should refuse a dev value among real ones without showing the real ones', () => {
      const error = configError(() =>
        loadConfig(withRules, { NODE_ENV: 'production', KEYS: 'real-s3cret,dev-key-public', ORIGIN: 'https://a.b' }),
      );
      expect(error.problems).toEqual([
        'KEYS=***: holds the public development value "dev-key-public", ' +
          'refused with NODE_ENV=production: set KEYS to values of your own',
      ]);
      expect(error.message).not.toContain('real-s3cret');
    });

    it('should start with values of its own', () => {
      expect(
        loadConfig(withRules, { NODE_ENV: 'production', KEYS: 'real-s3cret', ORIGIN: 'https://a.example' }),
      ).toEqual({ NODE_ENV: 'production', KEYS: ['real-s3cret'], ORIGIN: 'https://a.example' });
    });

    it("should read the environment's NODE_ENV when the shape declares none", () => {
      const { NODE_ENV: _, ...withoutNodeEnv } = withRules;
      expect(() => loadConfig(withoutNodeEnv, { NODE_ENV: 'production' })).toThrow(/KEYS \(unset\): defaults to/);
      expect(loadConfig(withoutNodeEnv, {}).KEYS).toEqual(['dev-key-public']);
    });
  });
});
